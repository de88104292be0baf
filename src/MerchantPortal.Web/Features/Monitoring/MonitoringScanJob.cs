using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>
    /// New cases one sweep may open. A backlog (a carrier outage, a first start over old demo data) then fills the
    /// queue over several sweeps, oldest trigger first, instead of flooding it and the webhooks at once.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100000, ErrorMessage = "Monitoring:MaxNewCasesPerScan must be between 1 and 100000.")]
    public int MaxNewCasesPerScan { get; set; } = 200;
}

/// <summary>
/// The recurring "monitoring:scan": time-based rules (no first scan, no update, out for delivery too long, locker not
/// collected, promised date missed), the forecast (will miss the promise), and a catch-up of status evidence (a parcel
/// whose status says failed delivery, rejected or returning has that case even if its transition was never observed).
/// A parcel has one open case: the most specific cause decides its type (ADR 0020), so a less specific rule skips a
/// parcel whose case is as specific or more, and a more specific one changes the case's cause. Idempotent: a resolved
/// case for the same trigger is skipped in the query, and the unique open-case index settles any race.
/// </summary>
public sealed class MonitoringScanJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<MonitoringOptions> options,
    ILogger<MonitoringScanJob> logger)
{
    public static readonly ExceptionType[] TimeBased =
    [
        ExceptionType.NoFirstScan, ExceptionType.NoUpdate, ExceptionType.OutForDeliveryStalled,
        ExceptionType.LockerNotCollected, ExceptionType.PromisedDateMissed, ExceptionType.WillMissPromise,
    ];

    /// <summary>Status evidence the sweep files when the parcel has no case for it yet (its threshold is not used).</summary>
    public static readonly ExceptionType[] StatusCatchUp =
    [
        ExceptionType.FailedDelivery, ExceptionType.Rejected, ExceptionType.ReturningToSender,
    ];

    /// <summary>A parcel late by the forecast whose last scan is older than this is "stuck at a hub"; otherwise the lane is slower than usual.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromHours(24);

    /// <summary>The resolution a forecast case gets when the prediction comes back inside the promise.</summary>
    public const string CaughtUp = "Caught up";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var budget = options.Value.MaxNewCasesPerScan;
        List<MonitoringRule> rules;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rules = await db.Set<MonitoringRule>().AsNoTracking().ToListAsync(ct);
        }
        await CloseCaughtUpAsync(now, ct);
        var opened = 0;
        // Most specific cause first: a parcel gets its best case at once instead of a silence changed into it later.
        foreach (var rule in rules.Where(r => r.Enabled && (TimeBased.Contains(r.Type) || StatusCatchUp.Contains(r.Type)))
                     .OrderByDescending(r => MonitoringRules.Rank(r.Type)).ThenByDescending(r => r.Specificity))
        {
            if (opened >= budget)
            {
                logger.LogInformation("Monitoring scan reached its cap of {Cap} new cases; the rest open at the next scan", budget);
                break;
            }
            opened += await ApplyAsync(rule, rules.Where(r => r.Type == rule.Type && MonitoringRules.Outranks(r, rule)).ToList(), now, budget - opened, ct);
        }
        return opened;
    }

    /// <summary>Forecast cases whose parcel is predicted back inside its promise close themselves.</summary>
    private async Task CloseCaughtUpAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var caughtUp = await db.Set<ExceptionCase>()
            .Where(c => c.Type == ExceptionType.WillMissPromise && c.Status != CaseStatus.Resolved)
            .Where(c => db.Set<Shipment>().Any(s => s.Id == c.ShipmentId && s.PromisedByUtc != null
                && (s.PredictedLatestUtc ?? s.PredictedDeliveryUtc) != null && (s.PredictedLatestUtc ?? s.PredictedDeliveryUtc) <= s.PromisedByUtc))
            .ToListAsync(ct);
        if (caughtUp.Count == 0)
        {
            return;
        }
        foreach (var c in caughtUp)
        {
            CaseWriter.Resolve(db, c, CaseWriter.System, CaughtUp, CaseNoteKind.AutoResolved, now);
        }
        await CaseWriter.SyncOrdersAsync(db, caughtUp, CaseWriter.System, now, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task<int> ApplyAsync(MonitoringRule rule, List<MonitoringRule> outranking, DateTime now, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Status and forecast rules act at once; a forecast rule's threshold is not a delay.
        var cutoff = MonitoringRules.UsesThreshold(rule.Type) ? now.AddHours(-rule.ThresholdHours) : now;
        var candidates = await Due(db, rule, outranking, cutoff, now).OrderBy(c => c.Ref).ThenBy(c => c.Id).Take(limit).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return 0;
        }
        await ShipmentRef.FillOrdersAsync(db, candidates, ct);
        var ids = candidates.Select(c => c.Id).ToList();
        // Less specific open cases of these parcels (the query skipped those as specific or more): the new cause takes them over.
        var open = await db.Set<ExceptionCase>().Where(k => k.ShipmentId != null && ids.Contains(k.ShipmentId.Value) && k.Status != CaseStatus.Resolved)
            .ToDictionaryAsync(k => k.ShipmentId!.Value, ct);
        var changed = new List<ExceptionCase>(candidates.Count);
        foreach (var c in candidates)
        {
            var late = rule.Type == ExceptionType.WillMissPromise ? LateCauseOf(c, now) : (LateCause?)null;
            ExceptionCase k;
            if (open.TryGetValue(c.Id, out var existing))
            {
                CaseWriter.ChangeCause(db, existing, rule, c.Ref, now, late);
                k = existing;
            }
            else
            {
                k = CaseWriter.Open(db, rule, c, c.Ref, now);
                k.LateCause = late;
            }
            if (c.PromisedByUtc is { } promised && rule.Type == ExceptionType.WillMissPromise && promised < k.DueAtUtc)
            {
                // Handled before the promise falls due, or it is missed anyway.
                k.DueAtUtc = promised;
                CaseUrgency.Apply(k);
            }
            changed.Add(k);
        }
        await CaseWriter.SyncOrdersAsync(db, changed, CaseWriter.System, now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            return candidates.Count;
        }
        catch (DbUpdateException ex)
        {
            // A status change opened one of these at the same moment (unique open-case index). Nothing is lost: the
            // next scan re-reads and opens the others.
            logger.LogInformation(ex, "Monitoring scan for {Type} raced with a tracking update; retrying at the next scan", rule.Type);
            return 0;
        }
    }

    private static LateCause LateCauseOf(ShipmentRef s, DateTime now) =>
        s.LastScanAtUtc is { } last && now - last < StuckAfter ? LateCause.LaneSlower : LateCause.StuckAtHub;

    /// <summary>
    /// Shipments this rule decides for whose condition started before the cutoff, that have no open case as specific
    /// or more, and no resolved case of this type for the same trigger.
    /// </summary>
    private static IQueryable<ShipmentRef> Due(PortalDbContext db, MonitoringRule rule, List<MonitoringRule> outranking, DateTime cutoff, DateTime now)
    {
        var shipments = db.Set<Shipment>().Where(s =>
            s.Status != ShipmentStatus.Delivered && s.Status != ShipmentStatus.Returned && s.Status != ShipmentStatus.Expired);
        if (rule.ShipperCode is { } code)
        {
            shipments = shipments.Where(s => s.ShipperCode == code);
        }
        if (rule.OriginProvince is { } origin)
        {
            shipments = shipments.Where(s => s.OriginProvince == origin);
        }
        if (rule.DestinationProvince is { } destination)
        {
            shipments = shipments.Where(s => s.DestinationProvince == destination);
        }
        foreach (var other in outranking)
        {
            // Shipments a more specific rule decides are that rule's, whatever its threshold or switch.
            var (c2, o2, d2) = (other.ShipperCode, other.OriginProvince, other.DestinationProvince);
            shipments = shipments.Where(s => !((c2 == null || s.ShipperCode == c2) && (o2 == null || s.OriginProvince == o2) && (d2 == null || s.DestinationProvince == d2)));
        }
        var type = rule.Type;
        var atLeast = MonitoringRules.AtLeastAsSpecific(type);
        return Facts(shipments, type, now)
            .Where(c => c.Ref <= cutoff)
            .Where(c => !db.Set<ExceptionCase>().Any(k => k.ShipmentId == c.Id && k.Status != CaseStatus.Resolved && atLeast.Contains(k.Type)))
            .Where(c => !db.Set<ExceptionCase>().Any(k => k.ShipmentId == c.Id && k.Type == type && k.Status == CaseStatus.Resolved && k.TriggerAtUtc >= c.Ref));
    }

    /// <summary>
    /// Per type: which shipments are in the watched condition, and since when (<see cref="ShipmentRef.Ref"/>). A parcel
    /// whose status already says what is wrong (a failed delivery, a rejection, on its way back) is filed under that
    /// status, never as a silence or a late date: 401/403 (no information, no update) are the only problem codes a
    /// silence may still explain (<see cref="MonitoringRules.StatusTrigger"/>).
    /// </summary>
    private static IQueryable<ShipmentRef> Facts(IQueryable<Shipment> s, ExceptionType type, DateTime now)
    {
        var plain = s.Where(x => x.Status != ShipmentStatus.Returning
            && (x.Status != ShipmentStatus.Exception || x.RawStateEx == "401" || x.RawStateEx == "403"));
        return type switch
        {
            // 24 h after the waybill/registration and still no carrier scan.
            ExceptionType.NoFirstScan => s.Where(x => x.FirstScanAtUtc == null && x.Status == ShipmentStatus.Pending)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.CreatedAtUtc }),
            // Moving parcels only: a parcel in a locker waits for the customer, not the carrier (its own rule).
            ExceptionType.NoUpdate => plain.Where(x => x.Status != ShipmentStatus.Pending && x.Status != ShipmentStatus.AvailableForPickup)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.LastEventAtUtc ?? x.StatusChangedAtUtc ?? x.CreatedAtUtc }),
            ExceptionType.OutForDeliveryStalled => s.Where(x => x.Status == ShipmentStatus.OutForDelivery)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.OutForDeliveryAtUtc ?? x.StatusChangedAtUtc ?? x.CreatedAtUtc }),
            ExceptionType.LockerNotCollected => s.Where(x => x.Status == ShipmentStatus.AvailableForPickup)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.StatusChangedAtUtc ?? x.LastEventAtUtc ?? x.CreatedAtUtc }),
            // The merchant's promise when there is one, else the carrier's estimate; forward parcels only.
            ExceptionType.PromisedDateMissed => plain.Where(x => x.Direction == ShipmentDirection.Forward && (x.PromisedByUtc != null || x.EstimatedDeliveryUtc != null))
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = (x.PromisedByUtc ?? x.EstimatedDeliveryUtc)!.Value }),
            // Before the promise falls due, the portal's expected delivery lies after it. Since the prediction made it.
            ExceptionType.WillMissPromise => plain.Where(x => x.Direction == ShipmentDirection.Forward && x.PromisedByUtc != null && x.PromisedByUtc > now
                    && x.PredictedDeliveryUtc != null && x.PredictedDeliveryUtc > x.PromisedByUtc)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.PredictedAtUtc ?? x.CreatedAtUtc, PromisedByUtc = x.PromisedByUtc, LastScanAtUtc = x.LastEventAtUtc ?? x.FirstScanAtUtc }),
            // Status evidence the observer did not see change (a parcel first seen in that state): filed as what it is.
            ExceptionType.FailedDelivery => s.Where(x => x.Status == ShipmentStatus.Exception && (x.RawStateEx == null
                    || (x.RawStateEx != "404" && x.RawStateEx != "412" && x.RawStateEx != "401" && x.RawStateEx != "403")))
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.StatusChangedAtUtc ?? x.LastEventAtUtc ?? x.CreatedAtUtc }),
            ExceptionType.Rejected => s.Where(x => x.Status == ShipmentStatus.Exception && x.RawStateEx == "404")
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.StatusChangedAtUtc ?? x.LastEventAtUtc ?? x.CreatedAtUtc }),
            ExceptionType.ReturningToSender => s.Where(x => x.Status == ShipmentStatus.Returning && x.Direction == ShipmentDirection.Forward)
                .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.StatusChangedAtUtc ?? x.LastEventAtUtc ?? x.CreatedAtUtc }),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a swept rule."),
        };
    }
}
