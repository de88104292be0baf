using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// What one final outgoing shipment contributes to the KPIs (docs/kpis.md). A class with init properties, not a
/// positional record: EF inlines a member-init projection, so the drill-down can filter on these very flags and
/// its count is the rollup's count by construction.
/// </summary>
public sealed class KpiFacts
{
    public long Id { get; init; }
    public DateTime FinalAtUtc { get; init; }
    public string ShipperCode { get; init; } = "";
    public string? ServiceType { get; init; }
    public int? WarehouseId { get; init; }
    public string? OriginProvince { get; init; }
    public string? DestinationProvince { get; init; }
    public bool Delivered { get; init; }
    /// <summary>Delivered and a promise is known: the on-time rate's sample.</summary>
    public bool HasPromise { get; init; }
    public bool OnTime { get; init; }
    public bool FirstAttempt { get; init; }
    public bool Exception { get; init; }
    public bool Returned { get; init; }
    public DateTime? FirstScanAtUtc { get; init; }
    public DateTime? DeliveredAtUtc { get; init; }
}

/// <summary>
/// The KPI definitions of docs/kpis.md, implemented once: the rollup, the drill-down to /shipments, the API and
/// the benchmark all go through <see cref="Facts"/>, <see cref="DayOf"/> and the histogram helpers here.
/// </summary>
public static class KpiDefinitions
{
    /// <summary>Transit histogram: 2-hour buckets from 0 to 15 days, then one overflow bucket (≥ 360 h).</summary>
    public const int BucketHours = 2;
    public const int Buckets = 180;
    public const int OverflowBucket = Buckets;
    public const double MaxHours = BucketHours * Buckets;

    /// <summary>
    /// Final outgoing shipments with their KPI flags. <paramref name="shipments"/> may be pre-filtered (dates,
    /// carrier, lane); reverse parcels and parcels not yet final never count.
    /// </summary>
    public static IQueryable<KpiFacts> Facts(PortalDbContext db, IQueryable<Shipment> shipments) =>
        shipments
            .Where(s => s.Direction == ShipmentDirection.Forward && s.FinalAtUtc != null)
            .Select(s => new KpiFacts
            {
                Id = s.Id,
                FinalAtUtc = s.FinalAtUtc!.Value,
                ShipperCode = s.ShipperCode,
                ServiceType = s.ServiceType,
                WarehouseId = s.WarehouseId,
                OriginProvince = s.OriginProvince,
                DestinationProvince = s.DestinationProvince,
                Delivered = s.Status == ShipmentStatus.Delivered,
                HasPromise = s.Status == ShipmentStatus.Delivered && s.DeliveredAtUtc != null
                    && (s.PromisedByUtc ?? s.EstimatedDeliveryUtc) != null,
                OnTime = s.Status == ShipmentStatus.Delivered && s.DeliveredAtUtc != null
                    && (s.PromisedByUtc ?? s.EstimatedDeliveryUtc) != null
                    && s.DeliveredAtUtc <= (s.PromisedByUtc ?? s.EstimatedDeliveryUtc),
                FirstAttempt = s.Status == ShipmentStatus.Delivered && s.DeliveryAttempts <= 1,
                Exception = db.Set<TrackingEvent>().Any(e => e.ShipmentId == s.Id && e.Status == ShipmentStatus.Exception),
                Returned = s.Status == ShipmentStatus.Returned
                    || (s.OrderId != null && db.Set<Shipment>().Any(r => r.Direction == ShipmentDirection.Reverse && r.OrderId == s.OrderId)),
                FirstScanAtUtc = s.FirstScanAtUtc,
                DeliveredAtUtc = s.DeliveredAtUtc,
            });

    /// <summary>The Beijing date a shipment counts on: the day it became final (docs/kpis.md "Which day").</summary>
    public static DateOnly DayOf(DateTime finalAtUtc) => DateOnly.FromDateTime(finalAtUtc + BusinessCalendar.Offset);

    public static DateTime DayStartUtc(DateOnly day) =>
        DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - BusinessCalendar.Offset, DateTimeKind.Utc);

    /// <summary>Shipments whose final day lies in [from, to] (Beijing dates, both inclusive).</summary>
    public static Expression<Func<Shipment, bool>> FinalBetween(DateOnly from, DateOnly to)
    {
        var start = DayStartUtc(from);
        var end = DayStartUtc(to.AddDays(1));
        return s => s.FinalAtUtc >= start && s.FinalAtUtc < end;
    }

    /// <summary>First scan to delivery, in hours; null when either is unknown or the clock ran backwards.</summary>
    public static double? TransitHours(DateTime? firstScanAtUtc, DateTime? deliveredAtUtc) =>
        firstScanAtUtc is { } first && deliveredAtUtc is { } delivered && delivered >= first ? (delivered - first).TotalHours : null;

    public static int BucketOf(double hours) => hours >= MaxHours ? OverflowBucket : (int)Math.Floor(hours / BucketHours);

    /// <summary>
    /// The p-quantile (0 &lt; p ≤ 1) of a histogram, interpolated linearly inside the bucket that holds the p·n-th
    /// value; the overflow bucket answers its lower edge (360 h). Null for an empty histogram.
    /// </summary>
    public static double? Percentile(IReadOnlyList<int> histogram, double p)
    {
        long n = 0;
        foreach (var c in histogram)
        {
            n += c;
        }
        if (n == 0)
        {
            return null;
        }
        var target = p * n;
        long before = 0;
        for (var i = 0; i < histogram.Count; i++)
        {
            var count = histogram[i];
            if (count > 0 && before + count >= target)
            {
                return i == OverflowBucket ? MaxHours : (i * BucketHours) + (BucketHours * (target - before) / count);
            }
            before += count;
        }
        return MaxHours;
    }

    /// <summary>Sparse text form stored in KpiDaily: "bucket:count" pairs in bucket order, e.g. "10:2,12:1".</summary>
    public static string EncodeHistogram(IReadOnlyList<int> histogram)
    {
        var text = new StringBuilder();
        for (var i = 0; i < histogram.Count; i++)
        {
            if (histogram[i] == 0)
            {
                continue;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(':').Append(histogram[i].ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Reads the sparse form into (bucket, count) pairs, reusing <paramref name="pairs"/> (cleared first).</summary>
    public static void ParseHistogram(string? encoded, List<(int Bucket, int Count)> pairs)
    {
        pairs.Clear();
        var span = encoded.AsSpan();
        while (span.Length > 0)
        {
            var comma = span.IndexOf(',');
            var pair = comma < 0 ? span : span[..comma];
            var colon = pair.IndexOf(':');
            pairs.Add((int.Parse(pair[..colon], CultureInfo.InvariantCulture), int.Parse(pair[(colon + 1)..], CultureInfo.InvariantCulture)));
            span = comma < 0 ? [] : span[(comma + 1)..];
        }
    }

    /// <summary>A region's provinces (RegionCatalog), by the full names shipments carry; a region filters destinations.</summary>
    public static List<string> ProvincesOf(RegionCatalog regions, string region) =>
        [.. regions.Provinces.Where(p => string.Equals(p.Region, region, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name)];

    public static double? Rate(int part, int sample) => sample == 0 ? null : (double)part / sample;
}
