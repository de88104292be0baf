using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Kpis;

[Trait("Database", TestDatabase.ServerTrait)]
[Collection(KpiPortal.Name)]
public class KpiRollupTests(KpiPortal portal) : IAsyncLifetime
{
    private static readonly KpiFilter DayOne = new(KpiFixture.Day, KpiFixture.Day);

    public Task InitializeAsync() => portal.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<KpiReport> ReportAsync(KpiFilter filter) => portal.Factory.GetService<KpiQueries>().ReportAsync(filter);

    private Task<int> CountAsync(KpiDrillDown drill) =>
        portal.Factory.GetService<ShipmentQueries>().CountAsync(new ShipmentFilter(Kpi: drill), DateTime.UtcNow);

    [Fact]
    public async Task Carrier_rates_and_percentiles_match_the_hand_computed_fixture()
    {
        var kpa = (await ReportAsync(DayOne with { ShipperCode = KpiFixture.Carrier })).Carriers[KpiFixture.Carrier];

        Assert.Equal((8, 6, 5, 3, 5, 2, 2, 6), (kpa.Final, kpa.Delivered, kpa.WithPromise, kpa.OnTime, kpa.FirstAttempt, kpa.Exceptions, kpa.Returned, kpa.TransitCount));
        Assert.Equal(0.75, kpa.DeliveredRate);
        Assert.Equal(0.6, kpa.OnTimeRate);
        Assert.Equal(5.0 / 6, kpa.FirstAttemptRate);
        Assert.Equal(0.25, kpa.ExceptionRate);
        Assert.Equal(0.25, kpa.ReturnRate);
        Assert.Equal(26.0, kpa.P50TransitHours!.Value, 6);
        Assert.Equal(100.8, kpa.P90TransitHours!.Value, 6);
        Assert.Equal(44.4, kpa.AverageTransitHours!.Value, 6);
    }

    [Fact]
    public async Task On_time_is_measured_against_the_SLA_rule_and_else_the_carrier_ETA()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var promises = await db.Set<Shipment>().Where(s => s.ShipperCode == KpiFixture.Carrier && s.Direction == ShipmentDirection.Forward)
            .ToDictionaryAsync(s => s.TrackingNo, s => s.PromisedByUtc);
        // #1: first scan 10-04 15:30 Beijing, →广东省 2 days → 10-06 23:59:59 Beijing.
        Assert.Equal(KpiFixture.Utc(10, 6, 15, 59).AddSeconds(59), promises[KpiFixture.TrackingNo(1)]);
        // #5: first scan 10-01 12:00 Beijing, any lane 3 days → 10-04 23:59:59 Beijing; delivered 10-05 16:00 Beijing: late.
        Assert.Equal(KpiFixture.Utc(10, 4, 15, 59).AddSeconds(59), promises[KpiFixture.TrackingNo(5)]);
        // #8 has no stored promise: its carrier ETA (10-05 12:00 UTC, delivered 11:00) makes it on time.
        Assert.Null(promises[KpiFixture.TrackingNo(8)]);
        var onTime = await portal.Factory.GetService<ShipmentQueries>().ListAsync(
            new ShipmentFilter(Kpi: new KpiDrillDown(DayOne with { ShipperCode = KpiFixture.Carrier }, OnTime: true)), null, 50, DateTime.UtcNow);
        Assert.Equal([KpiFixture.TrackingNo(1), KpiFixture.TrackingNo(2), KpiFixture.TrackingNo(8)], onTime.Select(r => r.TrackingNo).Order());
    }

    [Fact]
    public async Task The_lanes_of_a_carrier_add_up_to_the_carrier()
    {
        var report = await ReportAsync(DayOne with { ShipperCode = KpiFixture.Carrier });
        var lanes = report.CarrierLanes.Where(l => l.Key.ShipperCode == KpiFixture.Carrier).Select(l => l.Value).ToList();
        var carrier = report.Carriers[KpiFixture.Carrier];

        Assert.Equal(2, lanes.Count);
        Assert.Equal(carrier.Final, lanes.Sum(l => l.Final));
        Assert.Equal(carrier.Delivered, lanes.Sum(l => l.Delivered));
        Assert.Equal(carrier.WithPromise, lanes.Sum(l => l.WithPromise));
        Assert.Equal(carrier.OnTime, lanes.Sum(l => l.OnTime));
        Assert.Equal(carrier.FirstAttempt, lanes.Sum(l => l.FirstAttempt));
        Assert.Equal(carrier.Exceptions, lanes.Sum(l => l.Exceptions));
        Assert.Equal(carrier.Returned, lanes.Sum(l => l.Returned));
        Assert.Equal(carrier.Histogram, Enumerable.Range(0, carrier.Histogram.Length).Select(i => lanes.Sum(l => l.Histogram[i])));
        var x = report.Lanes[new KpiLaneKey(KpiFixture.Origin, KpiFixture.LaneX)];
        Assert.Equal((4, 3, 3, 2, 2, 1, 0), (x.Final, x.Delivered, x.WithPromise, x.OnTime, x.FirstAttempt, x.Exceptions, x.Returned));
    }

    [Fact]
    public async Task A_drill_down_lists_exactly_the_shipments_counted_in_its_cell()
    {
        var filter = DayOne with { ShipperCode = KpiFixture.Carrier };
        var kpa = (await ReportAsync(filter)).Carriers[KpiFixture.Carrier];
        Assert.Equal(kpa.Final, await CountAsync(new KpiDrillDown(filter)));
        Assert.Equal(kpa.Final - kpa.Delivered, await CountAsync(new KpiDrillDown(filter, Delivered: false)));
        Assert.Equal(kpa.WithPromise - kpa.OnTime, await CountAsync(new KpiDrillDown(filter, OnTime: false)));
        Assert.Equal(kpa.OnTime, await CountAsync(new KpiDrillDown(filter, OnTime: true)));
        Assert.Equal(kpa.Delivered - kpa.FirstAttempt, await CountAsync(new KpiDrillDown(filter, FirstAttempt: false)));
        Assert.Equal(kpa.Exceptions, await CountAsync(new KpiDrillDown(filter, Exception: true)));
        Assert.Equal(kpa.Returned, await CountAsync(new KpiDrillDown(filter, Returned: true)));

        var lane = filter with { OriginProvince = KpiFixture.Origin, DestinationProvince = KpiFixture.LaneY };
        var y = (await ReportAsync(lane)).Lanes[new KpiLaneKey(KpiFixture.Origin, KpiFixture.LaneY)];
        Assert.Equal(y.Returned, await CountAsync(new KpiDrillDown(lane, Returned: true)));
        // The region North holds 北京市 (lane Y) and not 广东省 (lane X).
        Assert.Equal(y.Final, await CountAsync(new KpiDrillDown(filter with { Region = "North" })));
        Assert.Equal(y.Final, (await ReportAsync(filter with { Region = "North" })).Totals.Final);

        var late = await portal.Factory.GetService<ShipmentQueries>().ListAsync(new ShipmentFilter(Kpi: new KpiDrillDown(filter, OnTime: false)), null, 50, DateTime.UtcNow);
        Assert.Equal([KpiFixture.TrackingNo(3), KpiFixture.TrackingNo(5)], late.Select(r => r.TrackingNo).Order());
    }

    [Fact]
    public async Task A_drill_down_address_reads_back_into_the_same_filter()
    {
        var drill = new KpiDrillDown(DayOne with { ShipperCode = KpiFixture.Carrier, DestinationProvince = KpiFixture.LaneY, Region = "North" }, OnTime: false, Returned: true);
        var url = drill.ToShipmentsUrl();
        Assert.StartsWith("/shipments?finalFrom=2026-10-05&finalTo=2026-10-05&carrier=KPA", url, StringComparison.Ordinal);
        Assert.Equal(drill, KpiDrillDown.FromUri("http://localhost" + url));
        Assert.Null(KpiDrillDown.FromUri("http://localhost/shipments?carrier=KPA"));
    }

    [Fact]
    public async Task A_shipment_counts_on_the_Beijing_day_it_became_final()
    {
        var first = await ReportAsync(DayOne with { ShipperCode = KpiFixture.OtherCarrier });
        var second = await ReportAsync(new KpiFilter(KpiFixture.Day.AddDays(1), KpiFixture.Day.AddDays(1), KpiFixture.OtherCarrier));
        Assert.Equal((1, 1), (first.Totals.Final, first.Totals.OnTime));
        Assert.Equal((1, 0), (second.Totals.Final, second.Totals.OnTime));
    }

    [Fact]
    public async Task Running_the_rollup_again_or_rebuilding_it_changes_nothing()
    {
        var before = await SnapshotAsync();
        var rollup = portal.Factory.GetService<KpiRollup>();
        await rollup.RunAsync(default);
        Assert.Equal(before, await SnapshotAsync());
        await rollup.RebuildAsync(default);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_final_scan_arriving_behind_the_watermark_and_a_late_return_are_both_counted()
    {
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        var rollup = portal.Factory.GetService<KpiRollup>();
        var now = DateTime.UtcNow;
        int account;
        long orderId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            var order = KpiFixture.NewOrder("KPI-LATE-" + Guid.NewGuid().ToString("N")[..8]);
            db.Add(order);
            await db.SaveChangesAsync();
            orderId = order.Id;
            var recent = KpiFixture.NewShipment(account, "KPL", "KPL-RECENT", KpiFixture.LaneX, ShipmentStatus.Delivered, now.AddHours(-30), now.AddMinutes(-5), 1);
            recent.OrderId = orderId;
            db.Add(recent);
            await db.SaveChangesAsync();
        }
        await rollup.RunAsync(default);

        // Final two days ago, but stored only now: the watermark is already past it.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.Add(KpiFixture.NewShipment(account, "KPL", "KPL-LATE", KpiFixture.LaneX, ShipmentStatus.Delivered, now.AddDays(-3), now.AddDays(-2), 1));
            await db.SaveChangesAsync();
        }
        await rollup.RunAsync(default);
        var week = KpiFilter.LastDays(7, KpiDefinitions.DayOf(now)) with { ShipperCode = "KPL" };
        Assert.Equal((2, 0), ((await ReportAsync(week)).Totals.Final, (await ReportAsync(week)).Totals.Returned));

        // The customer sends the first parcel back: its day's return count changes.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var back = KpiFixture.NewShipment(account, "KPL", "KPL-RECENT-R", KpiFixture.Origin, ShipmentStatus.PickedUp, now, null, 0);
            (back.Direction, back.OrderId) = (ShipmentDirection.Reverse, orderId);
            db.Add(back);
            await db.SaveChangesAsync();
        }
        await rollup.RunAsync(default);
        var after = await ReportAsync(week);
        Assert.Equal((2, 1), (after.Totals.Final, after.Totals.Returned));
    }

    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<KpiDaily>().AsNoTracking().Where(k => k.ShipperCode == KpiFixture.Carrier || k.ShipperCode == KpiFixture.OtherCarrier).ToListAsync();
        return [.. rows.Select(k => $"{k.Span} {k.Day} {k.ShipperCode} {k.ServiceType} {k.WarehouseId} {k.OriginProvince} {k.DestinationProvince} {k.Final} {k.Delivered} {k.WithPromise} {k.OnTime} {k.FirstAttempt} {k.Exceptions} {k.Returned} {k.TransitCount} {k.TransitHoursSum:0.000} {k.TransitHistogram}").Order(StringComparer.Ordinal)];
    }
}
