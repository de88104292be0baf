using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// The proactive case with nothing written by hand: the lane's history gives the statistics, Tracking's predictor
/// re-predicts a parcel that sits at a hub while the portal's clock runs, the monitor opens "will miss the promise"
/// before the promised date, and the next scan (the parcel reaches the destination city) closes it.
/// </summary>
public sealed class WillMissPromiseFromPredictionTests : IAsyncLifetime
{
    private readonly ClockedPortal portal = new();

    public Task InitializeAsync()
    {
        portal.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await portal.DisposeAsync();

    [Fact]
    public async Task A_parcel_silent_at_a_hub_is_forecast_late_and_opens_its_case_before_the_promise_and_its_next_scan_closes_it()
    {
        // Forty delivered parcels of the lane in the last month: 40–56 h from pickup to the door.
        for (var i = 0; i < 40; i++)
        {
            var pickedUp = portal.Now.AddDays(-30).AddHours(i * 12);
            var delivered = pickedUp.AddHours(40 + (i % 17));
            await portal.ShipmentAsync(Lane(s => (s.Status, s.FirstScanAtUtc, s.AtDestinationCityAtUtc, s.OutForDeliveryAtUtc, s.DeliveredAtUtc, s.FinalAtUtc, s.LastEventAtUtc)
                = (ShipmentStatus.Delivered, pickedUp, delivered.AddHours(-8), delivered.AddHours(-3), delivered, delivered, delivered)), "YTO");
        }
        Assert.True(await portal.GetService<LaneStatisticsJob>().RebuildAsync(CancellationToken.None) > 0);

        // Promised in 62 hours, a little more than the lane's slowest parcel took.
        var promise = portal.Now.AddHours(62);
        var parcel = await portal.ShipmentAsync(Lane(s => (s.Status, s.FirstScanAtUtc, s.LastEventAtUtc, s.PromisedByUtc)
            = (ShipmentStatus.InTransit, portal.Now, portal.Now, promise)), "YTO");
        await PredictAsTheScanDidAsync(parcel.Id);
        await portal.ScanAsync();
        Assert.Empty(await portal.CasesAsync(parcel.Id));

        // Twenty hours later it is scanned at a hub, and then nothing more (the 48-hour silence rule would speak only
        // after the promise).
        portal.Advance(TimeSpan.FromHours(20));
        await ScannedAsync(parcel.Id, s => s.LastEventAtUtc);
        await PredictAsTheScanDidAsync(parcel.Id);

        // Every hour the sweep re-predicts the silent parcel and the monitor looks, until the forecast passes the promise.
        ExceptionCase? opened = null;
        while (opened is null && portal.Now < promise)
        {
            portal.Advance(TimeSpan.FromHours(1));
            await portal.GetService<PredictionSweepJob>().SweepAsync(CancellationToken.None);
            await portal.ScanAsync();
            opened = (await portal.CasesAsync(parcel.Id)).SingleOrDefault(c => c.Status != CaseStatus.Resolved);
        }

        Assert.NotNull(opened);
        Assert.Equal((ExceptionType.WillMissPromise, (LateCause?)LateCause.StuckAtHub), (opened.Type, opened.LateCause));
        Assert.True(opened.OpenedAtUtc < promise, $"opened {opened.OpenedAtUtc:O}, promised {promise:O}");
        await using (var db = await portal.DbAsync())
        {
            var forecast = await db.Set<Shipment>().AsNoTracking().SingleAsync(s => s.Id == parcel.Id);
            Assert.True(forecast.PredictedDeliveryUtc > promise, "the case rests on the predictor's own forecast");
            Assert.True(await db.Set<DeliveryPrediction>().CountAsync(p => p.ShipmentId == parcel.Id) >= 2, "each scan's prediction was kept");
        }

        // The parcel turns up with the courier: the scan's prediction is back inside the promise.
        portal.Advance(TimeSpan.FromHours(1));
        await ScannedAsync(parcel.Id, s => s.OutForDeliveryAtUtc, ShipmentStatus.OutForDelivery);
        await PredictAsTheScanDidAsync(parcel.Id);
        await portal.ScanAsync();

        var closed = Assert.Single(await portal.CasesAsync(parcel.Id));
        Assert.Equal((CaseStatus.Resolved, MonitoringScanJob.CaughtUp), (closed.Status, closed.Resolution));
    }

    /// <summary>A new scan now: the last event, the stage time it sets (if any), the status.</summary>
    private async Task ScannedAsync(long shipmentId, System.Linq.Expressions.Expression<Func<Shipment, DateTime?>> stageTime, ShipmentStatus status = ShipmentStatus.InTransit)
    {
        var now = portal.Now;
        await using var db = await portal.DbAsync();
        await db.Set<Shipment>().Where(s => s.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(stageTime, now).SetProperty(s => s.LastEventAtUtc, now).SetProperty(s => s.Status, status));
    }

    private static Action<Shipment> Lane(Action<Shipment> facts) => s =>
    {
        (s.OriginProvince, s.DestinationProvince) = ("四川", "北京");
        facts(s);
    };

    /// <summary>What the tracking writer does at a scan: the lane statistics, the prediction on the shipment, its row kept.</summary>
    private async Task PredictAsTheScanDidAsync(long shipmentId)
    {
        var predictions = portal.GetService<ShipmentPredictions>();
        await using var db = await portal.DbAsync();
        var shipment = await db.Set<Shipment>().SingleAsync(s => s.Id == shipmentId);
        var stats = await predictions.LoadAsync(db, [shipment], CancellationToken.None);
        var row = predictions.Apply(shipment, stats, portal.Now);
        Assert.NotNull(row);
        Assert.Equal(LaneLevel.Service, row.Lane);
        db.Add(row);
        await db.SaveChangesAsync();
    }
}
