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
/// collected, promised date missed). Idempotent: a shipment with an open case of a type, or a resolved one for the
/// same trigger, is skipped in the query, and the unique open-case index settles any race.
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
        ExceptionType.LockerNotCollected, ExceptionType.PromisedDateMissed,
    ];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var budget = options.Value.MaxNewCasesPerScan;
        List<MonitoringRule> rules;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rules = await db.Set<MonitoringRule>().AsNoTracking().ToListAsync(ct);
        }
        var opened = 0;
        foreach (var rule in rules.Where(r => r.Enabled && TimeBased.Contains(r.Type)).OrderBy(r => r.Type).ThenByDescending(r => r.Specificity))
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

    private async Task<int> ApplyAsync(MonitoringRule rule, List<MonitoringRule> outranking, DateTime now, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cutoff = now.AddHours(-rule.ThresholdHours);
        var candidates = await Due(db, rule, outranking, cutoff).OrderBy(c => c.Ref).ThenBy(c => c.Id).Take(limit).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return 0;
        }
        var orderIds = candidates.Where(c => c.OrderId != null).Select(c => c.OrderId!.Value).Distinct().ToList();
        var orderNos = await db.Set<Orders.Order>().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.OrderNo }).ToDictionaryAsync(o => o.Id, o => o.OrderNo, ct);
        var opened = new List<ExceptionCase>(candidates.Count);
        foreach (var c in candidates)
        {
            c.OrderNo = c.OrderId is { } oid ? orderNos.GetValueOrDefault(oid) : null;
            opened.Add(CaseWriter.Open(db, rule, c, c.Ref, now));
        }
        await CaseWriter.SyncOrdersAsync(db, opened, CaseWriter.System, now, ct);
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

    /// <summary>Shipments this rule decides for whose condition started before the cutoff and that have no case for it yet.</summary>
    private static IQueryable<ShipmentRef> Due(PortalDbContext db, MonitoringRule rule, List<MonitoringRule> outranking, DateTime cutoff)
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
        return Facts(shipments, type)
            .Where(c => c.Ref <= cutoff)
            .Where(c => !db.Set<ExceptionCase>().Any(k => k.ShipmentId == c.Id && k.Type == type && (k.Status != CaseStatus.Resolved || k.TriggerAtUtc >= c.Ref)));
    }

    /// <summary>Per type: which shipments are in the watched condition, and since when (<see cref="ShipmentRef.Ref"/>).</summary>
    private static IQueryable<ShipmentRef> Facts(IQueryable<Shipment> s, ExceptionType type) => type switch
    {
        // 24 h after the waybill/registration and still no carrier scan.
        ExceptionType.NoFirstScan => s.Where(x => x.FirstScanAtUtc == null && x.Status == ShipmentStatus.Pending)
            .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.CreatedAtUtc }),
        // Moving parcels only: a parcel in a locker waits for the customer, not the carrier (its own rule).
        ExceptionType.NoUpdate => s.Where(x => x.Status != ShipmentStatus.Pending && x.Status != ShipmentStatus.AvailableForPickup)
            .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.LastEventAtUtc ?? x.StatusChangedAtUtc ?? x.CreatedAtUtc }),
        ExceptionType.OutForDeliveryStalled => s.Where(x => x.Status == ShipmentStatus.OutForDelivery)
            .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.OutForDeliveryAtUtc ?? x.StatusChangedAtUtc ?? x.CreatedAtUtc }),
        ExceptionType.LockerNotCollected => s.Where(x => x.Status == ShipmentStatus.AvailableForPickup)
            .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = x.StatusChangedAtUtc ?? x.LastEventAtUtc ?? x.CreatedAtUtc }),
        // The merchant's promise when there is one, else the carrier's estimate; forward parcels only.
        ExceptionType.PromisedDateMissed => s.Where(x => x.Direction == ShipmentDirection.Forward && (x.PromisedByUtc != null || x.EstimatedDeliveryUtc != null))
            .Select(x => new ShipmentRef { Id = x.Id, OrderId = x.OrderId, TrackingNo = x.TrackingNo, ShipperCode = x.ShipperCode, OriginProvince = x.OriginProvince, DestinationProvince = x.DestinationProvince, Ref = (x.PromisedByUtc ?? x.EstimatedDeliveryUtc)!.Value }),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a time-based rule."),
    };
}
