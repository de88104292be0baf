using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// The shipments behind a KPI number: the same period and dimensions as the cell, plus the flags of the metric
/// (docs/kpis.md "Drill-down"). A false flag means the metric's own complement within its sample: onTime=false is
/// "late" (delivered with a promise, after it), firstAttempt=false is "delivered on a later attempt",
/// delivered=false is "final but not delivered"; exception and returned are plain yes/no.
/// </summary>
public sealed record KpiDrillDown(
    KpiFilter Filter,
    bool? Delivered = null,
    bool? OnTime = null,
    bool? FirstAttempt = null,
    bool? Exception = null,
    bool? Returned = null)
{
    private static readonly string[] Flags = ["delivered", "onTime", "firstAttempt", "exception", "returned"];

    /// <summary>The /shipments address listing exactly the shipments counted in this cell.</summary>
    public string ToShipmentsUrl()
    {
        var query = new Dictionary<string, string?>
        {
            ["finalFrom"] = Filter.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["finalTo"] = Filter.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["carrier"] = Filter.ShipperCode,
            ["service"] = Filter.ServiceType,
            ["warehouse"] = Filter.WarehouseId?.ToString(CultureInfo.InvariantCulture),
            ["origin"] = Filter.OriginProvince,
            ["destination"] = Filter.DestinationProvince,
            ["region"] = Filter.Region,
            ["delivered"] = Bool(Delivered),
            ["onTime"] = Bool(OnTime),
            ["firstAttempt"] = Bool(FirstAttempt),
            ["exception"] = Bool(Exception),
            ["returned"] = Bool(Returned),
        };
        return QueryHelpers.AddQueryString("/shipments", query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    /// <summary>Reads a drill-down from a /shipments address; null unless it names a final-date range.</summary>
    public static KpiDrillDown? FromUri(string uri)
    {
        var q = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Get(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        bool? Flag(string key) => bool.TryParse(Get(key), out var b) ? b : null;
        if (!DateOnly.TryParseExact(Get("finalFrom"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(Get("finalTo"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
        {
            return null;
        }
        var filter = new KpiFilter(from, to, Get("carrier")?.ToUpperInvariant(), Get("service"),
            int.TryParse(Get("warehouse"), CultureInfo.InvariantCulture, out var w) ? w : null, Get("origin"), Get("destination"), Get("region"));
        return new KpiDrillDown(filter, Flag(Flags[0]), Flag(Flags[1]), Flag(Flags[2]), Flag(Flags[3]), Flag(Flags[4]));
    }

    /// <summary>Narrows a shipments query to this cell, with <see cref="KpiDefinitions.Facts"/>'s own flags.</summary>
    public IQueryable<Shipment> Apply(PortalDbContext db, IQueryable<Shipment> shipments, RegionCatalog regions)
    {
        var f = Filter;
        var q = shipments.Where(KpiDefinitions.FinalBetween(f.From, f.To));
        if (!string.IsNullOrWhiteSpace(f.ShipperCode))
        {
            q = q.Where(s => s.ShipperCode == f.ShipperCode);
        }
        if (!string.IsNullOrWhiteSpace(f.ServiceType))
        {
            q = q.Where(s => s.ServiceType == f.ServiceType);
        }
        if (f.WarehouseId is { } warehouse)
        {
            q = q.Where(s => s.WarehouseId == warehouse);
        }
        if (!string.IsNullOrWhiteSpace(f.OriginProvince))
        {
            q = q.Where(s => s.OriginProvince == f.OriginProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.DestinationProvince))
        {
            q = q.Where(s => s.DestinationProvince == f.DestinationProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.Region))
        {
            var provinces = KpiDefinitions.ProvincesOf(regions, f.Region);
            q = q.Where(s => provinces.Contains(s.DestinationProvince!));
        }
        var facts = KpiDefinitions.Facts(db, db.Set<Shipment>());
        if (Delivered is { } delivered)
        {
            facts = facts.Where(x => x.Delivered == delivered);
        }
        if (OnTime is { } onTime)
        {
            facts = onTime ? facts.Where(x => x.OnTime) : facts.Where(x => x.HasPromise && !x.OnTime);
        }
        if (FirstAttempt is { } firstAttempt)
        {
            facts = firstAttempt ? facts.Where(x => x.FirstAttempt) : facts.Where(x => x.Delivered && !x.FirstAttempt);
        }
        if (Exception is { } exception)
        {
            facts = facts.Where(x => x.Exception == exception);
        }
        if (Returned is { } returned)
        {
            facts = facts.Where(x => x.Returned == returned);
        }
        return q.Where(s => facts.Any(x => x.Id == s.Id));
    }

    private static string? Bool(bool? value) => value is null ? null : value.Value ? "true" : "false";
}
