using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>What an order's parcels say, as <see cref="OrderLifecycle.Derive"/> reads it.</summary>
/// <param name="Forward">The statuses of the order's outgoing parcels (voided waybills left out).</param>
/// <param name="ReturnReceived">A return parcel of the order reached the warehouse.</param>
/// <param name="CaseOpen">An open exception case names the order.</param>
/// <param name="SevereCaseOpen">An open high-severity exception case names the order.</param>
/// <param name="Expected">How many parcels the order ships in (拆单: its <see cref="Order.ParcelCount"/>): a parcel not yet
/// registered counts as not delivered.</param>
public sealed record ParcelPicture(IReadOnlyList<ShipmentStatus> Forward, bool ReturnReceived, bool CaseOpen, bool SevereCaseOpen, int Expected = 1);

/// <summary>Why an order moved: who or what (a user, an API key, a carrier scan, a case) and the detail for its history.</summary>
public sealed record OrderCause(string Actor, string Action, string? Details);

/// <summary>
/// The order's lifecycle after approval, owned by the Orders feature (docs/decisions/0015-order-lifecycle-and-table-ownership.md): other
/// features call these methods inside their own unit of work, so the order's change, its history row and their own
/// change commit together or not at all. Each status change writes exactly one history row naming its cause; a call
/// that changes nothing writes nothing, so replays and retries are harmless.
/// <code>
/// Approved → WaybillIssued (waybill issued) → Shipped (first carrier scan; straight from Approved for a parcel
/// registered by hand) → Delivered (every parcel signed); Exception while a parcel is in a carrier exception state
/// or a high-severity case is open, back to Shipped when it moves again; Returned when a return parcel reaches the
/// warehouse; a voided waybill reopens WaybillIssued to Approved.
/// </code>
/// </summary>
public static class OrderLifecycle
{
    /// <summary>The statuses that parcels move an order out of (people own the others: review, hold, cancel).</summary>
    private static readonly OrderStatus[] FollowsParcels = [OrderStatus.Approved, OrderStatus.WaybillIssued, OrderStatus.Shipped, OrderStatus.Exception, OrderStatus.Delivered];

    /// <summary>
    /// The status an order should move to from its parcels, or null when they give no reason to change it. Pure: the
    /// rules without the database, so each one has a unit test.
    /// </summary>
    public static OrderStatus? Derive(OrderStatus current, ParcelPicture parcels) =>
        Target(current, parcels) is { } next && next != current ? next : null;

    private static OrderStatus? Target(OrderStatus current, ParcelPicture parcels)
    {
        if (!FollowsParcels.Contains(current))
        {
            return null;
        }
        if (parcels.ReturnReceived && current != OrderStatus.Approved)
        {
            return OrderStatus.Returned;
        }
        if (current == OrderStatus.Delivered)
        {
            // Final for the parcels: a late scan or a case after signing never reopens it (only a return does).
            return null;
        }
        var forward = parcels.Forward;
        if (forward.Count > 0 && forward.Count >= parcels.Expected && forward.All(s => s == ShipmentStatus.Delivered))
        {
            return OrderStatus.Delivered;
        }
        if (parcels.SevereCaseOpen || forward.Any(InTrouble))
        {
            return OrderStatus.Exception;
        }
        if (forward.Any(s => s != ShipmentStatus.Pending))
        {
            return OrderStatus.Shipped;
        }
        // Nothing scanned yet: an order whose trouble cleared before the first scan waits for it again.
        return current == OrderStatus.Exception ? OrderStatus.WaybillIssued : null;
    }

    /// <summary>A parcel the carrier says is in trouble: a failed attempt, refused, lost, on its way back, silent too long.</summary>
    public static bool InTrouble(ShipmentStatus status) =>
        status is ShipmentStatus.Exception or ShipmentStatus.Returning or ShipmentStatus.Returned or ShipmentStatus.Expired;

    /// <summary>
    /// Approved → WaybillIssued with the waybill's number on the order; only while still Approved (a concurrent cancel
    /// wins). A split order (拆单) moves once every parcel has a live waybill (each earlier parcel's waybill is a history
    /// row without a status change); the orders merged into this one (合并发货) move with it, with the same number.
    /// The caller has saved the new waybill in <paramref name="db"/>'s transaction.
    /// </summary>
    public static async Task<bool> WaybillIssuedAsync(PortalDbContext db, long orderId, string shipperCode, string trackingNo, OrderCause cause, DateTime nowUtc, CancellationToken ct)
    {
        // One read for both cases (a batch stores thousands of waybills in its write transactions).
        var order = await db.Set<Order>().Where(o => o.Id == orderId)
            .Select(o => new { o.ParcelCount, o.OrderNo, Leads = db.Set<Order>().Any(f => f.MergedIntoOrderId == o.Id) }).FirstOrDefaultAsync(ct);
        var parcelCount = order?.ParcelCount ?? 1;
        if (parcelCount > 1)
        {
            var live = await db.Set<Waybill>().Where(w => w.LiveOrderId == orderId).Select(w => w.ParcelNo).Distinct().CountAsync(ct);
            if (live < parcelCount)
            {
                AddHistory(db, orderId, null, null, cause with { Action = "ParcelWaybillIssued", Details = $"{cause.Details} · {live}/{parcelCount}" }, nowUtc);
                return false;
            }
        }
        var changed = await IssueAsync(db, orderId, shipperCode, trackingNo, cause, nowUtc, ct);
        if (changed && order is { Leads: true })
        {
            var orderNo = order.OrderNo;
            foreach (var follower in await db.Set<Order>().Where(o => o.MergedIntoOrderId == orderId && o.Status == OrderStatus.Approved).Select(o => o.Id).ToListAsync(ct))
            {
                await IssueAsync(db, follower, shipperCode, trackingNo, cause with { Details = $"{cause.Details} · 合并发货 {orderNo}" }, nowUtc, ct);
            }
        }
        return changed;
    }

    private static async Task<bool> IssueAsync(PortalDbContext db, long orderId, string shipperCode, string trackingNo, OrderCause cause, DateTime nowUtc, CancellationToken ct)
    {
        var changed = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.Approved)
            .ExecuteUpdateAsync(u => u
                .SetProperty(o => o.Status, OrderStatus.WaybillIssued)
                .SetProperty(o => o.TrackingNo, trackingNo)
                .SetProperty(o => o.CarrierCode, shipperCode)
                .SetProperty(o => o.UpdatedAtUtc, nowUtc), ct) == 1;
        if (changed)
        {
            AddHistory(db, orderId, OrderStatus.Approved, OrderStatus.WaybillIssued, cause, nowUtc);
        }
        return changed;
    }

    /// <summary>
    /// A waybill was voided: WaybillIssued reopens to Approved without a number (a split order's, for any one of its
    /// parcels; the orders merged into it with it). The void is written to the order's history in any case (an order
    /// already moved on keeps its status; the row says what happened).
    /// </summary>
    public static async Task<bool> WaybillVoidedAsync(PortalDbContext db, long orderId, OrderCause cause, DateTime nowUtc, CancellationToken ct)
    {
        var reopened = await ReopenAsync(db, orderId, cause, nowUtc, ct);
        foreach (var follower in await db.Set<Order>().Where(o => o.MergedIntoOrderId == orderId && o.Status == OrderStatus.WaybillIssued).Select(o => o.Id).ToListAsync(ct))
        {
            await ReopenAsync(db, follower, cause, nowUtc, ct);
        }
        return reopened;
    }

    private static async Task<bool> ReopenAsync(PortalDbContext db, long orderId, OrderCause cause, DateTime nowUtc, CancellationToken ct)
    {
        var reopened = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.WaybillIssued)
            .ExecuteUpdateAsync(u => u
                .SetProperty(o => o.Status, OrderStatus.Approved)
                .SetProperty(o => o.TrackingNo, (string?)null)
                .SetProperty(o => o.CarrierCode, (string?)null)
                .SetProperty(o => o.UpdatedAtUtc, nowUtc), ct) == 1;
        AddHistory(db, orderId, reopened ? OrderStatus.WaybillIssued : null, reopened ? OrderStatus.Approved : null, cause, nowUtc);
        return reopened;
    }

    /// <summary>An outgoing parcel registered for the order (by hand or API): its number becomes the order's.</summary>
    public static Task NameParcelAsync(PortalDbContext db, long orderId, string shipperCode, string trackingNo, DateTime nowUtc, CancellationToken ct) =>
        db.Set<Order>().Where(o => o.Id == orderId)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.TrackingNo, trackingNo).SetProperty(o => o.CarrierCode, shipperCode).SetProperty(o => o.UpdatedAtUtc, nowUtc), ct);

    /// <summary>
    /// Tracking or monitoring changed something about these orders' parcels or cases in <paramref name="db"/> (not yet
    /// committed): each order's open-case flag and status are set to what the parcels and cases will say after the
    /// caller commits (<see cref="OrderParcels"/> reads the tables and the caller's pending changes), with one history
    /// row per changed status naming <paramref name="causeOf"/> for that order.
    /// </summary>
    public static async Task<int> FollowParcelsAsync(PortalDbContext db, IReadOnlyCollection<long> orderIds, Func<long, OrderCause> causeOf, DateTime nowUtc, CancellationToken ct)
    {
        if (orderIds.Count == 0)
        {
            return 0;
        }
        // 合并发货: the orders merged into a changed order ship in its parcel and follow it too, for the same reason.
        var ids = orderIds.ToList();
        var followers = await db.Set<Order>().Where(o => o.MergedIntoOrderId != null && ids.Contains(o.MergedIntoOrderId.Value))
            .Select(o => new { o.Id, Lead = o.MergedIntoOrderId!.Value }).ToListAsync(ct);
        var leadOf = followers.Where(f => !ids.Contains(f.Id)).ToDictionary(f => f.Id, f => f.Lead);
        var all = ids.Concat(leadOf.Keys).ToList();
        var pictures = await OrderParcels.PicturesAsync(db, all, ct);
        var moved = 0;
        foreach (var order in await db.Set<Order>().Where(o => all.Contains(o.Id)).ToListAsync(ct))
        {
            var picture = pictures[order.Id];
            var cause = leadOf.TryGetValue(order.Id, out var lead) ? causeOf(lead) : causeOf(order.Id);
            order.HasOpenException = picture.CaseOpen;
            if (Derive(order.Status, picture) is not { } next || next == order.Status)
            {
                continue;
            }
            AddHistory(db, order.Id, order.Status, next, cause, nowUtc);
            order.Status = next;
            order.UpdatedAtUtc = nowUtc;
            moved++;
        }
        return moved;
    }

    private static void AddHistory(PortalDbContext db, long orderId, OrderStatus? from, OrderStatus? to, OrderCause cause, DateTime nowUtc) =>
        db.Add(new OrderHistory
        {
            OrderId = orderId, AtUtc = nowUtc, Actor = Truncate(cause.Actor, 256), Action = cause.Action,
            FromStatus = from, ToStatus = to, Details = cause.Details is null ? null : Truncate(cause.Details, 1000),
        });

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
