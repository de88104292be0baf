using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;
using CarrierScan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.Web.Tests.Tracking.Prediction;

/// <summary>
/// The prediction over the real database: lane statistics rebuilt from delivered parcels, the lane outlook read from
/// them, re-prediction at each ingested scan, and the sweep that moves a silent parcel's window.
/// </summary>
[Collection(SharedPortal.Name)]
public class PredictionStorageTests(SharedPortal portal)
{
    private IDbContextFactory<PortalDbContext> Db => portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();

    /// <summary>A province name no other test uses, so this test's lane is its own.</summary>
    private static string NewProvince() => "省" + Guid.NewGuid().ToString("N")[..10];

    private LaneStatisticsJob StatisticsJob(TimeProvider clock) => new(
        Db, Options.Create(new PredictionOptions()), portal.Factory.GetService<JobGate>(), clock, NullLogger<LaneStatisticsJob>.Instance);

    /// <summary>
    /// Sweeps until the parcel carries the sweep's time. Other tests of the shared portal ingest scans meanwhile, and a
    /// batch that races one is left to that scan's prediction (PredictionSweepJob): the parcel stays due and the next
    /// sweep takes it.
    /// </summary>
    private async Task<Shipment> SweptAsync(FakeTimeProvider clock, string number)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            await Sweep(clock).SweepAsync(CancellationToken.None);
            var shipment = (await LoadAsync(portal.Factory, number)).Shipment;
            if (shipment.PredictedAtUtc == now || attempt == 9)
            {
                return shipment;
            }
        }
    }

    private PredictionSweepJob Sweep(TimeProvider clock) => new(
        Db, portal.Factory.GetService<ShipmentPredictions>(), portal.Factory.GetService<JobGate>(), clock, NullLogger<PredictionSweepJob>.Instance);

    /// <summary>Delivered forward parcels of one lane, each its transit hours after a pickup at 10:00 Beijing.</summary>
    private async Task SeedDeliveredAsync(string origin, string destination, IReadOnlyList<double> transitHours, DateTime deliveredAround)
    {
        var ids = new List<long>();
        foreach (var _ in transitHours)
        {
            ids.Add((await CreateShipmentAsync(portal.Factory, NewZtoNumber())).Id);
        }
        await using var db = await Db.CreateDbContextAsync();
        var shipments = await db.Set<Shipment>().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).ToListAsync();
        var pickedUp = BeijingTime.UtcAt(BeijingTime.DateOf(deliveredAround).AddDays(-5), 10);
        foreach (var (s, hours) in shipments.Zip(transitHours))
        {
            (s.ServiceType, s.OriginProvince, s.DestinationProvince) = ("standard", origin, destination);
            (s.FirstScanAtUtc, s.AtDestinationCityAtUtc, s.OutForDeliveryAtUtc, s.DeliveredAtUtc) = (pickedUp, pickedUp.AddHours(hours - 10), pickedUp.AddHours(hours - 3), pickedUp.AddHours(hours));
            (s.Status, s.FinalAtUtc, s.NextCheckAtUtc) = (ShipmentStatus.Delivered, pickedUp.AddHours(hours), null);
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_statistics_job_keeps_each_lane_levels_quantiles_from_delivered_parcels_and_a_second_run_keeps_the_same_rows()
    {
        var (origin, destination) = (NewProvince(), NewProvince());
        var hours = Enumerable.Range(0, 40).Select(i => 40.0 + i).ToList();
        var now = DateTime.UtcNow;
        await SeedDeliveredAsync(origin, destination, hours, now.AddDays(-1));
        var job = StatisticsJob(new FakeTimeProvider(now));

        await job.RebuildAsync(CancellationToken.None);
        var first = await ReadAsync(origin, destination);
        await job.RunAsync(CancellationToken.None);
        var second = await ReadAsync(origin, destination);

        var pickup = first.Single(r => r.Stage == DeliveryStage.PickedUp);
        Assert.Equal((LaneLevel.Service, 40), (pickup.Level, pickup.Sample));
        var median = TransitDistribution.Parse(pickup.QuantileHours).Quantile(0.5);
        Assert.InRange(median, hours[19], hours[20] + TransitHistogram.BinHours);
        var city = TransitDistribution.Parse(first.Single(r => r.Stage == DeliveryStage.AtDestinationCity).QuantileHours);
        Assert.InRange(city.Quantile(0.5), 10, 10 + TransitHistogram.BinHours);
        Assert.Equal(first.Select(r => (r.Stage, r.Sample, r.QuantileHours)), second.Select(r => (r.Stage, r.Sample, r.QuantileHours)));
        Assert.Equal(3, first.Count);
    }

    [Fact]
    public async Task Parcels_delivered_before_the_history_window_are_left_out()
    {
        var (origin, destination) = (NewProvince(), NewProvince());
        var now = DateTime.UtcNow;
        await SeedDeliveredAsync(origin, destination, Enumerable.Repeat(50.0, 40).ToList(), now.AddDays(-new PredictionOptions().HistoryDays - 3));

        await StatisticsJob(new FakeTimeProvider(now)).RebuildAsync(CancellationToken.None);

        Assert.Empty(await ReadAsync(origin, destination));
    }

    [Fact]
    public async Task The_lane_outlook_reads_the_finest_lane_with_enough_history_and_is_null_without_any()
    {
        var (origin, destination) = (NewProvince(), NewProvince());
        var hours = Enumerable.Range(0, 60).Select(i => 24.0 + (i % 30)).ToList();
        var now = DateTime.UtcNow;
        await SeedDeliveredAsync(origin, destination, hours, now.AddDays(-2));
        await StatisticsJob(new FakeTimeProvider(now)).RebuildAsync(CancellationToken.None);
        var outlooks = portal.Factory.GetService<ILaneOutlooks>();

        var outlook = await outlooks.ForAsync("ZTO", "standard", origin, destination);
        var unknownCarrier = await outlooks.ForAsync("NOSUCH", "standard", origin, destination);

        Assert.NotNull(outlook);
        Assert.Equal((LaneLevel.Service, 60), (outlook.Lane, outlook.Sample));
        Assert.Equal(LaneOutlook.Levels.Length, outlook.Quantiles.Count);
        Assert.InRange(outlook.Median.TotalHours, 37, 40);
        Assert.True(outlook.Quantiles.Zip(outlook.Quantiles.Skip(1)).All(q => q.First <= q.Second));
        Assert.InRange(outlook.OnTimeProbability(TimeSpan.FromHours(60)), 0.95, 1.0);
        // Another carrier's lane has no history of its own; every carrier together has (the AllCarriers level).
        Assert.Equal(LaneLevel.AllCarriers, unknownCarrier?.Lane);
    }

    [Fact]
    public async Task Each_new_scan_re_predicts_from_the_parcels_stage_and_keeps_the_prediction_and_a_final_parcel_keeps_its_last()
    {
        var number = NewZtoNumber();
        var shipment = await CreateShipmentAsync(portal.Factory, number);
        var ingest = portal.Factory.GetService<TrackingIngest>();
        var t0 = DateTime.UtcNow.AddHours(-30);
        CarrierScan[] scans =
        [
            new(t0, "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp),
            new(t0.AddHours(3), "【杭州转运中心】已发出", "杭州市", "2", ShipmentStatus.InTransit),
            new(t0.AddHours(26), "【上海市】快件已到达【上海城东营业部】", "上海市", "201", ShipmentStatus.InTransit),
            new(t0.AddHours(29), "【上海市】已签收", "上海市", "301", ShipmentStatus.Delivered),
        ];
        TrackingSnapshot Upto(int count, ShipmentStatus status) => new("ZTO", number, status, null, null, null, DateTimeOffset.UtcNow.AddDays(3), scans[..count]);

        await ingest.IngestAsync([Upto(1, ShipmentStatus.PickedUp)], TrackingSource.Push);
        var atPickup = (await LoadAsync(portal.Factory, number)).Shipment;
        await ingest.IngestAsync([Upto(1, ShipmentStatus.PickedUp)], TrackingSource.Poll);
        await ingest.IngestAsync([Upto(3, ShipmentStatus.InTransit)], TrackingSource.Push);
        var inCity = (await LoadAsync(portal.Factory, number)).Shipment;
        await ingest.IngestAsync([Upto(4, ShipmentStatus.Delivered)], TrackingSource.Push);
        var delivered = (await LoadAsync(portal.Factory, number)).Shipment;

        Assert.Equal(DeliveryStage.PickedUp, atPickup.PredictedFromStage);
        Assert.NotNull(atPickup.PredictedFromLane);
        Assert.True(atPickup.PredictedEarliestUtc <= atPickup.PredictedDeliveryUtc && atPickup.PredictedDeliveryUtc <= atPickup.PredictedLatestUtc);
        Assert.Equal(t0.AddHours(26), inCity.AtDestinationCityAtUtc);
        Assert.Equal(DeliveryStage.AtDestinationCity, inCity.PredictedFromStage);
        Assert.True(inCity.PredictedLatestUtc - inCity.PredictedEarliestUtc < atPickup.PredictedLatestUtc - atPickup.PredictedEarliestUtc);
        Assert.Equal((inCity.PredictedDeliveryUtc, inCity.PredictedFromStage), (delivered.PredictedDeliveryUtc, delivered.PredictedFromStage));

        await using var db = await Db.CreateDbContextAsync();
        var kept = await db.Set<DeliveryPrediction>().Where(p => p.ShipmentId == shipment.Id).OrderBy(p => p.Id).ToListAsync();
        // The replayed snapshot brought no new scan: no prediction; the delivery ends predicting.
        Assert.Equal([DeliveryStage.PickedUp, DeliveryStage.AtDestinationCity], kept.Select(p => p.Stage));
        Assert.All(kept, p => Assert.NotNull(p.CarrierEstimateUtc));
        Assert.Equal(inCity.PredictedLatestUtc, kept[^1].LatestUtc);
    }

    [Fact]
    public async Task The_sweep_slides_a_silent_parcels_window_later_and_keeps_a_row_only_when_the_expected_day_changes()
    {
        var number = NewZtoNumber();
        var shipment = await CreateShipmentAsync(portal.Factory, number);
        var t0 = DateTime.UtcNow.AddHours(-1);
        await portal.Factory.GetService<TrackingIngest>().IngestAsync(
            [new TrackingSnapshot("ZTO", number, ShipmentStatus.InTransit, null, null, null, null,
                [new CarrierScan(t0, "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp), new CarrierScan(t0.AddHours(1), "【杭州转运中心】已发出", "杭州市", "2", ShipmentStatus.InTransit)])],
            TrackingSource.Push);
        var before = (await LoadAsync(portal.Factory, number)).Shipment;
        var clock = new FakeTimeProvider(before.PredictedDeliveryUtc!.Value.AddDays(3));

        var sweptAt = clock.GetUtcNow().UtcDateTime;
        var moved = await SweptAsync(clock, number);
        await Sweep(clock).SweepAsync(CancellationToken.None);
        var again = (await LoadAsync(portal.Factory, number)).Shipment;
        // Two days on, or just past the moved forecast when the lane's statistics put it further out (other tests of the
        // shared portal deliver parcels on ZTO lanes too): a sweep only takes a parcel expected within the next hours.
        var laterAt = moved.PredictedDeliveryUtc!.Value.AddHours(1) > sweptAt.AddDays(2) ? moved.PredictedDeliveryUtc.Value.AddHours(1) : sweptAt.AddDays(2);
        clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(laterAt, DateTimeKind.Utc)));
        var later = await SweptAsync(clock, number);

        Assert.True(moved.PredictedLatestUtc > before.PredictedLatestUtc);
        Assert.True(moved.PredictedDeliveryUtc > sweptAt, "the expected time is ahead of the sweep's now");
        Assert.Equal(sweptAt, moved.PredictedAtUtc);
        Assert.Equal(moved.PredictedAtUtc, again.PredictedAtUtc);
        Assert.True(later.PredictedLatestUtc > moved.PredictedLatestUtc,
            $"swept at {sweptAt:o}: expected {moved.PredictedDeliveryUtc:o}, latest {moved.PredictedLatestUtc:o}; at {laterAt:o} predicted at {later.PredictedAtUtc:o}: latest {later.PredictedLatestUtc:o}");
        await using var db = await Db.CreateDbContextAsync();
        var kept = await db.Set<DeliveryPrediction>().Where(p => p.ShipmentId == shipment.Id).OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(3, kept.Count);
        Assert.Equal(kept.Count, kept.Select(p => BeijingTime.DateOf(p.ExpectedUtc)).Distinct().Count());
    }

    private async Task<List<LaneTransitStat>> ReadAsync(string origin, string destination)
    {
        await using var db = await Db.CreateDbContextAsync();
        var keys = DeliveryPredictor.StatsStages.Select(stage => LaneKeys.Key(LaneLevel.Service, stage, "ZTO", "standard", origin, destination)).ToList();
        return await db.Set<LaneTransitStat>().AsNoTracking().Where(r => keys.Contains(r.LaneKey)).OrderBy(r => r.LaneKey).ToListAsync();
    }
}
