namespace MerchantPortal.Web.Features.Picking;

/// <summary>One line a parcel carries: which order it came from (a merged lead carries its followers' lines too), the SKU, name and units.</summary>
public sealed record PickInputLine(long OrderId, string? Sku, string Name, int Quantity);

/// <summary>
/// One row of a pick list (拣货单): a SKU at its shelf location with the units to take and how many orders want it.
/// <paramref name="Location"/> is null when the catalogue names no location (or the line has no SKU); <paramref name="Sku"/>
/// is null for lines without one, which are grouped by name.
/// </summary>
public sealed record PickListRow(string? Location, string? Sku, string Name, int Quantity, int Orders);

/// <summary>A pick list of a waybill batch (or of the wave that started it): the header and the rows in walking order.</summary>
/// <param name="WaveCode">The wave (波次) the batch was started for, or null for a batch started by hand, the API or auto-waybill.</param>
/// <param name="PrintedAt">When the list was made, in Beijing time (as the labels print it).</param>
/// <param name="Parcels">Parcels with a live waybill (a split order counts once per parcel).</param>
/// <param name="Orders">Orders in those parcels (a merged parcel counts each of its orders).</param>
public sealed record PickList(long BatchId, string? WaveCode, string ShipperCode, string CarrierName, string CarrierAccountName, string Warehouse,
    DateTimeOffset PrintedAt, int Parcels, int Orders, int Units, IReadOnlyList<PickListRow> Rows)
{
    public int Skus => Rows.Count;
}

/// <summary>The grouping and walking order of a pick list, as a pure function so its rules are tested without a database.</summary>
public static class PickListRules
{
    /// <summary>
    /// Groups the lines by SKU (lines without a SKU by name), adds up their units, counts the distinct orders that want
    /// each, and sorts them the way a picker walks: by the catalogue's location then SKU; SKUs with no location after
    /// them (by SKU), lines without a SKU last (by name). Ordinal comparison, so "A-02" comes before "A-10" exactly as
    /// the shelves are labelled and the order never depends on the server's culture.
    /// </summary>
    /// <param name="locations">The catalogue's location per SKU (库位); a SKU missing or with an empty location has none.</param>
    public static IReadOnlyList<PickListRow> Group(IEnumerable<PickInputLine> lines, IReadOnlyDictionary<string, string?> locations,
        IReadOnlyDictionary<string, string>? catalogueNames = null)
    {
        return [.. lines
            .Where(l => l.Quantity > 0)
            .GroupBy(l => string.IsNullOrWhiteSpace(l.Sku) ? (Sku: (string?)null, Name: l.Name.Trim()) : (Sku: l.Sku.Trim(), Name: ""))
            .Select(g =>
            {
                var sku = g.Key.Sku;
                var location = sku is not null && locations.TryGetValue(sku, out var at) && !string.IsNullOrWhiteSpace(at) ? at.Trim() : null;
                var name = sku is not null && catalogueNames?.GetValueOrDefault(sku) is { Length: > 0 } known ? known : g.First().Name;
                return new PickListRow(location, sku, name, g.Sum(l => l.Quantity), g.Select(l => l.OrderId).Distinct().Count());
            })
            .OrderBy(r => r.Location is not null ? 0 : r.Sku is not null ? 1 : 2)
            .ThenBy(r => r.Location ?? "", StringComparer.Ordinal)
            .ThenBy(r => r.Sku ?? "", StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
