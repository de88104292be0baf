using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

public sealed record ShipmentEventView(DateTime Time, string? Location, string Description, ShipmentStatus Status);

/// <param name="SubStatus">The carrier's StateEx (or State) code behind <paramref name="Status"/> (carrier-protocol.md §3).</param>
public sealed record ShipmentView(
    string TrackingNo,
    string ShipperCode,
    string? OrderNo,
    ShipmentStatus Status,
    string? SubStatus,
    IReadOnlyList<ShipmentEventView> Events,
    DateTime? LastCheckedAt,
    DateTime? NextCheckAt,
    TrackingSource? LastSource);

public sealed record ShipmentSummary(string TrackingNo, string ShipperCode, ShipmentDirection Direction, ShipmentStatus Status);

/// <summary>Reads of shipments for pages and the API (newest scan first).</summary>
public sealed class ShipmentQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>By number; when two carriers share a number (rare), the most recently registered.</summary>
    public async Task<ShipmentView?> GetAsync(string trackingNo, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.TrackingNo == trackingNo)
            .OrderByDescending(s => s.Id)
            .Select(s => new
            {
                Shipment = s,
                OrderNo = db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.OrderNo).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var events = await db.Set<TrackingEvent>().AsNoTracking()
            .Where(e => e.ShipmentId == row.Shipment.Id)
            .OrderByDescending(e => e.TimeUtc).ThenByDescending(e => e.Id)
            .Select(e => new ShipmentEventView(e.TimeUtc, e.Location, e.Description, e.Status))
            .ToListAsync(ct);
        var s = row.Shipment;
        return new ShipmentView(
            s.TrackingNo, s.ShipperCode, row.OrderNo, s.Status, s.RawStateEx ?? s.RawState,
            [.. events.Select(e => e with { Time = Utc(e.Time) })],
            UtcOrNull(s.LastCheckedAtUtc), UtcOrNull(s.NextCheckAtUtc), s.LastSource);
    }

    /// <summary>An order's parcels, outgoing and returning, oldest first.</summary>
    public async Task<IReadOnlyList<ShipmentSummary>> ListForOrderAsync(long orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.OrderId == orderId)
            .OrderBy(s => s.Id)
            .Select(s => new ShipmentSummary(s.TrackingNo, s.ShipperCode, s.Direction, s.Status))
            .ToListAsync(ct);
    }

    // SQLite hands DateTimes back unspecified; they are stored as UTC, and JSON must say so (a trailing Z).
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? UtcOrNull(DateTime? value) => value is null ? null : Utc(value.Value);
}
