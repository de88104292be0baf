using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>A shipment was created (<see cref="From"/> null) or its status changed.</summary>
/// <param name="Scan">The carrier scan that decided the new status (its time and text), when one did.</param>
public sealed record ShipmentTransition(Shipment Shipment, ShipmentStatus? From, ShipmentStatus To, DateTime AtUtc, TrackingSource? Source, DecidingScan? Scan = null);

/// <summary>The scan behind a transition, as the order's history names it.</summary>
public sealed record DecidingScan(DateTime TimeUtc, string Description, string? Location);

/// <summary>
/// Lets other features react to tracking in the same transaction as the change (an outbox row, an exception case, a
/// return's status), so a crash can never leave the scan stored and the reaction lost, or the other way round.
/// Implementations add rows to <paramref name="db"/> and never call SaveChanges themselves.
/// </summary>
public interface IShipmentObserver
{
    Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct);
}

/// <summary>
/// The delivery date promised for a shipment, fixed when it is registered (Kpis: SLA rules). Null when no rule
/// applies; the carrier's estimate from the 8008 answer fills it then (ShipmentService.SubscribeAsync).
/// </summary>
public interface IDeliveryPromise
{
    Task<DateTime?> PromisedByAsync(PortalDbContext db, Shipment shipment, CancellationToken ct);
}

/// <summary>What the caller knows about a parcel beyond its number; missing values are taken from the order.</summary>
public sealed record ShipmentFacts(
    ShipmentDirection Direction = ShipmentDirection.Forward,
    long? ReturnId = null,
    string? ServiceType = null,
    int? WarehouseId = null,
    string? OriginProvince = null,
    string? DestinationProvince = null);

/// <summary>Runs every registered observer in order.</summary>
public sealed class ShipmentObservers(IEnumerable<IShipmentObserver> observers)
{
    private readonly IShipmentObserver[] all = observers.ToArray();

    public async Task NotifyAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
    {
        if (transitions.Count == 0)
        {
            return;
        }
        foreach (var observer in all)
        {
            await observer.OnTransitionsAsync(db, transitions, ct);
        }
    }
}
