using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;

namespace MerchantPortal.Web.Tests.Tracking.Prediction;

/// <summary>The pure prediction of docs/delivery-prediction.md: stage, time spent, cut-off, calendar, fallback.</summary>
public class DeliveryPredictorTests
{
    // A Wednesday in October, 10:00 Beijing: no calendar period near, before the cut-off.
    private static readonly DateTime Pickup = new(2026, 10, 14, 2, 0, 0, DateTimeKind.Utc);

    private static readonly DeliveryPredictor Predictor = new(new PredictionOptions());

    /// <summary>A lane's history drawn from a seeded spread: pickup→delivery 30–70 h, destination city→delivery 4–20 h.</summary>
    private static TransitDistribution Drawn(double min, double max, int count = 2_000)
    {
        var rng = new Random(7);
        var histogram = new TransitHistogram();
        for (var i = 0; i < count; i++)
        {
            histogram.Add(min + ((max - min) * rng.NextDouble()));
        }
        return TransitDistribution.FromHistogram(histogram);
    }

    private static readonly StageHistory FromPickup = new(LaneLevel.Service, 2_000, Drawn(30, 70));
    private static readonly StageHistory FromCity = new(LaneLevel.Service, 2_000, Drawn(4, 20));

    [Fact]
    public void Quantiles_read_off_a_histogram_match_the_sample_they_came_from()
    {
        var rng = new Random(3);
        var sample = Enumerable.Range(0, 5_000).Select(_ => 10 + (rng.NextDouble() * 40)).Order().ToList();
        var histogram = new TransitHistogram();
        sample.ForEach(histogram.Add);

        var distribution = TransitDistribution.FromHistogram(histogram);

        foreach (var (level, i) in TransitDistribution.Levels.Select((l, i) => (l, i)))
        {
            Assert.InRange(distribution.Hours[i], sample[(int)(level * sample.Count)] - TransitHistogram.BinHours, sample[(int)(level * sample.Count)] + TransitHistogram.BinHours);
        }
        Assert.InRange(distribution.Share(distribution.Quantile(0.8)), 0.79, 0.81);
    }

    [Fact]
    public void A_parcel_in_the_destination_city_gets_a_narrower_window_than_at_pickup()
    {
        var cityReached = Pickup.AddHours(40);
        var atPickup = Predictor.Predict(DeliveryStage.PickedUp, Pickup, Pickup, FromPickup);
        var inCity = Predictor.Predict(DeliveryStage.AtDestinationCity, cityReached, cityReached, FromCity);

        Assert.True(inCity.LatestUtc - inCity.EarliestUtc < (atPickup.LatestUtc - atPickup.EarliestUtc) / 2,
            $"city window {inCity.LatestUtc - inCity.EarliestUtc}, pickup window {atPickup.LatestUtc - atPickup.EarliestUtc}");
        Assert.InRange(inCity.ExpectedUtc, cityReached.AddHours(4), cityReached.AddHours(20));
        Assert.InRange(atPickup.ExpectedUtc, Pickup.AddHours(45), Pickup.AddHours(55));
        Assert.True(atPickup.EarliestUtc <= atPickup.ExpectedUtc && atPickup.ExpectedUtc <= atPickup.LatestUtc);
    }

    [Fact]
    public void A_lane_too_spread_for_two_days_gets_the_two_days_most_of_its_parcels_arrive_in()
    {
        // 70 % of the lane in 30–40 h, 30 % strung out over 100–130 h: holding 97 % would take four days.
        var rng = new Random(5);
        var histogram = new TransitHistogram();
        for (var i = 0; i < 2_000; i++)
        {
            histogram.Add(i % 10 < 7 ? 30 + (10 * rng.NextDouble()) : 100 + (30 * rng.NextDouble()));
        }
        var spread = new StageHistory(LaneLevel.Service, 2_000, TransitDistribution.FromHistogram(histogram));

        var forecast = Predictor.Predict(DeliveryStage.PickedUp, Pickup, Pickup, spread);

        Assert.True(forecast.LatestUtc - forecast.EarliestUtc <= TimeSpan.FromHours(new PredictionOptions().MaxWindowHours),
            $"window {forecast.LatestUtc - forecast.EarliestUtc}");
        Assert.True(forecast.EarliestUtc <= Pickup.AddHours(31) && forecast.LatestUtc >= Pickup.AddHours(39),
            $"window {forecast.EarliestUtc:O} – {forecast.LatestUtc:O} misses the 30–40 h bunch");
        var unlimited = new DeliveryPredictor(new PredictionOptions { MaxWindowHours = 240 }).Predict(DeliveryStage.PickedUp, Pickup, Pickup, spread);
        Assert.True(unlimited.LatestUtc - unlimited.EarliestUtc > TimeSpan.FromHours(72), $"unlimited window {unlimited.LatestUtc - unlimited.EarliestUtc}");
    }

    [Fact]
    public void A_parcel_that_stays_at_its_stage_longer_than_usual_sees_its_window_slide_later_as_hours_pass()
    {
        var cityReached = Pickup.AddHours(40);
        var fresh = Predictor.Predict(DeliveryStage.AtDestinationCity, cityReached, cityReached, FromCity);
        var late = Predictor.Predict(DeliveryStage.AtDestinationCity, cityReached, cityReached.AddHours(18), FromCity);
        var beyondAll = Predictor.Predict(DeliveryStage.AtDestinationCity, cityReached, cityReached.AddHours(30), FromCity);
        var later = Predictor.Predict(DeliveryStage.AtDestinationCity, cityReached, cityReached.AddHours(40), FromCity);

        Assert.True(late.LatestUtc > fresh.LatestUtc);
        Assert.True(late.EarliestUtc >= cityReached.AddHours(18), "nothing is predicted before now");
        // Past everything the lane has seen, the window keeps moving with the clock.
        Assert.True(beyondAll.EarliestUtc >= cityReached.AddHours(30));
        Assert.True(later.LatestUtc - beyondAll.LatestUtc >= TimeSpan.FromHours(9), $"{beyondAll.LatestUtc:o} → {later.LatestUtc:o}");
    }

    [Fact]
    public void A_parcel_picked_up_after_the_cut_off_is_predicted_like_one_picked_up_at_the_next_first_departure()
    {
        // 19:30 Beijing, and 06:00 Beijing the next morning.
        var evening = new DateTime(2026, 10, 14, 11, 30, 0, DateTimeKind.Utc);
        var nextMorning = new DateTime(2026, 10, 14, 22, 0, 0, DateTimeKind.Utc);
        var afternoon = new DateTime(2026, 10, 14, 8, 0, 0, DateTimeKind.Utc);

        Assert.Equal(nextMorning, Predictor.TransitStart(evening));
        Assert.Equal(afternoon, Predictor.TransitStart(afternoon));
        Assert.Equal(Predictor.Predict(DeliveryStage.PickedUp, nextMorning, nextMorning, FromPickup),
            Predictor.Predict(DeliveryStage.PickedUp, evening, evening, FromPickup));
    }

    [Fact]
    public void A_window_touching_a_campaign_peak_is_stretched_later_and_wider_by_its_factor()
    {
        var october = Predictor.Predict(DeliveryStage.PickedUp, Pickup, Pickup, FromPickup);
        var doubleEleven = new DateTime(2026, 11, 10, 2, 0, 0, DateTimeKind.Utc);
        var peak = Predictor.Predict(DeliveryStage.PickedUp, doubleEleven, doubleEleven, FromPickup);
        var factor = new PredictionOptions().Peaks.Single(p => p.Name == "双11 2026").Factor;

        Assert.Equal(factor, peak.PeakFactor);
        Assert.Equal(1.0, october.PeakFactor);
        Assert.Equal((october.LatestUtc - october.EarliestUtc).TotalHours * factor, (peak.LatestUtc - peak.EarliestUtc).TotalHours, 3);
        Assert.Equal((october.ExpectedUtc - Pickup).TotalHours * factor, (peak.ExpectedUtc - doubleEleven).TotalHours, 3);
    }

    [Fact]
    public void A_configured_period_widens_too_and_the_built_in_ones_can_be_turned_off()
    {
        var own = new PredictionOptions
        {
            UseDefaultCalendar = false,
            Calendar = [new PeakPeriod { Name = "国庆", From = new DateOnly(2026, 10, 15), To = new DateOnly(2026, 10, 16), Factor = 1.5 }],
        };

        Assert.Equal(1.5, new DeliveryPredictor(own).Predict(DeliveryStage.PickedUp, Pickup, Pickup, FromPickup).PeakFactor);
        Assert.Equal(1.0, new DeliveryPredictor(own).PeakFactor(new DateOnly(2026, 11, 11), new DateOnly(2026, 11, 11)));
    }

    [Fact]
    public void A_lane_below_the_minimum_sample_falls_back_to_the_next_coarser_level_and_without_any_to_the_flagged_default()
    {
        var stored = new Dictionary<string, (int, TransitDistribution)>
        {
            [LaneKeys.Key(LaneLevel.Service, DeliveryStage.PickedUp, "ZTO", "standard", "浙江省", "西藏自治区")] = (12, Drawn(100, 120)),
            [LaneKeys.Key(LaneLevel.Carrier, DeliveryStage.PickedUp, "ZTO", null, null, null)] = (500, Drawn(30, 70)),
        };
        (int, TransitDistribution)? Lookup(string key) => stored.TryGetValue(key, out var found) ? found : null;

        var thin = Predictor.Choose(Lookup, DeliveryStage.InTransit, "ZTO", "standard", "浙江省", "西藏自治区");
        var none = Predictor.Choose(Lookup, DeliveryStage.PickedUp, "SF", "standard", "浙江省", "西藏自治区");
        var enough = new DeliveryPredictor(new PredictionOptions { MinimumSample = 10 }).Choose(Lookup, DeliveryStage.PickedUp, "ZTO", "standard", "浙江省", "西藏自治区");

        Assert.Equal((LaneLevel.Carrier, 500), (thin.Lane, thin.Sample));
        Assert.Equal((LaneLevel.AllCarriers, 0), (none.Lane, none.Sample));
        Assert.Equal((LaneLevel.Service, 12), (enough.Lane, enough.Sample));
        Assert.NotNull(Predictor.Predict(DeliveryStage.PickedUp, Pickup, Pickup, none));
    }

    [Fact]
    public void The_stage_comes_from_the_scans_reached_and_a_parcel_going_back_or_not_picked_up_has_none()
    {
        var t = Pickup;
        Assert.Equal((DeliveryStage.PickedUp, t), DeliveryPredictor.StageOf(ShipmentStatus.PickedUp, t, null, null));
        Assert.Equal((DeliveryStage.InTransit, t), DeliveryPredictor.StageOf(ShipmentStatus.InTransit, t, null, null));
        Assert.Equal((DeliveryStage.AtDestinationCity, t.AddHours(30)), DeliveryPredictor.StageOf(ShipmentStatus.InTransit, t, t.AddHours(30), null));
        Assert.Equal((DeliveryStage.OutForDelivery, t.AddHours(35)), DeliveryPredictor.StageOf(ShipmentStatus.Exception, t, t.AddHours(30), t.AddHours(35)));
        Assert.Null(DeliveryPredictor.StageOf(ShipmentStatus.Returning, t, t.AddHours(30), null));
        Assert.Null(DeliveryPredictor.StageOf(ShipmentStatus.Pending, null, null, null));
    }
}
