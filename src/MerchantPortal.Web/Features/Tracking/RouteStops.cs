using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Features.Tracking;

public enum RouteStopKind
{
    Origin,
    Hub,
    Destination,
}

/// <param name="Reached">The parcel has been there (a scan says so); the destination is reached only on delivery.</param>
public sealed record RouteStop(Place Place, RouteStopKind Kind, bool Reached);

/// <summary>The route picture's stops from a shipment's scans: where it started, the places it was scanned, where it goes.</summary>
public static class RouteStops
{
    /// <param name="eventsNewestFirst">As the timeline holds them.</param>
    /// <param name="originProvince">Province name or code from the shipment's facts, when known.</param>
    /// <param name="destinationProvince">Province name or code (or the receiver's address text).</param>
    public static IReadOnlyList<RouteStop> From(IEnumerable<ShipmentEventView> eventsNewestFirst, string? originProvince, string? destinationProvince, bool delivered)
    {
        var places = new List<Place>();
        foreach (var e in eventsNewestFirst.Reverse())
        {
            // A parcel is picked up once; a second pickup scan (a re-scan, a carrier's data error) means the scans
            // before it are not this parcel's journey, and joining them made the line double back across the map.
            if (e.Status == ShipmentStatus.PickedUp)
            {
                places.Clear();
            }
            var place = ChinaProvinces.Locate(e.Location) ?? ChinaProvinces.Locate(e.Description);
            // Consecutive scans in one city (arrived, sorted, left) are one stop.
            if (place is not null && (places.Count == 0 || places[^1].NameZh != place.NameZh))
            {
                places.Add(place);
            }
        }
        var origin = places.Count > 0 ? places[0] : Capital(originProvince);
        var destination = Capital(destinationProvince);
        if (destination is null && delivered && places.Count > 0)
        {
            destination = places[^1];
        }

        var stops = new List<RouteStop>();
        if (origin is not null)
        {
            stops.Add(new(origin, RouteStopKind.Origin, places.Count > 0));
        }
        foreach (var hub in places.Skip(1))
        {
            stops.Add(new(hub, RouteStopKind.Hub, true));
        }
        if (destination is not null)
        {
            // The last scan in the destination city is the destination itself, not a hub before it.
            if (stops.Count > 1 && stops[^1].Kind == RouteStopKind.Hub && stops[^1].Place.Province.Code == destination.Province.Code)
            {
                destination = stops[^1].Place;
                stops.RemoveAt(stops.Count - 1);
            }
            if (stops.Count == 0 || stops[^1].Place.NameZh != destination.NameZh || stops.Count == 1)
            {
                stops.Add(new(destination, RouteStopKind.Destination, delivered));
            }
        }
        return stops;
    }

    private static Place? Capital(string? province)
    {
        var p = ChinaProvinces.ByCode(province);
        return p is not null ? new Place(p, p.CapitalZh, p.CapitalEn, p.Lat, p.Lon) : ChinaProvinces.Locate(province);
    }
}
