using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// A KPI question: a period of final days (Beijing dates, inclusive) and optional dimensions. <see cref="Region"/>
/// narrows destinations to one region of china-regions.csv (North, East, …).
/// </summary>
public sealed record KpiFilter(
    DateOnly From,
    DateOnly To,
    string? ShipperCode = null,
    string? ServiceType = null,
    int? WarehouseId = null,
    string? OriginProvince = null,
    string? DestinationProvince = null,
    string? Region = null,
    int? ShopId = null)
{
    public const int MaxDays = 366;

    public static KpiFilter LastDays(int days, DateOnly today) => new(today.AddDays(-Math.Clamp(days, 1, MaxDays) + 1), today);
}

/// <summary>Summed counts of any set of KpiDaily rows; every rate and percentile derives from these alone.</summary>
public sealed class KpiCell
{
    public int Final { get; private set; }
    public int Delivered { get; private set; }
    public int WithPromise { get; private set; }
    public int OnTime { get; private set; }
    public int FirstAttempt { get; private set; }
    public int Exceptions { get; private set; }
    public int Returned { get; private set; }
    public int TransitCount { get; private set; }
    public double TransitHoursSum { get; private set; }
    public int[] Histogram { get; } = new int[KpiDefinitions.Buckets + 1];

    public double? DeliveredRate => KpiDefinitions.Rate(Delivered, Final);
    /// <summary>Sample: delivered shipments with a known promise (<see cref="WithPromise"/>).</summary>
    public double? OnTimeRate => KpiDefinitions.Rate(OnTime, WithPromise);
    /// <summary>Sample: delivered shipments.</summary>
    public double? FirstAttemptRate => KpiDefinitions.Rate(FirstAttempt, Delivered);
    public double? ExceptionRate => KpiDefinitions.Rate(Exceptions, Final);
    public double? ReturnRate => KpiDefinitions.Rate(Returned, Final);
    public double? AverageTransitHours => TransitCount == 0 ? null : TransitHoursSum / TransitCount;
    public double? P50TransitHours => KpiDefinitions.Percentile(Histogram, 0.5);
    public double? P90TransitHours => KpiDefinitions.Percentile(Histogram, 0.9);

    internal void Add(KpiSlice s, List<(int Bucket, int Count)> histogram)
    {
        Final += s.Final;
        Delivered += s.Delivered;
        WithPromise += s.WithPromise;
        OnTime += s.OnTime;
        FirstAttempt += s.FirstAttempt;
        Exceptions += s.Exceptions;
        Returned += s.Returned;
        TransitCount += s.TransitCount;
        TransitHoursSum += s.TransitHoursSum;
        foreach (var (bucket, count) in histogram)
        {
            Histogram[bucket] += count;
        }
    }

    internal void Add(KpiCell c)
    {
        Final += c.Final;
        Delivered += c.Delivered;
        WithPromise += c.WithPromise;
        OnTime += c.OnTime;
        FirstAttempt += c.FirstAttempt;
        Exceptions += c.Exceptions;
        Returned += c.Returned;
        TransitCount += c.TransitCount;
        TransitHoursSum += c.TransitHoursSum;
        for (var i = 0; i < Histogram.Length; i++)
        {
            Histogram[i] += c.Histogram[i];
        }
    }

    /// <summary>The value of a metric, for colouring maps and heat tables.</summary>
    public double? Value(KpiMetric metric) => metric switch
    {
        KpiMetric.Volume => Final,
        KpiMetric.DeliveredRate => DeliveredRate,
        KpiMetric.OnTimeRate => OnTimeRate,
        KpiMetric.FirstAttemptRate => FirstAttemptRate,
        KpiMetric.ExceptionRate => ExceptionRate,
        KpiMetric.ReturnRate => ReturnRate,
        KpiMetric.P50TransitHours => P50TransitHours,
        KpiMetric.P90TransitHours => P90TransitHours,
        _ => null,
    };
}

public enum KpiMetric
{
    Volume,
    DeliveredRate,
    OnTimeRate,
    FirstAttemptRate,
    ExceptionRate,
    ReturnRate,
    P50TransitHours,
    P90TransitHours,
}

public static class KpiMetrics
{
    /// <summary>Lower is better for these (exceptions, returns, transit time): maps colour them the other way round.</summary>
    public static bool LowerIsBetter(this KpiMetric m) =>
        m is KpiMetric.ExceptionRate or KpiMetric.ReturnRate or KpiMetric.P50TransitHours or KpiMetric.P90TransitHours;
}

/// <summary>One KpiDaily row (or a sum of rows) as the queries read it.</summary>
internal sealed record KpiSlice(
    DateOnly Day, string ShipperCode, string OriginProvince, string DestinationProvince,
    int Final, int Delivered, int WithPromise, int OnTime, int FirstAttempt, int Exceptions, int Returned,
    int TransitCount, double TransitHoursSum, string TransitHistogram);

public sealed record KpiLaneKey(string OriginProvince, string DestinationProvince);

public sealed record KpiCarrierLaneKey(string ShipperCode, string OriginProvince, string DestinationProvince);

/// <summary>Every aggregate the KPI page shows, from the rows of the rollup periods tiling the filter's period.</summary>
public sealed class KpiReport(KpiFilter filter)
{
    public KpiFilter Filter { get; } = filter;
    public KpiCell Totals { get; } = new();
    public SortedDictionary<string, KpiCell> Carriers { get; } = new(StringComparer.Ordinal);
    /// <summary>Trend points: the first day of each period (a day, or a week for periods over 45 days) × carrier.</summary>
    public SortedDictionary<DateOnly, Dictionary<string, KpiCell>> Trend { get; } = [];
    public Dictionary<KpiLaneKey, KpiCell> Lanes { get; } = [];
    public Dictionary<KpiCarrierLaneKey, KpiCell> CarrierLanes { get; } = [];
    public Dictionary<string, KpiCell> Origins { get; } = [];
    public Dictionary<string, KpiCell> Destinations { get; } = [];

    // One buffer for the parsed histogram of the row being added (rows are added one at a time).
    private readonly List<(int Bucket, int Count)> pairs = [];

    public bool WeeklyTrend => Filter.To.DayNumber - Filter.From.DayNumber + 1 > 45;

    public DateOnly TrendPeriodOf(DateOnly day) =>
        WeeklyTrend ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;

    /// <summary>A rollup row over (part of) the period: it lands in its carrier × lane cell.</summary>
    internal void AddLaneRow(KpiSlice s)
    {
        KpiDefinitions.ParseHistogram(s.TransitHistogram, pairs);
        Cell(CarrierLanes, new KpiCarrierLaneKey(s.ShipperCode, s.OriginProvince, s.DestinationProvince)).Add(s, pairs);
    }

    /// <summary>A rollup row (or a sum of rows) of one day or week of the period × carrier: a trend point.</summary>
    internal void AddTrendRow(KpiSlice s)
    {
        KpiDefinitions.ParseHistogram(s.TransitHistogram, pairs);
        var period = TrendPeriodOf(s.Day);
        if (!Trend.TryGetValue(period, out var byCarrier))
        {
            Trend[period] = byCarrier = [];
        }
        Cell(byCarrier, s.ShipperCode).Add(s, pairs);
    }

    /// <summary>
    /// Totals, carriers, lanes, origins and destinations are sums of the carrier × lane cells: a few hundred cells
    /// merged in memory instead of every row added seven times, and the lanes of a carrier add up to it by construction.
    /// </summary>
    internal void SumCarrierLanes()
    {
        foreach (var (key, cell) in CarrierLanes)
        {
            Totals.Add(cell);
            Cell(Carriers, key.ShipperCode).Add(cell);
            Cell(Lanes, new KpiLaneKey(key.OriginProvince, key.DestinationProvince)).Add(cell);
            Cell(Origins, key.OriginProvince).Add(cell);
            Cell(Destinations, key.DestinationProvince).Add(cell);
        }
    }

    private static KpiCell Cell<TKey>(IDictionary<TKey, KpiCell> cells, TKey key)
    {
        if (!cells.TryGetValue(key, out var cell))
        {
            cells[key] = cell = new KpiCell();
        }
        return cell;
    }
}

/// <summary>
/// Reads of the KPI rollup (never of shipments: the page stays fast over millions of them, P8). A period is read as
/// the fewest rollup periods that tile it exactly (<see cref="Tile"/>: 28-day blocks, weeks, days), so a 90-day
/// window reads ~20 periods' rows, not 90 days' (docs/kpis.md "The rollup").
/// </summary>
public sealed class KpiQueries(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions)
{
    private static readonly int[] AllSpans = [KpiDaily.BlockSpan, KpiDaily.WeekSpan, KpiDaily.DaySpan];
    private static readonly int[] WeeksAndDays = [KpiDaily.WeekSpan, KpiDaily.DaySpan];
    private static readonly int[] DaysOnly = [KpiDaily.DaySpan];

    /// <summary>Everything the page shows. <paramref name="trendPercentiles"/>: the export's trend sheet shows transit
    /// percentiles per point; the page's charts do not, so the page sums the trend in SQL without histograms.</summary>
    public Task<KpiReport> ReportAsync(KpiFilter filter, CancellationToken ct = default) => ReportAsync(filter, trendPercentiles: false, ct);

    public async Task<KpiReport> ReportAsync(KpiFilter filter, bool trendPercentiles, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var report = new KpiReport(filter);
        if (filter.ShopId is not null)
        {
            await AddShopRowsAsync(db, filter, report, ct);
            return report;
        }
        foreach (var (span, from, to) in Tile(filter.From, filter.To, AllSpans))
        {
            await foreach (var slice in Slices(Rows(db, filter, span, from, to)).AsAsyncEnumerable().WithCancellation(ct))
            {
                report.AddLaneRow(slice);
            }
        }
        report.SumCarrierLanes();
        foreach (var (span, from, to) in Tile(filter.From, filter.To, report.WeeklyTrend ? WeeksAndDays : DaysOnly))
        {
            var rows = Rows(db, filter, span, from, to);
            var trend = trendPercentiles
                ? Slices(rows)
                // One row per period and carrier, summed by the database: the charts need counts only.
                : rows.GroupBy(k => new { k.Day, k.ShipperCode }).Select(g => new KpiSlice(g.Key.Day, g.Key.ShipperCode, "", "",
                    g.Sum(k => k.Final), g.Sum(k => k.Delivered), g.Sum(k => k.WithPromise), g.Sum(k => k.OnTime), g.Sum(k => k.FirstAttempt),
                    g.Sum(k => k.Exceptions), g.Sum(k => k.Returned), g.Sum(k => k.TransitCount), g.Sum(k => k.TransitHoursSum), ""));
            await foreach (var slice in trend.AsAsyncEnumerable().WithCancellation(ct))
            {
                report.AddTrendRow(slice);
            }
        }
        return report;
    }

    /// <summary>
    /// A shop's KPIs: the rollup has no shop dimension (adding one would multiply its rows by the shops and needs a
    /// schema change), so they are counted from the final shipments of the shop's orders in the shown period, through
    /// the same <see cref="KpiDefinitions.Facts"/> as the rollup, grouped per day × carrier × lane like its rows.
    /// That reads one shop's shipments of the period (an index range on the shipments' final time, each checked
    /// against its order) instead of a few hundred rollup rows: fine for the periods the page shows (docs/kpis.md).
    /// </summary>
    private async Task AddShopRowsAsync(PortalDbContext db, KpiFilter f, KpiReport report, CancellationToken ct)
    {
        var shop = f.ShopId!.Value;
        var shipments = db.Set<Tracking.Shipment>().AsNoTracking().Where(KpiDefinitions.FinalBetween(f.From, f.To))
            .Where(s => s.OrderId != null && db.Set<Orders.Order>().Any(o => o.Id == s.OrderId && o.ShopId == shop));
        if (!string.IsNullOrWhiteSpace(f.ShipperCode))
        {
            shipments = shipments.Where(s => s.ShipperCode == f.ShipperCode);
        }
        if (!string.IsNullOrWhiteSpace(f.ServiceType))
        {
            shipments = shipments.Where(s => s.ServiceType == f.ServiceType);
        }
        if (f.WarehouseId is { } warehouse)
        {
            shipments = shipments.Where(s => s.WarehouseId == warehouse);
        }
        if (!string.IsNullOrWhiteSpace(f.OriginProvince))
        {
            shipments = shipments.Where(s => s.OriginProvince == f.OriginProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.DestinationProvince))
        {
            shipments = shipments.Where(s => s.DestinationProvince == f.DestinationProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.Region))
        {
            var provinces = KpiDefinitions.ProvincesOf(regions, f.Region);
            shipments = shipments.Where(s => provinces.Contains(s.DestinationProvince!));
        }
        var cells = new Dictionary<(DateOnly Day, string Carrier, string Origin, string Destination), ShopCell>();
        await foreach (var fact in KpiDefinitions.Facts(db, shipments).AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = (KpiDefinitions.DayOf(fact.FinalAtUtc), fact.ShipperCode, fact.OriginProvince ?? "", fact.DestinationProvince ?? "");
            if (!cells.TryGetValue(key, out var cell))
            {
                cells[key] = cell = new ShopCell();
            }
            cell.Add(fact);
        }
        foreach (var (key, c) in cells)
        {
            var slice = new KpiSlice(key.Day, key.Carrier, key.Origin, key.Destination, c.Final, c.Delivered, c.WithPromise, c.OnTime, c.FirstAttempt,
                c.Exceptions, c.Returned, c.TransitCount, c.TransitHoursSum, KpiDefinitions.EncodeHistogram(c.Histogram));
            report.AddLaneRow(slice);
            report.AddTrendRow(slice);
        }
        report.SumCarrierLanes();
    }

    private sealed class ShopCell
    {
        public int Final, Delivered, WithPromise, OnTime, FirstAttempt, Exceptions, Returned, TransitCount;
        public double TransitHoursSum;
        public readonly int[] Histogram = new int[KpiDefinitions.Buckets + 1];

        public void Add(KpiFacts f)
        {
            Final++;
            Delivered += f.Delivered ? 1 : 0;
            WithPromise += f.HasPromise ? 1 : 0;
            OnTime += f.OnTime ? 1 : 0;
            FirstAttempt += f.FirstAttempt ? 1 : 0;
            Exceptions += f.Exception ? 1 : 0;
            Returned += f.Returned ? 1 : 0;
            if (f.Delivered && KpiDefinitions.TransitHours(f.FirstScanAtUtc, f.DeliveredAtUtc) is { } hours)
            {
                TransitCount++;
                TransitHoursSum += hours;
                Histogram[KpiDefinitions.BucketOf(hours)]++;
            }
        }
    }

    /// <summary>The dimension values present in the rollup, for the page's filters (from the 28-day blocks: the fewest rows that cover every day).</summary>
    public async Task<KpiDimensions> DimensionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blocks = db.Set<KpiDaily>().Where(k => k.Span == KpiDaily.BlockSpan);
        var carriers = await blocks.Select(k => k.ShipperCode).Distinct().OrderBy(c => c).ToListAsync(ct);
        var services = await blocks.Where(k => k.ServiceType != "" && k.ServiceType != KpiDaily.AllServices).Select(k => k.ServiceType).Distinct().OrderBy(c => c).ToListAsync(ct);
        var warehouses = await blocks.Where(k => k.WarehouseId > 0).Select(k => k.WarehouseId).Distinct().OrderBy(c => c).ToListAsync(ct);
        return new KpiDimensions(carriers, services, warehouses, [.. regions.Provinces.Select(p => p.Region).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// [from, to] as runs of whole rollup periods, largest first where they fit: a period of span L starts on a
    /// DayNumber divisible by L (<see cref="KpiRollup.PeriodStart"/>). Each run is (span, first start, last start).
    /// </summary>
    public static List<(int Span, DateOnly From, DateOnly To)> Tile(DateOnly from, DateOnly to, IReadOnlyList<int> spans)
    {
        var runs = new List<(int Span, DateOnly From, DateOnly To)>();
        var day = from.DayNumber;
        while (day <= to.DayNumber)
        {
            var span = spans.First(l => l == 1 || (day % l == 0 && day + l - 1 <= to.DayNumber));
            var start = DateOnly.FromDayNumber(day);
            if (runs.Count > 0 && runs[^1].Span == span)
            {
                runs[^1] = (span, runs[^1].From, start);
            }
            else
            {
                runs.Add((span, start, start));
            }
            day += span;
        }
        return runs;
    }

    private static IQueryable<KpiSlice> Slices(IQueryable<KpiDaily> rows) =>
        rows.Select(k => new KpiSlice(k.Day, k.ShipperCode, k.OriginProvince, k.DestinationProvince, k.Final, k.Delivered, k.WithPromise, k.OnTime,
            k.FirstAttempt, k.Exceptions, k.Returned, k.TransitCount, k.TransitHoursSum, k.TransitHistogram));

    private IQueryable<KpiDaily> Rows(PortalDbContext db, KpiFilter f, int span, DateOnly from, DateOnly to)
    {
        var q = db.Set<KpiDaily>().AsNoTracking().Where(k => k.Span == span && k.Day >= from && k.Day <= to);
        // Without a service or warehouse filter, the rows summed over both (half as many or fewer); else the full rows.
        q = string.IsNullOrWhiteSpace(f.ServiceType) && f.WarehouseId is null
            ? q.Where(k => k.ServiceType == KpiDaily.AllServices && k.WarehouseId == KpiDaily.AllWarehouses)
            : q.Where(k => k.ServiceType != KpiDaily.AllServices);
        if (!string.IsNullOrWhiteSpace(f.ShipperCode))
        {
            q = q.Where(k => k.ShipperCode == f.ShipperCode);
        }
        if (!string.IsNullOrWhiteSpace(f.ServiceType))
        {
            q = q.Where(k => k.ServiceType == f.ServiceType);
        }
        if (f.WarehouseId is { } warehouse)
        {
            q = q.Where(k => k.WarehouseId == warehouse);
        }
        if (!string.IsNullOrWhiteSpace(f.OriginProvince))
        {
            q = q.Where(k => k.OriginProvince == f.OriginProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.DestinationProvince))
        {
            q = q.Where(k => k.DestinationProvince == f.DestinationProvince);
        }
        if (!string.IsNullOrWhiteSpace(f.Region))
        {
            var provinces = KpiDefinitions.ProvincesOf(regions, f.Region);
            q = q.Where(k => provinces.Contains(k.DestinationProvince));
        }
        return q;
    }
}

public sealed record KpiDimensions(IReadOnlyList<string> Carriers, IReadOnlyList<string> Services, IReadOnlyList<int> Warehouses, IReadOnlyList<string> Regions);
