using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// The order follows its parcels: in the tracking writer's own transaction, every order whose parcel changed status
/// (or was registered) is moved to what all its parcels now say, with the deciding scan in its history. Registered
/// before the other observers, so the history names the scan rather than a case that scan opens.
/// </summary>
public sealed class OrderShipmentObserver : IShipmentObserver
{
    public async Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
    {
        var byOrder = transitions.Where(t => t.Shipment.OrderId is not null)
            .GroupBy(t => t.Shipment.OrderId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Scan?.TimeUtc ?? t.AtUtc).Last());
        if (byOrder.Count == 0)
        {
            return;
        }
        await OrderLifecycle.FollowParcelsAsync(db, byOrder.Keys, id => Cause(byOrder[id]), transitions.Max(t => t.AtUtc), ct);
    }

    /// <summary>"SF SF1234567890 · 【上海市】快件已签收 · 2026-12-04 14:02": which parcel, which scan, when (the status is the row's own).</summary>
    public static OrderCause Cause(ShipmentTransition t)
    {
        var s = t.Shipment;
        var scan = t.Scan is { } d ? $" · {d.Description} · {BusinessTime(d.TimeUtc)}" : "";
        return new OrderCause("carrier:" + s.ShipperCode, t.From is null ? "ParcelRegistered" : "ParcelScanned", $"{s.ShipperCode} {s.TrackingNo}{scan}");
    }

    private static string BusinessTime(DateTime utc) =>
        Infrastructure.BusinessCalendar.ToBusinessTime(utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
