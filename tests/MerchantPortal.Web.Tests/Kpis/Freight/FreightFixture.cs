using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>
/// The seeded side of Fixtures/freight-bill-zh.csv (see Fixtures/README.md for the hand-computed outcome): a carrier
/// account of its own (code "FRT-{prefix}"), its rate card and its waybills with known weights and destinations.
/// </summary>
internal static class FreightFixture
{
    public static readonly DateOnly PeriodFrom = new(2031, 3, 1), PeriodTo = new(2031, 3, 31);

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Kpis", "Freight", "Fixtures", name);

    /// <summary>(number suffix, weight, province, issued at UTC)</summary>
    private static readonly (string Suffix, decimal Weight, string Province, DateTime IssuedUtc)[] Waybills =
    [
        ("001", 1.2m, "浙江省", new(2031, 3, 5, 2, 0, 0, DateTimeKind.Utc)),
        ("002", 0.8m, "广东省", new(2031, 3, 6, 2, 0, 0, DateTimeKind.Utc)),
        ("003", 2.0m, "北京市", new(2031, 3, 7, 2, 0, 0, DateTimeKind.Utc)),
        ("004", 1.0m, "广东省", new(2031, 3, 8, 2, 0, 0, DateTimeKind.Utc)),
        ("005", 3.0m, "浙江省", new(2031, 3, 9, 2, 0, 0, DateTimeKind.Utc)),
        // 2031-04-01 00:30 Beijing: the day after the period, though still March in UTC.
        ("007", 0.5m, "浙江省", new(2031, 3, 31, 16, 30, 0, DateTimeKind.Utc)),
        ("009", 1.0m, "浙江省", new(2031, 3, 10, 2, 0, 0, DateTimeKind.Utc)),
    ];

    /// <summary>Creates account FRT-{prefix} with its card and waybills FRT-{prefix}-nnn; returns the account id.</summary>
    public static async Task<int> SeedAsync(PortalFactory factory, string prefix)
    {
        var dbFactory = factory.GetService<IDbContextFactory<PortalDbContext>>();
        int accountId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var account = new CarrierAccount
            {
                Name = "对账测试 " + prefix,
                EBusinessId = "test",
                AppKeyProtected = "unused",
                ShipperCode = "FRT" + prefix,
                CreatedAtUtc = DateTime.UtcNow,
                UpdatedAtUtc = DateTime.UtcNow,
                Version = Guid.NewGuid(),
                IsDisabled = true,
            };
            db.Add(account);
            await db.SaveChangesAsync();
            accountId = account.Id;
            foreach (var (suffix, weight, province, issued) in Waybills)
            {
                var no = $"FRT-{prefix}-{suffix}";
                var order = new Order
                {
                    OrderNo = "ORD-" + no,
                    ReceiverName = "测试",
                    ReceiverPhone = "13800001111",
                    PhoneLast4 = "1111",
                    Province = province,
                    Status = OrderStatus.Shipped,
                    TotalWeightKg = weight,
                    CreatedAtUtc = issued.AddHours(-1),
                    UpdatedAtUtc = issued,
                };
                db.Add(order);
                await db.SaveChangesAsync();
                db.Add(new Waybill
                {
                    OrderId = order.Id,
                    LiveOrderId = order.Id,
                    OrderNo = order.OrderNo,
                    CarrierAccountId = accountId,
                    ShipperCode = account.ShipperCode,
                    TrackingNo = no,
                    OrderCode = order.OrderNo + "-1",
                    PickKey = order.OrderNo,
                    LabelJson = "{}",
                    IssuedAtUtc = issued,
                });
            }
            await db.SaveChangesAsync();
        }
        await factory.GetService<RateCardService>().SaveAsync(accountId,
        [
            new RateCardRowInput(null, 1m, 10m, 4m),
            new RateCardRowInput("广东", 1m, 8m, 3m),
        ], "test");
        return accountId;
    }

    /// <summary>Stores the bill and runs the reconciliation job the way Hangfire would (by id).</summary>
    public static async Task<long> ReconcileAsync(PortalFactory factory, int accountId, byte[] content, string fileName)
    {
        using var stream = new MemoryStream(content);
        var id = await factory.GetService<FreightBillService>().StoreAsync(stream, fileName, accountId, PeriodFrom, PeriodTo, "test");
        await factory.GetService<FreightBillJob>().RunAsync(id, CancellationToken.None);
        return id;
    }
}
