using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// Customer messages at a forward parcel's milestones and the shipment.status_changed webhook, written into the outbox
/// in the tracking writer's transaction: the message exists exactly when the status change does.
/// </summary>
public sealed class NotificationObserver : IShipmentObserver
{
    public async Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
    {
        foreach (var t in transitions.Where(t => t.From != t.To))
        {
            var s = t.Shipment;
            if (t.From is not null)
            {
                Outbox.EnqueueWebhook(db, WebhookEvents.ShipmentStatusChanged, new
                {
                    trackingNo = s.TrackingNo,
                    shipperCode = s.ShipperCode,
                    direction = s.Direction.ToString(),
                    from = t.From.ToString(),
                    to = t.To.ToString(),
                    subStatus = s.RawStateEx,
                    location = s.Location,
                    at = t.AtUtc,
                }, t.AtUtc, s.OrderId, s.Id, s.ReturnId);
            }
            if (Milestone(t) is { } milestone && s.OrderId is not null)
            {
                var values = await CustomerValues.ForAsync(db, s, ct);
                Outbox.EnqueueCustomer(db, milestone, s.OrderId, s.Id, null, values, t.AtUtc);
            }
        }
    }

    /// <summary>
    /// Forward parcels only: return parcels' messages (pickup booked, picked up, refunded) are the Returns feature's.
    /// "Shipped" is the first carrier scan, not the registration (a label printed is not a parcel on its way).
    /// </summary>
    public static NotificationMilestone? Milestone(ShipmentTransition t) => t.Shipment.Direction != ShipmentDirection.Forward ? null : t.To switch
    {
        ShipmentStatus.PickedUp or ShipmentStatus.InTransit when t.From is null or ShipmentStatus.Pending => NotificationMilestone.Shipped,
        ShipmentStatus.OutForDelivery => NotificationMilestone.OutForDelivery,
        ShipmentStatus.Delivered => NotificationMilestone.Delivered,
        _ => null,
    };
}
