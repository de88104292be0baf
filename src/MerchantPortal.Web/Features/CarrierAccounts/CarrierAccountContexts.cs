using System.Collections.Concurrent;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>
/// Turns a stored account into the gateway's <see cref="CarrierAccountContext"/>, decrypting its secrets. Contexts
/// are cached per account version so a 10,000-waybill batch does not decrypt 10,000 times; an edit changes the
/// version and the next call sees it.
/// </summary>
public sealed class CarrierAccountContexts(IDbContextFactory<PortalDbContext> dbFactory, CarrierSecrets secrets, SandboxAddress sandbox)
{
    private readonly ConcurrentDictionary<int, (Guid Version, CarrierAccountContext Context)> cache = new();

    public async Task<CarrierAccountContext> GetAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Set<CarrierAccount>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct)
            ?? throw new InvalidOperationException($"Carrier account {accountId} does not exist.");
        if (cache.TryGetValue(accountId, out var cached) && cached.Version == account.Version)
        {
            return cached.Context;
        }
        var context = Build(account);
        cache[accountId] = (account.Version, context);
        return context;
    }

    /// <summary>The account's key for the gateway's rate limiter, its logs and the metrics' account tag.</summary>
    public static string KeyOf(int accountId) => "carrier-account-" + accountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public CarrierAccountContext Build(CarrierAccount account) => new(
        AccountKey: KeyOf(account.Id),
        EBusinessId: account.EBusinessId,
        AppKey: secrets.Unprotect(account.AppKeyProtected),
        Endpoints: EndpointsFor(account),
        ShipperCode: account.ShipperCode,
        WaybillAccount: new WaybillAccount(
            account.CustomerName,
            account.CustomerPwdProtected is null ? null : secrets.Unprotect(account.CustomerPwdProtected),
            account.MonthCode,
            account.SendSite,
            account.SendStaff),
        RequestsPerSecond: Math.Max(1, account.RequestsPerSecond));

    private KdniaoEndpoints EndpointsFor(CarrierAccount account) => account.Environment switch
    {
        CarrierEnvironment.Production => KdniaoEndpoints.Production,
        CarrierEnvironment.Custom => KdniaoEndpoints.Sandbox(new Uri(account.CustomBaseUrl ?? throw new InvalidOperationException($"Carrier account {account.Id} has no custom URL."))),
        _ => KdniaoEndpoints.Sandbox(sandbox.BaseUrl),
    };
}

/// <summary>Encrypts and decrypts carrier secrets with Data Protection (R6: never at rest in plain text).</summary>
public sealed class CarrierSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("MerchantPortal.CarrierAccounts.Secrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
