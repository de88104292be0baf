using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Reads what an order's parcels and cases say (Tracking's shipments, Waybills' voids, Monitoring's cases) as they
/// will be when the caller's unit of work commits: the stored rows, overlaid with the entities the caller has added
/// or changed in the same context but not saved yet (a scan being ingested, a case being opened or resolved).
/// </summary>
public static class OrderParcels
{
    private sealed record ParcelRow(long Id, long OrderId, ShipmentDirection Direction, ShipmentStatus Status);

    private sealed record CaseRow(long Id, long OrderId, bool Open, bool Severe);

    public static async Task<IReadOnlyDictionary<long, ParcelPicture>> PicturesAsync(PortalDbContext db, IReadOnlyCollection<long> orderIds, CancellationToken ct)
    {
        var asked = orderIds.Distinct().ToList();
        // 合并发货: an order merged into another ships in that order's parcels, so it reads them; 拆单: a split order
        // expects as many parcels as it was split into.
        var orders = await db.Set<Order>().AsNoTracking().Where(o => asked.Contains(o.Id))
            .Select(o => new { o.Id, o.MergedIntoOrderId, o.ParcelCount }).ToDictionaryAsync(o => o.Id, ct);
        var sourceOf = asked.ToDictionary(id => id, id => orders.GetValueOrDefault(id)?.MergedIntoOrderId ?? id);
        var sources = sourceOf.Values.Distinct().ToList();
        var leadParcels = await db.Set<Order>().AsNoTracking().Where(o => sources.Contains(o.Id) && !asked.Contains(o.Id))
            .Select(o => new { o.Id, o.ParcelCount }).ToDictionaryAsync(o => o.Id, o => o.ParcelCount, ct);
        int Expected(long id) => orders.TryGetValue(sourceOf[id], out var own) ? own.ParcelCount : leadParcels.GetValueOrDefault(sourceOf[id], 1);
        var ids = asked.Union(sources).ToList();
        var parcels = (await db.Set<Shipment>().AsNoTracking().Where(s => s.OrderId != null && ids.Contains(s.OrderId.Value))
                .Select(s => new ParcelRow(s.Id, s.OrderId!.Value, s.Direction, s.Status)).ToListAsync(ct))
            .ToDictionary(p => p.Id);
        foreach (var entry in db.ChangeTracker.Entries<Shipment>().Where(e => e.State != EntityState.Deleted && e.Entity.OrderId is { } o && ids.Contains(o)))
        {
            parcels[entry.Entity.Id] = new ParcelRow(entry.Entity.Id, entry.Entity.OrderId!.Value, entry.Entity.Direction, entry.Entity.Status);
        }
        // A voided waybill's parcel never left: it neither ships nor delivers the order.
        var voided = (await db.Set<Waybill>().AsNoTracking()
                .Where(w => w.ShipmentId != null && w.LiveOrderId == null && ids.Contains(w.OrderId)).Select(w => w.ShipmentId!.Value).ToListAsync(ct))
            .ToHashSet();

        var cases = (await db.Set<ExceptionCase>().AsNoTracking()
                .Where(c => c.OrderId != null && ids.Contains(c.OrderId.Value) && c.Status != CaseStatus.Resolved)
                .Select(c => new CaseRow(c.Id, c.OrderId!.Value, true, c.Severity == ExceptionSeverity.High)).ToListAsync(ct))
            .ToDictionary(c => c.Id);
        var added = new List<CaseRow>();
        foreach (var entry in db.ChangeTracker.Entries<ExceptionCase>().Where(e => e.Entity.OrderId is { } o && ids.Contains(o)))
        {
            var c = entry.Entity;
            var row = new CaseRow(c.Id, c.OrderId!.Value, entry.State != EntityState.Deleted && c.Status != CaseStatus.Resolved, c.Severity == ExceptionSeverity.High);
            if (entry.State == EntityState.Added)
            {
                added.Add(row);
            }
            else
            {
                cases[c.Id] = row;
            }
        }
        var openCases = cases.Values.Concat(added).Where(c => c.Open).ToList();

        return asked.ToDictionary(id => id, id =>
        {
            var source = sourceOf[id];
            var mine = parcels.Values.Where(p => p.OrderId == source).ToList();
            return new ParcelPicture(
                [.. mine.Where(p => p.Direction == ShipmentDirection.Forward && !voided.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Status)],
                // A return is the order's own (a follower's goods may come back without the lead's).
                parcels.Values.Any(p => p.OrderId == id && p.Direction == ShipmentDirection.Reverse && p.Status == ShipmentStatus.Delivered),
                openCases.Any(c => c.OrderId == id || c.OrderId == source),
                openCases.Any(c => (c.OrderId == id || c.OrderId == source) && c.Severe),
                Math.Max(1, Expected(id)));
        });
    }
}
