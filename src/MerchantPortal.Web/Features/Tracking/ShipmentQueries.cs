using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <param name="Doubtful">Dated in the future or contradicting the journey before it (<see cref="TimelineCheck"/>):
/// staff see it with a warning, customers never (<see cref="CustomerSafe.Timeline"/>).</param>
public sealed record ShipmentEventView(DateTime Time, string? Location, string Description, ShipmentStatus Status, bool Doubtful = false);

/// <param name="SubStatus">The carrier's StateEx (or State) code behind <paramref name="Status"/> (carrier-protocol.md §3).</param>
/// <param name="EstimatedDelivery">The carrier's own estimate (from the aggregator), shown beside ours as the carrier's.</param>
/// <param name="ExpectedDelivery">The portal's own prediction (day, window, the stage and lane it came from); null when none was made yet.</param>
/// <param name="PromisedBy">The delivery date promised to the customer.</param>
/// <param name="WillBeLate">The prediction's window ends after the promise and the parcel is not final.</param>
public sealed record ShipmentView(
    string TrackingNo,
    string ShipperCode,
    string? OrderNo,
    ShipmentStatus Status,
    string? SubStatus,
    IReadOnlyList<ShipmentEventView> Events,
    DateTime? LastCheckedAt,
    DateTime? NextCheckAt,
    TrackingSource? LastSource,
    DateTime? EstimatedDelivery = null,
    string? OriginProvince = null,
    string? DestinationProvince = null,
    ExpectedDelivery? ExpectedDelivery = null,
    DateTime? PromisedBy = null,
    bool WillBeLate = false);

/// <param name="ExpectedDelivery">The portal's own prediction; null when none was made yet.</param>
/// <param name="EstimatedDelivery">The carrier's own estimate.</param>
public sealed record ShipmentSummary(string TrackingNo, string ShipperCode, ShipmentDirection Direction, ShipmentStatus Status,
    ExpectedDelivery? ExpectedDelivery = null, DateTime? EstimatedDelivery = null);

/// <param name="ExpectedDelivery">The portal's own prediction; null when none was made yet.</param>
/// <param name="WillBeLate">The prediction's window ends after the promise and the parcel is not final.</param>
public sealed record ShipmentRow(long Id, string TrackingNo, string ShipperCode, ShipmentStatus Status, string? Location, DateTime? LastEventAtUtc, DateTime? LastCheckedAtUtc, TrackingSource? LastSource,
    ExpectedDelivery? ExpectedDelivery = null, DateTime? EstimatedDelivery = null, bool WillBeLate = false);

/// <summary>The order of the shipments list: newest first, or soonest expected delivery first (parcels without a prediction last).</summary>
public enum ShipmentSort
{
    Newest,
    Expected,
}

/// <param name="StaleOnly">Not final and not checked for <see cref="ShipmentQueries.StaleAfter"/>.</param>
/// <param name="Lane">Origin or destination province, by its leading characters ("浙江", "广东省").</param>
/// <param name="Kpi">The shipments behind a KPI number (a drill-down from /kpis).</param>
/// <param name="TrackingNos">Exactly these numbers (the shipments of a hub alert, /kpis/hub-alerts).</param>
/// <param name="WillBeLateOnly">Not final, and the prediction's window ends after the promise to the customer.</param>
public sealed record ShipmentFilter(ShipmentStatus? Status = null, string? ShipperCode = null, bool StaleOnly = false, string? Lane = null, KpiDrillDown? Kpi = null, IReadOnlyList<string>? TrackingNos = null,
    bool WillBeLateOnly = false);

/// <summary>Reads of shipments for pages and the API (newest scan first).</summary>
public sealed class ShipmentQueries(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions)
{
    /// <summary>What is wrong with the list's filters, field by field.</summary>
    public static FieldProblems ListProblems(string? carrier, string? lane, int? limit)
    {
        var problems = new FieldProblems();
        if (carrier?.Length > 20)
        {
            problems.Add("carrier", $"carrier is a carrier code of at most 20 characters; it had {carrier.Length}.");
        }
        if (lane?.Length > 100)
        {
            problems.Add("lane", $"lane is the leading characters of a province, at most 100; it had {lane.Length}.");
        }
        if (limit is < 1 or > 500)
        {
            problems.Add("limit", $"limit is 1 to 500; it was {limit}.");
        }
        return problems;
    }

    /// <summary>By number; when two carriers share a number (rare), the most recently registered.</summary>
    public Task<ShipmentView?> GetAsync(string trackingNo, CancellationToken ct = default) =>
        ReadAsync(s => s.TrackingNo == trackingNo, constantWork: false, ct);

    /// <summary>
    /// By id, with the same two reads whether or not the id exists (the public page passes 0 for "no match"), so the
    /// work done cannot tell a caller whether a number exists.
    /// </summary>
    public Task<ShipmentView?> GetByIdWithConstantWorkAsync(long id, CancellationToken ct = default) =>
        ReadAsync(s => s.Id == id, constantWork: true, ct);

    private async Task<ShipmentView?> ReadAsync(System.Linq.Expressions.Expression<Func<Shipment, bool>> which, bool constantWork, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<Shipment>().AsNoTracking()
            .Where(which)
            .OrderByDescending(s => s.Id)
            .Select(s => new
            {
                Shipment = s,
                OrderNo = db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.OrderNo).FirstOrDefault(),
                OrderProvince = db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.Province).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null && !constantWork)
        {
            return null;
        }
        var shipmentId = row?.Shipment.Id ?? 0;
        var scans = await db.Set<TrackingEvent>().AsNoTracking()
            .Where(e => e.ShipmentId == shipmentId)
            .OrderByDescending(e => e.TimeUtc).ThenByDescending(e => e.Id)
            .ToListAsync(ct);
        if (row is null)
        {
            return null;
        }
        var contradicting = TimelineCheck.Contradicting(scans);
        var events = scans.Select(e => new ShipmentEventView(e.TimeUtc, e.Location, e.Description, e.Status, e.DatedInFuture || contradicting.Contains(e.Id))).ToList();
        var s = row.Shipment;
        var expected = ExpectedDelivery.Of(s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc);
        return new ShipmentView(
            s.TrackingNo, s.ShipperCode, row.OrderNo, s.Status, s.RawStateEx ?? s.RawState,
            [.. events.Select(e => e with { Time = Utc(e.Time) })],
            UtcOrNull(s.LastCheckedAtUtc), UtcOrNull(s.NextCheckAtUtc), s.LastSource,
            UtcOrNull(s.EstimatedDeliveryUtc), s.OriginProvince, s.DestinationProvince ?? row.OrderProvince,
            expected, UtcOrNull(s.PromisedByUtc), expected?.WillBeLate(s.PromisedByUtc, s.Status) ?? false);
    }

    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(12);

    /// <summary>Newest first, keyset on Id (<paramref name="beforeId"/> = the last row of the previous page).</summary>
    public Task<IReadOnlyList<ShipmentRow>> ListAsync(ShipmentFilter filter, long? beforeId, int limit, DateTime nowUtc, CancellationToken ct = default) =>
        ListAsync(filter, ShipmentSort.Newest, beforeId, limit, nowUtc, ct);

    /// <summary>
    /// In <paramref name="sort"/> order, keyset paged: <paramref name="afterId"/> is the last row of the previous page.
    /// Newest first pages on Id; soonest expected first pages on (PredictedDeliveryUtc, Id) — its index — with the
    /// parcels without a prediction after all others, newest first among themselves (read in a second step, so both
    /// steps stay on an index).
    /// </summary>
    public async Task<IReadOnlyList<ShipmentRow>> ListAsync(ShipmentFilter filter, ShipmentSort sort, long? afterId, int limit, DateTime nowUtc, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Filtered(db, filter, nowUtc);
        if (sort == ShipmentSort.Newest)
        {
            return await Rows(q.Where(s => afterId == null || s.Id < afterId).OrderByDescending(s => s.Id).Take(limit), ct);
        }
        // Where the previous page ended: a predicted time (still among the predicted) or none (already among the rest).
        var cursor = afterId is { } id
            ? await db.Set<Shipment>().AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Id, s.PredictedDeliveryUtc }).FirstOrDefaultAsync(ct)
            : null;
        var rows = new List<ShipmentRow>();
        if (cursor is null || cursor.PredictedDeliveryUtc is not null)
        {
            var predicted = q.Where(s => s.PredictedDeliveryUtc != null);
            if (cursor?.PredictedDeliveryUtc is { } at)
            {
                predicted = predicted.Where(s => s.PredictedDeliveryUtc > at || (s.PredictedDeliveryUtc == at && s.Id > cursor.Id));
            }
            rows.AddRange(await Rows(predicted.OrderBy(s => s.PredictedDeliveryUtc).ThenBy(s => s.Id).Take(limit), ct));
        }
        if (rows.Count < limit)
        {
            var rest = q.Where(s => s.PredictedDeliveryUtc == null);
            if (cursor is { PredictedDeliveryUtc: null })
            {
                rest = rest.Where(s => s.Id < cursor.Id);
            }
            rows.AddRange(await Rows(rest.OrderByDescending(s => s.Id).Take(limit - rows.Count), ct));
        }
        return rows;
    }

    private static async Task<IReadOnlyList<ShipmentRow>> Rows(IQueryable<Shipment> q, CancellationToken ct)
    {
        var rows = await q
            .Select(s => new
            {
                s.Id, s.TrackingNo, s.ShipperCode, s.Status, s.Location, s.LastEventAtUtc, s.LastCheckedAtUtc, s.LastSource,
                s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc,
                s.EstimatedDeliveryUtc, s.PromisedByUtc,
            })
            .ToListAsync(ct);
        return [.. rows.Select(s =>
        {
            var expected = ExpectedDelivery.Of(s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc);
            return new ShipmentRow(s.Id, s.TrackingNo, s.ShipperCode, s.Status, s.Location, UtcOrNull(s.LastEventAtUtc), UtcOrNull(s.LastCheckedAtUtc), s.LastSource,
                expected, UtcOrNull(s.EstimatedDeliveryUtc), expected?.WillBeLate(s.PromisedByUtc, s.Status) ?? false);
        })];
    }

    /// <summary>How many shipments the filter matches (a KPI drill-down shows it next to the cell's number).</summary>
    public async Task<int> CountAsync(ShipmentFilter filter, DateTime nowUtc, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Filtered(db, filter, nowUtc).CountAsync(ct);
    }

    private IQueryable<Shipment> Filtered(PortalDbContext db, ShipmentFilter filter, DateTime nowUtc)
    {
        var q = db.Set<Shipment>().AsNoTracking();
        if (filter.Status is { } status)
        {
            q = q.Where(s => s.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(filter.ShipperCode))
        {
            var code = filter.ShipperCode.Trim().ToUpperInvariant();
            q = q.Where(s => s.ShipperCode == code);
        }
        if (filter.StaleOnly)
        {
            var before = nowUtc - StaleAfter;
            q = q.Where(s => s.NextCheckAtUtc != null && (s.LastCheckedAtUtc == null || s.LastCheckedAtUtc < before));
        }
        if (!string.IsNullOrWhiteSpace(filter.Lane))
        {
            var lane = filter.Lane.Trim();
            q = q.Where(s => (s.DestinationProvince != null && s.DestinationProvince.StartsWith(lane)) || (s.OriginProvince != null && s.OriginProvince.StartsWith(lane)));
        }
        if (filter.Kpi is { } kpi)
        {
            q = kpi.Apply(db, q, regions);
        }
        if (filter.WillBeLateOnly)
        {
            // The same test as ExpectedDelivery.WillBeLate, in SQL.
            q = q.Where(s => s.PromisedByUtc != null && s.PredictedLatestUtc != null && s.PredictedLatestUtc > s.PromisedByUtc
                && s.Status != ShipmentStatus.Delivered && s.Status != ShipmentStatus.Returned && s.Status != ShipmentStatus.Expired);
        }
        if (filter.TrackingNos is { Count: > 0 } numbers)
        {
            q = q.Where(s => numbers.Contains(s.TrackingNo));
        }
        return q;
    }

    /// <summary>An order's parcels, outgoing and returning, oldest first.</summary>
    public async Task<IReadOnlyList<ShipmentSummary>> ListForOrderAsync(long orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.OrderId == orderId)
            .OrderBy(s => s.Id)
            .Select(s => new
            {
                s.TrackingNo, s.ShipperCode, s.Direction, s.Status, s.EstimatedDeliveryUtc,
                s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc,
            })
            .ToListAsync(ct);
        return [.. rows.Select(s => new ShipmentSummary(s.TrackingNo, s.ShipperCode, s.Direction, s.Status,
            ExpectedDelivery.Of(s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc),
            UtcOrNull(s.EstimatedDeliveryUtc)))];
    }

    // SQLite hands DateTimes back unspecified; they are stored as UTC, and JSON must say so (a trailing Z).
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? UtcOrNull(DateTime? value) => value is null ? null : Utc(value.Value);
}
