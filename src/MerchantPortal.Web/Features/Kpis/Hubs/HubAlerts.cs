using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Features.Kpis.Hubs;

/// <summary>Thresholds of the hub alert test (configuration section "Kpis:HubAlerts"; docs/kpis.md "Hub alerts").</summary>
public sealed class HubAlertOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Kpis:HubAlerts";

    /// <summary>The recent window: the last N days up to now.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 365, ErrorMessage = "Kpis:HubAlerts:RecentDays must be between 1 and 365.")]
    public int RecentDays { get; set; } = 3;
    /// <summary>The baseline window: the N days before the recent window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650, ErrorMessage = "Kpis:HubAlerts:BaselineDays must be between 1 and 3650.")]
    public int BaselineDays { get; set; } = 28;
    /// <summary>Shipments scanned at the hub in the recent window below which no alert is raised.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue, ErrorMessage = "Kpis:HubAlerts:MinRecentShipments must not be negative.")]
    public int MinRecentShipments { get; set; } = 30;
    /// <summary>Shipments scanned at the hub in the baseline window below which the hub has no baseline yet.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue, ErrorMessage = "Kpis:HubAlerts:MinBaselineShipments must not be negative.")]
    public int MinBaselineShipments { get; set; } = 100;
    /// <summary>One-sided two-proportion z at or above which the rise is significant (3.0 ≈ p &lt; 0.0013).</summary>
    public double OpenZ { get; set; } = 3.0;
    /// <summary>An open alert closes once z falls below this (hysteresis: one episode is not split into many alerts).</summary>
    public double CloseZ { get; set; } = 1.0;
    /// <summary>The recent rate must also exceed the baseline by this many points (0.03 = 3 %), so a tiny but "significant" rise on a huge hub stays quiet.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0, ErrorMessage = "Kpis:HubAlerts:MinLift must be between 0 and 1.")]
    public double MinLift { get; set; } = 0.03;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (CloseZ > OpenZ)
        {
            // An alert would close in the same run that opened it.
            yield return new($"{Section}:CloseZ ({CloseZ}) is above {Section}:OpenZ ({OpenZ}).", [nameof(CloseZ)]);
        }
    }
}

/// <summary>
/// One episode of a hub's exception rate standing significantly above its own baseline. <see cref="OpenHub"/>
/// equals <see cref="Hub"/> while the alert is open and is null once closed: a unique index on it makes a second
/// open alert for one hub impossible, whatever two runs of the job do (NULLs are not unique on either provider).
/// </summary>
public sealed class HubAlert
{
    public long Id { get; set; }
    public required string Hub { get; set; }
    public string? OpenHub { get; set; }
    public DateTime OpenedAtUtc { get; set; }
    public DateTime? ClosedAtUtc { get; set; }
    public DateTime LastEvaluatedAtUtc { get; set; }
    /// <summary>The recent window of the last evaluation: its exception shipments are "the shipments involved".</summary>
    public DateTime RecentFromUtc { get; set; }
    public DateTime RecentToUtc { get; set; }
    public int RecentShipments { get; set; }
    public int RecentExceptions { get; set; }
    public int BaselineShipments { get; set; }
    public int BaselineExceptions { get; set; }
    public double Z { get; set; }
    public double PeakZ { get; set; }
}

internal sealed class HubAlertConfiguration : IEntityTypeConfiguration<HubAlert>
{
    public void Configure(EntityTypeBuilder<HubAlert> b)
    {
        b.ToTable("HubAlerts");
        b.Property(x => x.Hub).HasMaxLength(100);
        b.Property(x => x.OpenHub).HasMaxLength(100);
        b.HasIndex(x => x.OpenHub).IsUnique();
        b.HasIndex(x => x.OpenedAtUtc);
    }
}

/// <summary>
/// The hub job reads scans by time across all shipments; the tracking feature's indexes lead with the shipment.
/// Covering (time, place, status, shipment) so the per-hub counts never touch the table rows.
/// </summary>
internal sealed class HubScanIndexConfiguration : IEntityTypeConfiguration<TrackingEvent>
{
    public void Configure(EntityTypeBuilder<TrackingEvent> b) =>
        b.HasIndex(x => new { x.TimeUtc, x.Location, x.Status, x.ShipmentId }).HasDatabaseName("IX_TrackingEvents_Hub_Scans");
}

/// <summary>Shipments (distinct) scanned at a hub in a window, and those of them with an exception scan there.</summary>
public readonly record struct HubCounts(int Shipments, int Exceptions)
{
    public double? Rate => Shipments == 0 ? null : (double)Exceptions / Shipments;
}

public static class HubAlertTest
{
    /// <summary>
    /// One-sided two-proportion z (pooled): (p₁ − p₀) / √(p(1 − p)(1/n₁ + 1/n₀)). 0 when either window is empty
    /// or the pooled rate is 0 or 1 (no variance: nothing can be "significantly" different).
    /// </summary>
    public static double Z(HubCounts recent, HubCounts baseline)
    {
        if (recent.Shipments == 0 || baseline.Shipments == 0)
        {
            return 0;
        }
        var p1 = (double)recent.Exceptions / recent.Shipments;
        var p0 = (double)baseline.Exceptions / baseline.Shipments;
        var pooled = (double)(recent.Exceptions + baseline.Exceptions) / (recent.Shipments + baseline.Shipments);
        var variance = pooled * (1 - pooled) * ((1.0 / recent.Shipments) + (1.0 / baseline.Shipments));
        return variance <= 0 ? 0 : (p1 - p0) / Math.Sqrt(variance);
    }

    public static bool Significant(HubCounts recent, HubCounts baseline, HubAlertOptions o) =>
        recent.Shipments >= o.MinRecentShipments
        && baseline.Shipments >= o.MinBaselineShipments
        && recent.Rate - baseline.Rate >= o.MinLift
        && Z(recent, baseline) >= o.OpenZ;
}

public sealed record HubAlertShipment(string TrackingNo, string ShipperCode, ShipmentStatus Status);

public sealed record HubAlertView(
    long Id, string Hub, bool IsOpen, DateTime OpenedAtUtc, DateTime? ClosedAtUtc, DateTime LastEvaluatedAtUtc, DateTime RecentFromUtc, DateTime RecentToUtc,
    int RecentShipments, int RecentExceptions, double? RecentRate, int BaselineShipments, int BaselineExceptions, double? BaselineRate, double Z, double PeakZ);

/// <summary>
/// The recurring hub sweep (docs/kpis.md "Hub alerts"): per hub (a scan's location), the exception rate of the
/// recent window against the hub's own baseline window; a significant rise opens an alert, a fall below
/// <see cref="HubAlertOptions.CloseZ"/> closes it. Safe to run twice: the open alert is updated, never duplicated.
/// </summary>
public sealed class HubAlertJob(IDbContextFactory<PortalDbContext> dbFactory, JobGate gate, IOptions<HubAlertOptions> options, TimeProvider clock, ILogger<HubAlertJob> logger)
{
    public const string GateName = "kpis:hub-alerts";

    public async Task RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter(GateName);
        if (held is null)
        {
            return;
        }
        await EvaluateAsync(ct);
    }

    /// <summary>One evaluation at the clock's now; returns the alerts opened.</summary>
    public async Task<int> EvaluateAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var recentFrom = now.AddDays(-o.RecentDays);
        var baselineFrom = recentFrom.AddDays(-o.BaselineDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recent = await CountsAsync(db, recentFrom, now, ct);
        var baseline = await CountsAsync(db, baselineFrom, recentFrom, ct);
        var open = await db.Set<HubAlert>().Where(a => a.OpenHub != null).ToDictionaryAsync(a => a.Hub, StringComparer.Ordinal, ct);

        var opened = 0;
        foreach (var hub in recent.Keys.Union(open.Keys, StringComparer.Ordinal))
        {
            var r = recent.GetValueOrDefault(hub);
            var b = baseline.GetValueOrDefault(hub);
            var z = HubAlertTest.Z(r, b);
            if (open.TryGetValue(hub, out var alert))
            {
                Update(alert, now, recentFrom, r, b, z);
                if (z < o.CloseZ || r.Shipments == 0)
                {
                    (alert.OpenHub, alert.ClosedAtUtc) = (null, now);
                }
            }
            else if (HubAlertTest.Significant(r, b, o))
            {
                alert = new HubAlert { Hub = hub, OpenHub = hub, OpenedAtUtc = now };
                Update(alert, now, recentFrom, r, b, z);
                db.Add(alert);
                opened++;
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            // Another run opened the same hub's alert between our read and write (the unique index said no):
            // its alert stands, and the next run updates it.
            logger.LogInformation(ex, "Hub alert sweep raced another run; its results stand");
            return 0;
        }
        if (opened > 0)
        {
            logger.LogWarning("Hub alerts: {Opened} hub(s) with a significantly rising exception rate", opened);
        }
        return opened;
    }

    private static void Update(HubAlert a, DateTime now, DateTime recentFrom, HubCounts r, HubCounts b, double z)
    {
        (a.LastEvaluatedAtUtc, a.RecentFromUtc, a.RecentToUtc) = (now, recentFrom, now);
        (a.RecentShipments, a.RecentExceptions, a.BaselineShipments, a.BaselineExceptions) = (r.Shipments, r.Exceptions, b.Shipments, b.Exceptions);
        a.Z = Math.Round(z, 3);
        a.PeakZ = Math.Max(a.PeakZ, a.Z);
    }

    /// <summary>Per hub: distinct shipments scanned there in [from, to), and distinct shipments with an exception scan there.</summary>
    private static async Task<Dictionary<string, HubCounts>> CountsAsync(PortalDbContext db, DateTime from, DateTime to, CancellationToken ct)
    {
        var rows = await db.Set<TrackingEvent>().AsNoTracking()
            .Where(e => e.TimeUtc >= from && e.TimeUtc < to && e.Location != null && e.Location != "")
            .GroupBy(e => e.Location!)
            .Select(g => new
            {
                Hub = g.Key,
                Shipments = g.Select(e => e.ShipmentId).Distinct().Count(),
                Exceptions = g.Where(e => e.Status == ShipmentStatus.Exception).Select(e => e.ShipmentId).Distinct().Count(),
            })
            .ToListAsync(ct);
        return rows.ToDictionary(x => x.Hub, x => new HubCounts(x.Shipments, x.Exceptions), StringComparer.Ordinal);
    }
}

public sealed class HubAlertQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxShipments = 500;

    /// <summary>Open alerts first (highest z), then closed ones, newest first.</summary>
    public async Task<IReadOnlyList<HubAlertView>> ListAsync(bool? open = null, int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alerts = await db.Set<HubAlert>().AsNoTracking()
            .Where(a => open == null || (open == true ? a.OpenHub != null : a.OpenHub == null))
            .OrderByDescending(a => a.OpenedAtUtc).Take(take).ToListAsync(ct);
        return [.. alerts.OrderByDescending(a => a.OpenHub != null).ThenByDescending(a => a.OpenHub != null ? a.Z : 0).ThenByDescending(a => a.OpenedAtUtc).Select(View)];
    }

    public async Task<HubAlertView?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.Set<HubAlert>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return alert is null ? null : View(alert);
    }

    /// <summary>The shipments with an exception scan at the hub in the alert's (last evaluated) recent window.</summary>
    public async Task<IReadOnlyList<HubAlertShipment>> ShipmentsAsync(long alertId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.Set<HubAlert>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == alertId, ct);
        if (alert is null)
        {
            return [];
        }
        var ids = db.Set<TrackingEvent>()
            .Where(e => e.Location == alert.Hub && e.Status == ShipmentStatus.Exception && e.TimeUtc >= alert.RecentFromUtc && e.TimeUtc < alert.RecentToUtc)
            .Select(e => e.ShipmentId).Distinct();
        return await db.Set<Shipment>().AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.TrackingNo).Take(MaxShipments)
            .Select(s => new HubAlertShipment(s.TrackingNo, s.ShipperCode, s.Status)).ToListAsync(ct);
    }

    private static HubAlertView View(HubAlert a) => new(
        a.Id, a.Hub, a.OpenHub != null, Utc(a.OpenedAtUtc), a.ClosedAtUtc is { } c ? Utc(c) : null, Utc(a.LastEvaluatedAtUtc), Utc(a.RecentFromUtc), Utc(a.RecentToUtc),
        a.RecentShipments, a.RecentExceptions, new HubCounts(a.RecentShipments, a.RecentExceptions).Rate,
        a.BaselineShipments, a.BaselineExceptions, new HubCounts(a.BaselineShipments, a.BaselineExceptions).Rate, a.Z, a.PeakZ);

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
