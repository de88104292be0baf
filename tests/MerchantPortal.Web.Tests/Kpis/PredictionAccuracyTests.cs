using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// docs/kpis.md "Delivery-date accuracy": the predictions of the last 30 days whose parcels were delivered, measured
/// against the delivery, ours beside the carrier's estimate of the same moment. The predictor is another part's work:
/// the test writes DeliveryPredictions rows as it does.
/// </summary>
[Collection(KpiPortal.Name)]
public class PredictionAccuracyTests(KpiPortal portal) : IAsyncLifetime
{
    // The fixture first: the rollup's watermark is global, and shipments final today rolled up before the fixture's
    // October ones would leave those behind it.
    public Task InitializeAsync() => portal.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task Accuracy_counts_the_window_the_day_and_the_error_of_ours_and_of_the_carriers_estimate()
    {
        const string carrier = "KPACC";
        // 15:00 Beijing time, three days ago.
        var today = DateTime.UtcNow.Date;
        var x = today.AddDays(-3).AddHours(7);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            var onTheDay = Parcel(account, carrier, "KPACC-1", ShipmentStatus.Delivered, delivered: x);
            var twoDaysLate = Parcel(account, carrier, "KPACC-2", ShipmentStatus.Delivered, delivered: x.AddHours(43));
            var travelling = Parcel(account, carrier, "KPACC-3", ShipmentStatus.InTransit, delivered: null);
            db.AddRange(onTheDay, twoDaysLate, travelling);
            await db.SaveChangesAsync();
            db.AddRange(
                // Expected 3 hours early, the same Beijing day, inside the window; the carrier said the next day, 19 hours late.
                Prediction(onTheDay.Id, x.AddDays(-2), expected: x.AddHours(-3), earliest: x.AddHours(-7), latest: x.AddHours(17), carrier: x.AddHours(19)),
                // Expected 48 hours early, outside the window; the carrier gave no estimate.
                Prediction(twoDaysLate.Id, x.AddDays(-2), expected: x.AddHours(-5), earliest: x.AddHours(-29), latest: x.AddHours(19), carrier: null),
                Prediction(travelling.Id, x, expected: today.AddDays(2), earliest: today.AddDays(1), latest: today.AddDays(3), carrier: null),
                // Made 40 days ago: outside the last 30 days.
                Prediction(onTheDay.Id, today.AddDays(-40), expected: x.AddDays(9), earliest: x.AddDays(8), latest: x.AddDays(10), carrier: null));
            await db.SaveChangesAsync();
        }
        using var api = portal.Factory.CreateApiClient();

        var report = (await api.GetFromJsonAsync<PredictionAccuracyReport>("/api/v1/kpis/prediction-accuracy", Json))!;

        var row = Assert.Single(report.Carriers, r => r.Carrier == carrier);
        Assert.Equal(new PredictionAccuracyRow(carrier, 2, 0.5, 0.5, 25.5, 1, 0.0, 19.0, 1.0), row);
        Assert.Equal(30, report.Days);
        Assert.True(report.Overall.Predictions >= 2, "the overall row counts every carrier's");
        Assert.True(report.Pending >= 1, "the travelling parcel's prediction waits for its delivery");
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/kpis/prediction-accuracy?days=0")).StatusCode);
    }

    private static Shipment Parcel(int account, string carrier, string trackingNo, ShipmentStatus status, DateTime? delivered)
    {
        var s = KpiFixture.NewShipment(account, carrier, trackingNo, KpiFixture.LaneX, status, (delivered ?? DateTime.UtcNow).AddDays(-3), delivered, 1);
        s.DeliveredAtUtc = delivered;
        return s;
    }

    private static DeliveryPrediction Prediction(long shipmentId, DateTime made, DateTime expected, DateTime earliest, DateTime latest, DateTime? carrier) => new()
    {
        ShipmentId = shipmentId,
        MadeAtUtc = made,
        Stage = DeliveryStage.InTransit,
        Lane = LaneLevel.CarrierLane,
        Sample = 120,
        ExpectedUtc = expected,
        EarliestUtc = earliest,
        LatestUtc = latest,
        CarrierEstimateUtc = carrier,
    };
}
