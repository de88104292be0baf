using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>One unit count of one line in a parcel.</summary>
public sealed record ParcelLineRow(int LineNo, string Name, int Quantity);

/// <summary>One parcel of the order: what it holds, its live waybill and how far it is (null: no waybill or not yet registered).</summary>
public sealed record OrderParcelRow(int ParcelNo, IReadOnlyList<ParcelLineRow> Lines, string? ShipperCode, string? TrackingNo, MerchantPortal.Carriers.ShipmentStatus? Status);

/// <summary>
/// How the order ships (docs/decisions/0021-merged-and-split-parcels.md): in the parcel of <see cref="MergedInto"/>
/// (合并发货), carrying <see cref="MergedOrders"/>, and in which parcels (拆单: one per <see cref="Order.ParcelCount"/>).
/// </summary>
public sealed record OrderShipping(string? MergedInto, IReadOnlyList<string> MergedOrders, int ParcelCount, IReadOnlyList<OrderParcelRow> Parcels);

public sealed partial class OrderQueries
{
    private static async Task<OrderShipping> ShippingAsync(PortalDbContext db, long orderId, IReadOnlyList<OrderLineRow> lines, CancellationToken ct)
    {
        var order = await db.Set<Order>().AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.MergedIntoOrderId, o.ParcelCount }).SingleAsync(ct);
        var mergedInto = order.MergedIntoOrderId is { } lead ? await db.Set<Order>().Where(o => o.Id == lead).Select(o => o.OrderNo).FirstOrDefaultAsync(ct) : null;
        var mergedOrders = await db.Set<Order>().AsNoTracking().Where(o => o.MergedIntoOrderId == orderId).OrderBy(o => o.Id).Select(o => o.OrderNo).ToListAsync(ct);
        // A follower's parcel is its lead's: its waybill and scans are there.
        var source = order.MergedIntoOrderId ?? orderId;
        var waybills = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId == source)
            .Select(w => new
            {
                w.ParcelNo, w.ShipperCode, w.TrackingNo,
                Status = db.Set<Shipment>().Where(s => s.Id == w.ShipmentId).Select(s => (MerchantPortal.Carriers.ShipmentStatus?)s.Status).FirstOrDefault(),
            })
            .ToListAsync(ct);
        IReadOnlyList<OrderParcelRow> parcels;
        if (order.ParcelCount > 1)
        {
            var held = await db.Set<OrderParcelLine>().AsNoTracking().Where(p => p.OrderId == orderId).OrderBy(p => p.ParcelNo).ThenBy(p => p.LineNo).ToListAsync(ct);
            var names = lines.ToDictionary(l => l.LineNo, l => l.Name);
            parcels = [.. Enumerable.Range(1, order.ParcelCount).Select(n =>
            {
                var w = waybills.FirstOrDefault(x => x.ParcelNo == n);
                return new OrderParcelRow(n, [.. held.Where(p => p.ParcelNo == n).Select(p => new ParcelLineRow(p.LineNo, names.GetValueOrDefault(p.LineNo, ""), p.Quantity))],
                    w?.ShipperCode, w?.TrackingNo, w?.Status);
            })];
        }
        else
        {
            var w = waybills.FirstOrDefault();
            parcels = [new OrderParcelRow(1, [.. lines.Select(l => new ParcelLineRow(l.LineNo, l.Name, l.Quantity))], w?.ShipperCode, w?.TrackingNo, w?.Status)];
        }
        return new OrderShipping(mergedInto, mergedOrders, order.ParcelCount, parcels);
    }
}
