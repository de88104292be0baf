using Hangfire;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Moves a return along with its reverse parcel, in the tracking writer's own transaction: first scan → PickedUp
/// (the pickup is Collected), moving → InTransit, delivered → Received. At the configured trigger it records the
/// refund decision (one row per return, unique) and, once that is saved, enqueues <see cref="RefundJob"/>.
/// </summary>
public sealed class ReturnShipmentObserver(ReturnRules rules, IBackgroundJobClient jobs, TimeProvider clock) : IShipmentObserver
{
    public async Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
    {
        var moving = transitions.Where(t => Target(t.To) is not null).ToList();
        if (moving.Count == 0)
        {
            return;
        }
        // The pickup that named the number ties a parcel to its return (a cancelled attempt's number never moves).
        var numbers = moving.Select(t => t.Shipment.TrackingNo).Distinct().ToList();
        var pickups = await db.Set<Pickup>()
            .Where(p => p.TrackingNo != null && numbers.Contains(p.TrackingNo) && (p.Status == PickupStatus.Booked || p.Status == PickupStatus.Collected || p.Status == PickupStatus.NoShow))
            .ToListAsync(ct);
        if (pickups.Count == 0)
        {
            return;
        }
        var ruleSet = await rules.GetAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var toRefund = new List<long>();
        foreach (var t in moving)
        {
            var pickup = pickups.FirstOrDefault(p => p.TrackingNo == t.Shipment.TrackingNo && string.Equals(p.ShipperCode, t.Shipment.ShipperCode, StringComparison.OrdinalIgnoreCase));
            if (pickup is null)
            {
                continue;
            }
            if (pickup.Status != PickupStatus.Collected)
            {
                // Also a "no-show" the courier made up for later: the parcel moving is the truth.
                var wasNoShow = pickup.Status == PickupStatus.NoShow;
                pickup.Status = PickupStatus.Collected;
                pickup.CollectedAtUtc = t.AtUtc;
                if (wasNoShow)
                {
                    // The courier came after all: the no-show case has nothing left to handle.
                    await Monitoring.ReturnCases.CloseAsync(db, pickup.ReturnId, "Collected after all: " + pickup.OrderCode, t.AtUtc, ct);
                }
            }
            var ret = await db.Set<ReturnRequest>().SingleAsync(r => r.Id == pickup.ReturnId, ct);
            if (await AdvanceAsync(db, ret, t, Target(t.To)!.Value, ruleSet, now, ct))
            {
                toRefund.Add(ret.Id);
            }
        }
        if (toRefund.Count > 0)
        {
            // Enqueued only once the decision is saved; if the enclosing transaction is rolled back the job finds
            // nothing pending and stops, and a lost enqueue is picked up by RefundWorkSource.
            db.SavedChanges += (_, _) =>
            {
                foreach (var id in toRefund)
                {
                    jobs.Enqueue<RefundJob>("default", j => j.RunAsync(id, CancellationToken.None));
                }
            };
        }
    }

    /// <summary>The return status a parcel status means; null = no change (pending, expired without a scan).</summary>
    public static ReturnStatus? Target(ShipmentStatus status) => status switch
    {
        ShipmentStatus.PickedUp => ReturnStatus.PickedUp,
        ShipmentStatus.InTransit or ShipmentStatus.OutForDelivery or ShipmentStatus.AvailableForPickup => ReturnStatus.InTransit,
        ShipmentStatus.Delivered => ReturnStatus.Received,
        // A problem or a trip back to the customer can be the first status a push brings (its earlier scans folded into
        // it): the courier has had the parcel all the same, so the pickup was collected. Forward only, so a return
        // already further along stays where it is; the problem itself is monitoring's business.
        ShipmentStatus.Exception or ShipmentStatus.Returning or ShipmentStatus.Returned => ReturnStatus.PickedUp,
        _ => null,
    };

    /// <summary>Forward only; returns true when this change reached the refund trigger and a decision was added.</summary>
    private static async Task<bool> AdvanceAsync(PortalDbContext db, ReturnRequest ret, ShipmentTransition t, ReturnStatus target, ReturnRuleSet ruleSet, DateTime now, CancellationToken ct)
    {
        var orderNo = await db.Set<Order>().Where(o => o.Id == ret.OrderId).Select(o => o.OrderNo).SingleAsync(ct);
        ret.ShipmentId ??= t.Shipment.Id;
        if (ret.PickedUpAtUtc is null)
        {
            ret.PickedUpAtUtc = t.AtUtc;
            Outbox.EnqueueCustomer(db, NotificationMilestone.PickedUp, ret.OrderId, t.Shipment.Id, ret.Id, new Dictionary<string, string>
            {
                ["rmaNo"] = ret.RmaNo,
                ["orderNo"] = orderNo,
                ["carrier"] = t.Shipment.ShipperCode,
                ["trackingNo"] = t.Shipment.TrackingNo,
            }, now);
        }
        if (target == ReturnStatus.Received)
        {
            ret.ReceivedAtUtc ??= t.AtUtc;
        }
        var previous = ret.Status;
        if ((ret.Status is >= ReturnStatus.PickupBooked and < ReturnStatus.Refunded && target > ret.Status)
            || ret.Status == ReturnStatus.Approved)
        {
            ret.Status = target;
            ret.StatusReason = null;
            ret.UpdatedAtUtc = now;
            ret.Version = Guid.NewGuid();
            ReturnService.StatusChanged(db, ret, orderNo, previous, now);
        }

        var due = ruleSet.RefundTrigger == RefundTrigger.OnFirstScan || target == ReturnStatus.Received;
        if (!due || ret.Status is ReturnStatus.Rejected or ReturnStatus.Cancelled
            || db.Set<Refund>().Local.Any(r => r.ReturnId == ret.Id) || await db.Set<Refund>().AnyAsync(r => r.ReturnId == ret.Id, ct))
        {
            return false;
        }
        db.Add(new Refund
        {
            ReturnId = ret.Id,
            Kind = ret.Resolution,
            Amount = ret.Amount,
            Status = RefundStatus.Requested,
            Trigger = target == ReturnStatus.Received ? "received" : "first-scan",
            DecidedAtUtc = now,
        });
        return true;
    }
}
