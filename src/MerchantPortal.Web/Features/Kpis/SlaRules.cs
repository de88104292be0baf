using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// A delivery promise: a carrier delivers within <see cref="PromisedDays"/> calendar days, on any lane or on a
/// lane narrowed by origin and/or destination province ("" = any). The most specific rule wins (docs/kpis.md).
/// </summary>
public sealed class SlaRule
{
    public int Id { get; set; }
    public string ShipperCode { get; set; } = "";
    public string OriginProvince { get; set; } = "";
    public string DestinationProvince { get; set; } = "";
    public int PromisedDays { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string UpdatedBy { get; set; } = "";
}

internal sealed class SlaRuleConfiguration : IEntityTypeConfiguration<SlaRule>
{
    public void Configure(EntityTypeBuilder<SlaRule> b)
    {
        b.ToTable("SlaRules");
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.OriginProvince).HasMaxLength(20);
        b.Property(x => x.DestinationProvince).HasMaxLength(20);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.ShipperCode, x.OriginProvince, x.DestinationProvince }).IsUnique();
    }
}

public sealed record SlaRuleView(int Id, string ShipperCode, string? OriginProvince, string? DestinationProvince, int PromisedDays, DateTime UpdatedAtUtc, string UpdatedBy);

public sealed record SlaRuleInput(string ShipperCode, string? OriginProvince, string? DestinationProvince, int PromisedDays);

public sealed class SlaRuleValidationException(IEnumerable<FieldProblem> problems) : Exception("The SLA rule is not valid.")
{
    public FieldProblems Problems { get; } = new(problems);

    /// <summary>Field → messages, as the API's validation problem carries them.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problems.ToDictionary();
}

/// <summary>Admin edits of SLA rules (audited), and the rule matching used for promises.</summary>
public sealed class SlaRuleService(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock)
{
    public const int MaxDays = 30;

    public async Task<IReadOnlyList<SlaRuleView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.Set<SlaRule>().AsNoTracking().OrderBy(r => r.ShipperCode).ThenBy(r => r.OriginProvince).ThenBy(r => r.DestinationProvince).ToListAsync(ct);
        return [.. rules.Select(View)];
    }

    public async Task<SlaRuleView> SaveAsync(int? id, SlaRuleInput input, string actor, CancellationToken ct = default)
    {
        var code = (input.ShipperCode ?? "").Trim().ToUpperInvariant();
        var origin = Province(input.OriginProvince, "originProvince", out var originError);
        var destination = Province(input.DestinationProvince, "destinationProvince", out var destinationError);
        var errors = new List<FieldProblem>();
        if (code.Length is 0 or > 20)
        {
            errors.Add(new("shipperCode", "CarrierRequired", "A carrier code (1–20 characters, e.g. ZTO) is required."));
        }
        if (input.PromisedDays is < 1 or > MaxDays)
        {
            errors.Add(new("promisedDays", "DaysOutOfRange", $"Promised days must be between 1 and {MaxDays}.", MaxDays));
        }
        errors.AddRange(new[] { originError, destinationError }.OfType<FieldProblem>());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (errors.Count == 0 && await db.Set<SlaRule>().AnyAsync(r => r.Id != (id ?? 0) && r.ShipperCode == code && r.OriginProvince == origin && r.DestinationProvince == destination, ct))
        {
            errors.Add(new("shipperCode", "Duplicate", "A rule for this carrier and lane exists already; edit it instead."));
        }
        if (errors.Count > 0)
        {
            throw new SlaRuleValidationException(errors);
        }
        SlaRule rule;
        if (id is { } existing)
        {
            rule = await db.Set<SlaRule>().SingleOrDefaultAsync(r => r.Id == existing, ct) ?? throw new KeyNotFoundException();
        }
        else
        {
            rule = new SlaRule();
            db.Add(rule);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        (rule.ShipperCode, rule.OriginProvince, rule.DestinationProvince, rule.PromisedDays, rule.UpdatedAtUtc, rule.UpdatedBy) = (code, origin, destination, input.PromisedDays, now, actor);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, id is null ? "sla.create" : "sla.update", nameof(SlaRule), rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{code} {Any(origin)} → {Any(destination)}: {input.PromisedDays} days");
        await db.SaveChangesAsync(ct);
        return View(rule);
    }

    public async Task<bool> DeleteAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.Set<SlaRule>().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return false;
        }
        db.Remove(rule);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "sla.delete", nameof(SlaRule), id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{rule.ShipperCode} {Any(rule.OriginProvince)} → {Any(rule.DestinationProvince)}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// The rule for a shipment: same carrier, and each province either equal or "any". Destination is the more
    /// specific dimension (it decides the last mile), so carrier+lane &gt; carrier+destination &gt; carrier+origin &gt; carrier.
    /// </summary>
    public static SlaRule? Match(IEnumerable<SlaRule> rules, string shipperCode, string? origin, string? destination) =>
        rules
            .Where(r => r.ShipperCode == shipperCode
                && (r.OriginProvince.Length == 0 || r.OriginProvince == origin)
                && (r.DestinationProvince.Length == 0 || r.DestinationProvince == destination))
            .OrderByDescending(r => (r.DestinationProvince.Length > 0 ? 2 : 0) + (r.OriginProvince.Length > 0 ? 1 : 0))
            .FirstOrDefault();

    /// <summary>Calendar days (couriers in China deliver seven days a week): 23:59:59 Beijing time of start day + N.</summary>
    public static DateTime PromisedBy(DateTime startUtc, int promisedDays) =>
        KpiDefinitions.DayStartUtc(KpiDefinitions.DayOf(startUtc).AddDays(promisedDays + 1)).AddSeconds(-1);

    public string? Normalize(string? province) =>
        string.IsNullOrWhiteSpace(province) ? null : regions.FindProvince(province)?.Name ?? province.Trim();

    private string Province(string? name, string field, out FieldProblem? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        if (regions.FindProvince(name) is { } p)
        {
            return p.Name;
        }
        error = new(field, "UnknownProvince", $"Unknown province '{name}'.", name.Trim());
        return "";
    }

    private static string Any(string province) => province.Length == 0 ? "*" : province;

    private static SlaRuleView View(SlaRule r) =>
        new(r.Id, r.ShipperCode, r.OriginProvince.Length == 0 ? null : r.OriginProvince, r.DestinationProvince.Length == 0 ? null : r.DestinationProvince,
            r.PromisedDays, DateTime.SpecifyKind(r.UpdatedAtUtc, DateTimeKind.Utc), r.UpdatedBy);
}

/// <summary>
/// The promise made when a shipment is registered: its SLA rule counted from the first scan (or from
/// registration when no scan is known yet); without a rule, the carrier's ETA, as the default promise does.
/// </summary>
public sealed class SlaDeliveryPromise(SlaRuleService rules) : IDeliveryPromise
{
    public async Task<DateTime?> PromisedByAsync(PortalDbContext db, Shipment shipment, CancellationToken ct)
    {
        var candidates = await db.Set<SlaRule>().AsNoTracking().Where(r => r.ShipperCode == shipment.ShipperCode).ToListAsync(ct);
        var rule = SlaRuleService.Match(candidates, shipment.ShipperCode, rules.Normalize(shipment.OriginProvince), rules.Normalize(shipment.DestinationProvince));
        return rule is null
            ? shipment.EstimatedDeliveryUtc
            : SlaRuleService.PromisedBy(shipment.FirstScanAtUtc ?? shipment.CreatedAtUtc, rule.PromisedDays);
    }
}
