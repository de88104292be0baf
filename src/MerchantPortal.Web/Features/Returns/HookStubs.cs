// TEMPORARY: the shape of the lead's shared hooks (common.md), until main has them; deleted before `git merge main`.
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Features.Tracking
{
    public sealed record ShipmentTransition(Shipment Shipment, ShipmentStatus? From, ShipmentStatus To, DateTime AtUtc, TrackingSource? Source);

    public interface IShipmentObserver
    {
        Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct);
    }

    public sealed record ShipmentFacts(ShipmentDirection Direction = ShipmentDirection.Forward, long? ReturnId = null,
        string? ServiceType = null, int? WarehouseId = null, string? OriginProvince = null, string? DestinationProvince = null);

    public static class ShipmentServiceStub
    {
        public static Task<RegisterResult> RegisterAsync(this ShipmentService s, string? orderNo, string? shipperCode, string trackingNo, int? carrierAccountId, ShipmentFacts? facts, CancellationToken ct = default)
        {
            _ = facts;
            return s.RegisterAsync(orderNo, shipperCode, trackingNo, carrierAccountId, ct);
        }
    }
}

namespace MerchantPortal.Web.Features.Admin.Settings
{
    public sealed class PortalSettings
    {
        public Task<T> GetAsync<T>(string key, T fallback, CancellationToken ct = default)
        {
            _ = key;
            return Task.FromResult(fallback);
        }

        public Task SetAsync<T>(string key, T value, string actor, CancellationToken ct = default)
        {
            _ = (key, value, actor);
            return Task.CompletedTask;
        }
    }
}

namespace MerchantPortal.Web.Features.Notifications
{
    public enum NotificationMilestone { Shipped, OutForDelivery, Delivered, Exception, PickupBooked, PickedUp, Refunded }

    public static class Outbox
    {
        public static void EnqueueCustomer(PortalDbContext db, NotificationMilestone milestone, long? orderId, long? shipmentId,
            long? returnId, IReadOnlyDictionary<string, string> values, DateTime nowUtc)
        {
            _ = (db, milestone, orderId, shipmentId, returnId, values, nowUtc);
        }

        public static void EnqueueWebhook(PortalDbContext db, string eventType, object payload, DateTime nowUtc,
            long? orderId = null, long? shipmentId = null, long? returnId = null)
        {
            _ = (db, eventType, payload, nowUtc, orderId, shipmentId, returnId);
        }
    }
}
