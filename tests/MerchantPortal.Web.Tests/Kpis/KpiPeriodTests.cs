using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Kpis;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// Long periods are read from week and 28-day block rows (P8); these tests hold them to the day rows' numbers.
/// </summary>
[Collection(KpiPortal.Name)]
public class KpiPeriodTests(KpiPortal portal) : IAsyncLifetime
{
    // 90 days whose middle holds the whole 28-day block 2026-09-14..10-11 with the fixture's days in it.
    private static readonly KpiFilter Ninety = new(new DateOnly(2026, 8, 15), new DateOnly(2026, 11, 12));

    public Task InitializeAsync() => portal.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<KpiReport> ReportAsync(KpiFilter filter) => portal.Factory.GetService<KpiQueries>().ReportAsync(filter);

    [Fact]
    public async Task A_90_day_report_read_from_blocks_and_weeks_matches_the_same_shipments_read_from_days()
    {
        var block = KpiQueries.Tile(Ninety.From, Ninety.To, [KpiDaily.BlockSpan, KpiDaily.WeekSpan, KpiDaily.DaySpan]);
        Assert.Contains(block, r => r.Span == KpiDaily.BlockSpan && r.From <= KpiFixture.Day && KpiFixture.Day.AddDays(1) <= r.To.AddDays(KpiDaily.BlockSpan - 1));

        var days = await ReportAsync(new KpiFilter(KpiFixture.Day, KpiFixture.Day.AddDays(1)));
        var ninety = await ReportAsync(Ninety);
        foreach (var carrier in new[] { KpiFixture.Carrier, KpiFixture.OtherCarrier })
        {
            Assert.Equal(Describe(days.Carriers[carrier]), Describe(ninety.Carriers[carrier]));
        }
        var lane = new KpiCarrierLaneKey(KpiFixture.Carrier, KpiFixture.Origin, KpiFixture.LaneY);
        Assert.Equal(Describe(days.CarrierLanes[lane]), Describe(ninety.CarrierLanes[lane]));
        Assert.Equal(26.0, ninety.Carriers[KpiFixture.Carrier].P50TransitHours!.Value, 6);

        // Every filter narrows the block rows as it narrows the day rows.
        var north = await ReportAsync(Ninety with { ShipperCode = KpiFixture.Carrier, Region = "North" });
        Assert.Equal(Describe(days.CarrierLanes[lane]), Describe(north.Carriers[KpiFixture.Carrier]));
    }

    [Fact]
    public async Task A_weekly_trend_point_sums_its_days_and_the_export_trend_keeps_percentiles()
    {
        var queries = portal.Factory.GetService<KpiQueries>();
        var page = await queries.ReportAsync(Ninety with { ShipperCode = KpiFixture.OtherCarrier });
        Assert.True(page.WeeklyTrend);
        // 2026-10-05 is a Monday: both KPB deliveries (10-05 on time, 10-06 late) fall in its week.
        var week = page.Trend[KpiFixture.Day][KpiFixture.OtherCarrier];
        Assert.Equal((2, 2, 1), (week.Final, week.WithPromise, week.OnTime));
        Assert.Null(week.P50TransitHours);

        var export = await queries.ReportAsync(Ninety with { ShipperCode = KpiFixture.Carrier }, trendPercentiles: true);
        var kpa = export.Trend[KpiFixture.Day][KpiFixture.Carrier];
        Assert.Equal((8, 6), (kpa.Final, kpa.Delivered));
        Assert.Equal(100.8, kpa.P90TransitHours!.Value, 6);
    }

    [Fact]
    public async Task The_all_services_and_warehouses_rows_are_the_sums_of_the_full_rows_at_every_span()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<KpiDaily>().AsNoTracking()
            .Where(k => k.ShipperCode == KpiFixture.Carrier || k.ShipperCode == KpiFixture.OtherCarrier).ToListAsync();
        string Sums(IEnumerable<KpiDaily> of) => string.Join(" | ", of
            .GroupBy(k => (k.Span, k.Day, k.ShipperCode, k.OriginProvince, k.DestinationProvince))
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Sum(k => k.Final)} {g.Sum(k => k.Delivered)} {g.Sum(k => k.OnTime)} {g.Sum(k => k.Exceptions)} {g.Sum(k => k.Returned)} {g.Sum(k => k.TransitCount)}"));

        var all = rows.Where(k => k.ServiceType == KpiDaily.AllServices).ToList();
        Assert.All(all, k => Assert.Equal(KpiDaily.AllWarehouses, k.WarehouseId));
        Assert.Contains(all, k => k.Span == KpiDaily.BlockSpan);
        Assert.Equal(Sums(rows.Where(k => k.ServiceType != KpiDaily.AllServices)), Sums(all));
    }

    [Fact]
    public void Every_window_is_tiled_exactly_by_aligned_periods_and_90_days_by_at_most_20()
    {
        var spans = new[] { KpiDaily.BlockSpan, KpiDaily.WeekSpan, KpiDaily.DaySpan };
        var first = new DateOnly(2026, 1, 1);
        foreach (var offset in Enumerable.Range(0, KpiDaily.BlockSpan))
        {
            foreach (var length in new[] { 1, 6, 7, 8, 27, 28, 45, 46, 90, 366 })
            {
                var from = first.AddDays(offset);
                var to = from.AddDays(length - 1);
                var covered = new List<int>();
                var periods = 0;
                foreach (var (span, start, last) in KpiQueries.Tile(from, to, spans))
                {
                    for (var p = start; p <= last; p = p.AddDays(span))
                    {
                        Assert.Equal(0, p.DayNumber % span);
                        covered.AddRange(Enumerable.Range(p.DayNumber, span));
                        periods++;
                    }
                }
                Assert.Equal(Enumerable.Range(from.DayNumber, length), covered);
                if (length == 90)
                {
                    Assert.True(periods <= 20, $"{from}: {periods} periods");
                }
            }
        }
    }

    private static string Describe(KpiCell c) =>
        $"{c.Final} {c.Delivered} {c.WithPromise} {c.OnTime} {c.FirstAttempt} {c.Exceptions} {c.Returned} {c.TransitCount} {c.TransitHoursSum:0.000} {string.Join(',', c.Histogram)}";
}
