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

/// <summary>An observer's place in the run: lower runs first (<see cref="ShipmentObservers"/>).</summary>
public sealed record ShipmentObserverRegistration(int Order, Type ObserverType);

public static class ShipmentObserverRegistrations
{
    /// <summary>
    /// Adds an observer that runs at <paramref name="order"/> among all observers. The places in use: Orders 100,
    /// Returns 200, Monitoring 300, Notifications 400 (see <see cref="ShipmentObservers"/> for why).
    /// </summary>
    public static IServiceCollection AddShipmentObserver<TObserver>(this IServiceCollection services, int order)
        where TObserver : class, IShipmentObserver
    {
        services.AddSingleton<TObserver>();
        services.AddSingleton(new ShipmentObserverRegistration(order, typeof(TObserver)));
        return services;
    }
}

/// <summary>
/// Runs every observer in order. The order is explicit, by each registration's number, not by which module registered
/// first: Orders first, so an order's history names the scan that moved it before anything else reacts; then Returns
/// (a return parcel's arrival changes the return), Monitoring (cases see the order and return as they now are) and
/// Notifications last (a message describes the state the others left).
/// </summary>
public sealed class ShipmentObservers(IEnumerable<IShipmentObserver> observers)
{
    private readonly IShipmentObserver[] all = observers.ToArray();

    /// <summary>The observers as they will run.</summary>
    public IReadOnlyList<IShipmentObserver> InOrder => all;

    /// <summary>The registered observers sorted by their order; two observers may not share a place.</summary>
    public static ShipmentObservers FromRegistrations(IServiceProvider services)
    {
        var registrations = services.GetServices<ShipmentObserverRegistration>().OrderBy(r => r.Order).ToList();
        var clash = registrations.GroupBy(r => r.Order).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException($"Shipment observers {string.Join(" and ", clash.Select(r => r.ObserverType.Name))} share order {clash.Key}; give each its own place.");
        }
        return new ShipmentObservers(registrations.Select(r => (IShipmentObserver)services.GetRequiredService(r.ObserverType)));
    }

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
