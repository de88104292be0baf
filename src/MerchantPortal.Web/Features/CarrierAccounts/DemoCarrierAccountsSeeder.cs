using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>Sandbox accounts for five carriers, ready to issue waybills in the demo (Development with the sandbox on).</summary>
public sealed class DemoCarrierAccountsSeeder(IDbContextFactory<PortalDbContext> dbFactory, CarrierAccountService service, IConfiguration configuration) : IDemoDataSeeder
{
    public int Order => 10;

    private static readonly (string Name, string Code)[] Accounts =
    [
        ("中通快递 ZTO (沙箱)", "ZTO"),
        ("顺丰速运 SF (沙箱)", "SF"),
        ("圆通速递 YTO (沙箱)", "YTO"),
        ("京东快递 JD (沙箱)", "JD"),
        ("韵达速递 Yunda (沙箱)", "YD"),
    ];

    public async Task SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        var merchant = configuration.GetSection("CarrierSandbox:Merchants").GetChildren().FirstOrDefault();
        if (!SandboxAddress.Enabled(configuration) || merchant is null)
        {
            return;
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Set<CarrierAccount>().AnyAsync(ct))
            {
                return;
            }
        }
        var first = true;
        foreach (var (name, code) in Accounts)
        {
            await service.CreateAsync(new CarrierAccountInput(
                Name: name,
                Environment: CarrierEnvironment.Sandbox,
                CustomBaseUrl: null,
                EBusinessId: merchant["EBusinessId"]!,
                AppKey: merchant["AppKey"]!,
                ShipperCode: code,
                CustomerName: "demo-" + code.ToLowerInvariant(),
                CustomerPwd: "demo-pwd-" + code.ToLowerInvariant(),
                MonthCode: "7550000000",
                SendSite: null,
                SendStaff: null,
                // The demo run makes a month of calls in minutes (DemoDataSetup raises the in-process sandbox's limit to match).
                RequestsPerSecond: options.Mode == DemoDataMode.Run ? 200 : 20,
                IsDefault: first), "system", ct);
            first = false;
        }
    }
}
