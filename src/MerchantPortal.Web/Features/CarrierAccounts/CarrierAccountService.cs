using System.Diagnostics;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>What an Admin sends. A null secret on update keeps the stored one ("set on …, replace").</summary>
public sealed record CarrierAccountInput(
    string Name,
    CarrierEnvironment Environment,
    string? CustomBaseUrl,
    string EBusinessId,
    string? AppKey,
    string ShipperCode,
    string? CustomerName,
    string? CustomerPwd,
    string? MonthCode,
    string? SendSite,
    string? SendStaff,
    int DefaultServiceType = 1,
    int DefaultPayType = 3,
    int DailyQuota = 0,
    int RequestsPerSecond = 20,
    bool IsDefault = false);

/// <summary>What anyone can read back: never a secret, only when it was set.</summary>
public sealed record CarrierAccountView(
    int Id, string Name, CarrierEnvironment Environment, string? CustomBaseUrl, string EBusinessId, DateTime AppKeySetAtUtc,
    string ShipperCode, string? CustomerName, DateTime? CustomerPwdSetAtUtc, string? MonthCode, string? SendSite, string? SendStaff,
    int DefaultServiceType, int DefaultPayType, int DailyQuota, int RequestsPerSecond, bool IsDisabled, bool IsDefault,
    CarrierAccountHealth Health, Guid Version);

public sealed record CarrierAccountHealth(DateTime? LastSuccessAtUtc, DateTime? LastFailureAtUtc, string? LastFailureReason, int CallsToday, int Calls24h, int Failures24h)
{
    public double? ErrorRate24h => Calls24h == 0 ? null : (double)Failures24h / Calls24h;
}

/// <param name="Reason">The API's text: the carrier's code and words, or the gateway's English description of a transport failure.</param>
/// <param name="Error">What kind of failure it was, so a page can word it in its reader's language.</param>
public sealed record ConnectionTestResult(bool Success, string? ResultCode, string? Reason, int? HttpStatus, long ElapsedMs, CarrierErrorKind Error = CarrierErrorKind.None);

public sealed class CarrierAccountValidationException(FieldProblems problems)
    : Exception("The carrier account is not valid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public FieldProblems Problems { get; } = problems;

    /// <summary>Field → messages, as the dialog shows them and the API's validation problem carries them.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problems.ToDictionary();
}

public sealed class CarrierAccountConcurrencyException() : Exception("The account was changed by someone else; reload it and apply your change again.");

/// <summary>Admin's writes to carrier accounts; every change is audited (who, when, what — never the secret).</summary>
public sealed class CarrierAccountService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierSecrets secrets,
    CarrierClient carriers,
    TimeProvider clock,
    BusinessCalendar calendar,
    OutboundPolicy outbound,
    IStringLocalizer<CarrierAccountsResources> L)
{
    /// <summary>A well-formed SF number used by "test connection": 2002 (carrier recognition) is signed like every call and is not billed when nothing matches (carrier-protocol.md §2.9).</summary>
    public const string TestTrackingNumber = "SF1234567890123";

    public static readonly string[] KnownShipperCodes =
        ["SF", "ZTO", "YTO", "STO", "YD", "JD", "JDKY", "EMS", "YZPY", "JTSD", "DBL", "DBLKY", "HTKY", "UC", "ZJS", "KYSY", "ANE", "FWX"];

    public async Task<IReadOnlyList<CarrierAccountView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-24);
        // "Calls today" counts the merchant's (Beijing) day, like the quota the aggregator applies.
        var todayStart = calendar.Today().StartUtc;
        var stats = await db.Set<CarrierCallStat>().AsNoTracking().Where(s => s.HourUtc >= since.AddHours(-1) || s.HourUtc >= todayStart)
            .ToListAsync(ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        return accounts.Select(a => View(a, stats.Where(s => s.CarrierAccountId == a.Id).ToList(), since, todayStart)).ToList();
    }

    public async Task<CarrierAccountView?> GetAsync(int id, CancellationToken ct = default) =>
        (await ListAsync(ct)).SingleOrDefault(a => a.Id == id);

    public async Task<CarrierAccountView> CreateAsync(CarrierAccountInput input, string actor, CancellationToken ct = default)
    {
        Validate(input, creating: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<CarrierAccount>().AnyAsync(a => a.Name == input.Name.Trim(), ct))
        {
            throw new CarrierAccountValidationException(FieldProblems.Of("name", L["Error.NameTaken"]));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var account = new CarrierAccount
        {
            Name = input.Name.Trim(),
            EBusinessId = input.EBusinessId.Trim(),
            AppKeyProtected = secrets.Protect(input.AppKey!.Trim()),
            AppKeySetAtUtc = now,
            ShipperCode = input.ShipperCode.Trim().ToUpperInvariant(),
            CreatedAtUtc = now,
        };
        Apply(account, input, now);
        if (input.IsDefault)
        {
            await ClearDefaultAsync(db, ct);
        }
        db.Add(account);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "CarrierAccount.Created", nameof(CarrierAccount), account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{account.Name} ({account.ShipperCode}, {account.Environment}, EBusinessID {account.EBusinessId}); AppKey set{(account.CustomerPwdProtected is null ? "" : ", CustomerPwd set")}");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(account.Id, ct))!;
    }

    public async Task<CarrierAccountView> UpdateAsync(int id, CarrierAccountInput input, Guid expectedVersion, string actor, CancellationToken ct = default)
    {
        Validate(input, creating: false);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Set<CarrierAccount>().SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new KeyNotFoundException($"Carrier account {id} does not exist.");
        if (account.Version != expectedVersion)
        {
            throw new CarrierAccountConcurrencyException();
        }
        if (await db.Set<CarrierAccount>().AnyAsync(a => a.Id != id && a.Name == input.Name.Trim(), ct))
        {
            throw new CarrierAccountValidationException(FieldProblems.Of("name", L["Error.NameTaken"]));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var changes = new List<string>();
        if (account.Name != input.Name.Trim()) changes.Add("name");
        if (account.EBusinessId != input.EBusinessId.Trim()) changes.Add("EBusinessID");
        if (account.ShipperCode != input.ShipperCode.Trim().ToUpperInvariant()) changes.Add("carrier");
        if (account.Environment != input.Environment || account.CustomBaseUrl != input.CustomBaseUrl?.Trim()) changes.Add("environment");
        account.Name = input.Name.Trim();
        account.EBusinessId = input.EBusinessId.Trim();
        account.ShipperCode = input.ShipperCode.Trim().ToUpperInvariant();
        if (!string.IsNullOrWhiteSpace(input.AppKey))
        {
            account.AppKeyProtected = secrets.Protect(input.AppKey.Trim());
            account.AppKeySetAtUtc = now;
            changes.Add("AppKey replaced");
        }
        var hadPwd = account.CustomerPwdProtected is not null;
        Apply(account, input, now);
        if (!string.IsNullOrEmpty(input.CustomerPwd))
        {
            changes.Add(hadPwd ? "CustomerPwd replaced" : "CustomerPwd set");
        }
        if (input.IsDefault)
        {
            await ClearDefaultAsync(db, ct, exceptId: id);
        }
        account.Version = Guid.NewGuid();
        db.Audit(now, actor, "CarrierAccount.Updated", nameof(CarrierAccount), id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{account.Name}: {(changes.Count == 0 ? "settings" : string.Join(", ", changes))}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new CarrierAccountConcurrencyException();
        }
        return (await GetAsync(id, ct))!;
    }

    public async Task<bool> SetDisabledAsync(int id, bool disabled, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Set<CarrierAccount>().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        account.IsDisabled = disabled;
        if (disabled)
        {
            account.IsDefault = false;
        }
        account.UpdatedAtUtc = now;
        account.Version = Guid.NewGuid();
        db.Audit(now, actor, disabled ? "CarrierAccount.Disabled" : "CarrierAccount.Enabled", nameof(CarrierAccount), id.ToString(System.Globalization.CultureInfo.InvariantCulture), account.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A real signed call (2002) through the same gateway and rate limiter every feature uses.</summary>
    public async Task<ConnectionTestResult> TestConnectionAsync(int id, string actor, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var result = await carriers.CallAsync(id, (gateway, context, token) => gateway.RecogniseCarrierAsync(context, TestTrackingNumber, token), ct);
        watch.Stop();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var account = await db.Set<CarrierAccount>().SingleAsync(a => a.Id == id, ct);
        if (result.Success)
        {
            account.LastSuccessAtUtc = now;
        }
        else
        {
            account.LastFailureAtUtc = now;
            account.LastFailureReason = Describe(result) is { Length: > 500 } r ? r[..500] : Describe(result);
        }
        db.Audit(now, actor, "CarrierAccount.Tested", nameof(CarrierAccount), id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            result.Success ? $"OK in {watch.ElapsedMilliseconds} ms" : $"Failed: {Describe(result)}");
        await db.SaveChangesAsync(ct);
        return new ConnectionTestResult(result.Success, result.ResultCode, result.Success ? null : Describe(result), result.HttpStatus, watch.ElapsedMilliseconds, result.Error);
    }

    private static string Describe(CarrierResult result) =>
        string.Join(" ", new[] { result.ResultCode is null ? null : $"[{result.ResultCode}]", result.Reason ?? result.Error.ToString() }.Where(s => s is not null));

    private static async Task ClearDefaultAsync(PortalDbContext db, CancellationToken ct, int? exceptId = null)
    {
        foreach (var other in await db.Set<CarrierAccount>().Where(a => a.IsDefault && a.Id != exceptId).ToListAsync(ct))
        {
            other.IsDefault = false;
            other.Version = Guid.NewGuid();
        }
    }

    private void Apply(CarrierAccount account, CarrierAccountInput input, DateTime now)
    {
        account.Environment = input.Environment;
        account.CustomBaseUrl = input.Environment == CarrierEnvironment.Custom ? input.CustomBaseUrl?.Trim() : null;
        account.CustomerName = Blank(input.CustomerName);
        if (!string.IsNullOrEmpty(input.CustomerPwd))
        {
            account.CustomerPwdProtected = secrets.Protect(input.CustomerPwd);
            account.CustomerPwdSetAtUtc = now;
        }
        account.MonthCode = Blank(input.MonthCode);
        account.SendSite = Blank(input.SendSite);
        account.SendStaff = Blank(input.SendStaff);
        account.DefaultServiceType = input.DefaultServiceType;
        account.DefaultPayType = input.DefaultPayType;
        account.DailyQuota = input.DailyQuota;
        account.RequestsPerSecond = input.RequestsPerSecond;
        account.IsDefault = input.IsDefault && !account.IsDisabled;
        account.UpdatedAtUtc = now;
        if (account.Version == Guid.Empty)
        {
            account.Version = Guid.NewGuid();
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private void Validate(CarrierAccountInput input, bool creating)
    {
        var errors = new FieldProblems();
        void Add(string field, string message) => errors.Add(field, message);
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            Add("name", L["Error.Name"]);
        }
        if (string.IsNullOrWhiteSpace(input.EBusinessId) || input.EBusinessId.Trim().Length > 64)
        {
            Add("eBusinessId", L["Error.EBusinessId"]);
        }
        if (creating && string.IsNullOrWhiteSpace(input.AppKey))
        {
            Add("appKey", L["Error.AppKey"]);
        }
        if (input.AppKey is { Length: > 200 })
        {
            Add("appKey", L["Error.TooLong"]);
        }
        if (string.IsNullOrWhiteSpace(input.ShipperCode) || !KnownShipperCodes.Contains(input.ShipperCode.Trim().ToUpperInvariant()))
        {
            Add("shipperCode", L["Error.ShipperCode"]);
        }
        if (input.Environment == CarrierEnvironment.Custom)
        {
            if (!Uri.TryCreate(input.CustomBaseUrl?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                Add("customBaseUrl", L["Error.CustomBaseUrl"]);
            }
            else if (outbound.IsInternal(url))
            {
                // "Test connection" would otherwise probe the portal's own network (checked again, resolved, on every call).
                Add("customBaseUrl", L["Error.CustomBaseUrlInternal"]);
            }
        }
        if (input.DefaultPayType is < 1 or > 4)
        {
            Add("defaultPayType", L["Error.PayType"]);
        }
        if (input.DefaultServiceType is < 1 or > 99)
        {
            Add("defaultServiceType", L["Error.ServiceType"]);
        }
        if (input.DailyQuota < 0)
        {
            Add("dailyQuota", L["Error.Quota"]);
        }
        if (input.RequestsPerSecond is < 1 or > 1000)
        {
            Add("requestsPerSecond", L["Error.Rate"]);
        }
        foreach (var (field, value) in new[] { ("customerName", input.CustomerName), ("customerPwd", input.CustomerPwd), ("monthCode", input.MonthCode), ("sendSite", input.SendSite), ("sendStaff", input.SendStaff) })
        {
            if (value is { Length: > 100 })
            {
                Add(field, L["Error.TooLong"]);
            }
        }
        if (errors.Any)
        {
            throw new CarrierAccountValidationException(errors);
        }
    }

    private static CarrierAccountView View(CarrierAccount a, IReadOnlyList<CarrierCallStat> stats, DateTime since, DateTime todayStart)
    {
        var last24 = stats.Where(s => s.HourUtc >= since.AddHours(-1)).ToList();
        return new CarrierAccountView(a.Id, a.Name, a.Environment, a.CustomBaseUrl, a.EBusinessId, a.AppKeySetAtUtc, a.ShipperCode, a.CustomerName,
            a.CustomerPwdProtected is null ? null : a.CustomerPwdSetAtUtc, a.MonthCode, a.SendSite, a.SendStaff, a.DefaultServiceType, a.DefaultPayType,
            a.DailyQuota, a.RequestsPerSecond, a.IsDisabled, a.IsDefault,
            new CarrierAccountHealth(a.LastSuccessAtUtc, a.LastFailureAtUtc, a.LastFailureReason,
                stats.Where(s => s.HourUtc >= todayStart).Sum(s => s.Calls), last24.Sum(s => s.Calls), last24.Sum(s => s.Failures)),
            a.Version);
    }
}
