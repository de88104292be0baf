using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;

namespace MerchantPortal.Web.Features.Tracking;

// STAND-IN for the lead's shared hooks (replaced by main's version at merge).
public sealed record ShipmentTransition(Shipment Shipment, ShipmentStatus? From, ShipmentStatus To, DateTime AtUtc, TrackingSource? Source);

public interface IShipmentObserver
{
    Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct);
}

public interface IDeliveryPromise
{
    Task<DateTime?> PromisedByAsync(PortalDbContext db, Shipment shipment, CancellationToken ct);
}

public sealed record ShipmentFacts(ShipmentDirection Direction = ShipmentDirection.Forward, long? ReturnId = null,
    string? ServiceType = null, int? WarehouseId = null, string? OriginProvince = null, string? DestinationProvince = null);
