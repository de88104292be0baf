namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>The history a prediction is drawn from: the lane level that had enough delivered parcels, and its distribution.</summary>
/// <param name="Sample">Delivered parcels behind it; 0 for the built-in default used before any history exists.</param>
public sealed record StageHistory(LaneLevel Lane, int Sample, TransitDistribution Remaining);

/// <summary>A delivery-date prediction: the most likely time and the window around it (UTC; days are read in Beijing time).</summary>
public sealed record DeliveryForecast(DateTime ExpectedUtc, DateTime EarliestUtc, DateTime LatestUtc, DeliveryStage Stage, LaneLevel Lane, int Sample, double PeakFactor)
{
    /// <summary>The Beijing date the parcel is expected on ("arrives on the 6th").</summary>
    public DateOnly ExpectedDay => BeijingTime.DateOf(ExpectedUtc);
}

/// <summary>Beijing time (UTC+8, no daylight saving): delivery days, cut-off hours and the calendar are all read in it.</summary>
public static class BeijingTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTime Local(DateTime utc) => utc + Offset;

    public static DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    public static DateTime UtcAt(DateOnly day, int hour) => day.ToDateTime(new TimeOnly(0)).AddHours(hour) - Offset;
}

/// <summary>
/// The pure delivery-date prediction of docs/delivery-prediction.md: from the lane's remaining-time distribution for
/// the parcel's current stage, the moment the stage began, now, the pickup cut-off and the calendar, the expected
/// time and the window. The portal (ingest, the sweep) and the backtest (tests/MerchantPortal.Benchmarks) run this
/// same code.
/// </summary>
public sealed class DeliveryPredictor(PredictionOptions options)
{
    /// <summary>The distributions of <see cref="StatsStage"/> stages: pickup and in transit share the pickup clock.</summary>
    public static readonly DeliveryStage[] StatsStages = [DeliveryStage.PickedUp, DeliveryStage.AtDestinationCity, DeliveryStage.OutForDelivery];

    public PredictionOptions Options => options;

    /// <summary>The stage whose statistics predict <paramref name="stage"/>: in transit is read on the pickup clock.</summary>
    public static DeliveryStage StatsStage(DeliveryStage stage) => stage == DeliveryStage.InTransit ? DeliveryStage.PickedUp : stage;

    /// <summary>
    /// Where a forward parcel is and since when, for prediction; null when there is nothing to predict (not picked up
    /// yet, or going back to the sender). A parcel in trouble (a failed attempt, silence) is predicted from the last
    /// stage it reached, conditionally on the time spent since.
    /// </summary>
    public static (DeliveryStage Stage, DateTime EnteredUtc)? StageOf(
        MerchantPortal.Carriers.ShipmentStatus status, DateTime? firstScanAtUtc, DateTime? atDestinationCityAtUtc, DateTime? outForDeliveryAtUtc)
    {
        if (firstScanAtUtc is not { } first || status is MerchantPortal.Carriers.ShipmentStatus.Pending or MerchantPortal.Carriers.ShipmentStatus.Returning)
        {
            return null;
        }
        if (outForDeliveryAtUtc is { } ofd)
        {
            return (DeliveryStage.OutForDelivery, ofd);
        }
        if (atDestinationCityAtUtc is { } city)
        {
            return (DeliveryStage.AtDestinationCity, city);
        }
        return (status == MerchantPortal.Carriers.ShipmentStatus.PickedUp ? DeliveryStage.PickedUp : DeliveryStage.InTransit, first);
    }

    /// <summary>
    /// When the pickup-stage clock starts: at the pickup, or — picked up after the cut-off hour, before the first
    /// departure, or on a day without departures — at the next first departure (Beijing time). The weekday and cut-off
    /// effect is this shift: the lane statistics are kept on the same clock.
    /// </summary>
    public DateTime TransitStart(DateTime pickedUpUtc)
    {
        var local = BeijingTime.Local(pickedUpUtc);
        var day = DateOnly.FromDateTime(local);
        var start = pickedUpUtc;
        if (local.Hour >= options.CutOffHour)
        {
            day = day.AddDays(1);
            start = BeijingTime.UtcAt(day, options.FirstDepartureHour);
        }
        else if (local.Hour < options.FirstDepartureHour)
        {
            start = BeijingTime.UtcAt(day, options.FirstDepartureHour);
        }
        for (var i = 0; i < 7 && options.NoDepartureDays.Contains(day.DayOfWeek); i++)
        {
            day = day.AddDays(1);
            start = BeijingTime.UtcAt(day, options.FirstDepartureHour);
        }
        return start;
    }

    /// <summary>The moment a stage's clock starts (the pickup stages use <see cref="TransitStart"/>).</summary>
    public DateTime ClockStart(DeliveryStage stage, DateTime enteredUtc) =>
        StatsStage(stage) == DeliveryStage.PickedUp ? TransitStart(enteredUtc) : enteredUtc;

    /// <summary>
    /// Predicts the delivery of a parcel at <paramref name="stage"/> since <paramref name="enteredUtc"/>, seen at
    /// <paramref name="nowUtc"/>. Time already spent at the stage conditions the distribution (a parcel stuck at a
    /// hub sees its window slide later as hours pass). A window touching a calendar peak is stretched by its factor.
    /// </summary>
    public DeliveryForecast Predict(DeliveryStage stage, DateTime enteredUtc, DateTime nowUtc, StageHistory history)
    {
        var coverage = StatsStage(stage) == DeliveryStage.PickedUp ? options.PickupCoverage : options.DestinationCoverage;
        var (anchor, elapsed) = Anchor(stage, enteredUtc, nowUtc);
        var d = history.Remaining;
        var (low, high) = ShortestWindow(d, elapsed, coverage, options.MaxWindowHours);
        var factor = PeakFactor(anchor, d.RemainingQuantile(high, elapsed));
        return new DeliveryForecast(
            QuantileTime(stage, enteredUtc, nowUtc, history, 0.5, factor), QuantileTime(stage, enteredUtc, nowUtc, history, low, factor),
            QuantileTime(stage, enteredUtc, nowUtc, history, high, factor), stage, history.Lane, history.Sample, factor);
    }

    /// <summary>The stage a parcel at <paramref name="stage"/> still has entirely ahead of it (none once out for delivery).</summary>
    public static DeliveryStage? StageAhead(DeliveryStage stage) => StatsStage(stage) switch
    {
        DeliveryStage.PickedUp => DeliveryStage.AtDestinationCity,
        DeliveryStage.AtDestinationCity => DeliveryStage.OutForDelivery,
        _ => null,
    };

    /// <summary>
    /// <see cref="Predict(DeliveryStage, DateTime, DateTime, StageHistory)"/>, kept no sooner than the stage still
    /// ahead takes from now (docs/delivery-prediction.md §2, step 7): a parcel silent at a hub long past the lane's usual time
    /// has not reached the destination city, so it still needs the whole last leg — without this floor the
    /// conditional tail would promise it "within the hour" after two days of silence.
    /// </summary>
    public DeliveryForecast Predict(DeliveryStage stage, DateTime enteredUtc, DateTime nowUtc, StageHistory history, StageHistory? ahead)
    {
        var forecast = Predict(stage, enteredUtc, nowUtc, history);
        if (ahead is null)
        {
            return forecast;
        }
        var start = nowUtc > ClockStart(stage, enteredUtc) ? nowUtc : ClockStart(stage, enteredUtc);
        var (low, high) = ShortestWindow(ahead.Remaining, 0, options.DestinationCoverage, options.MaxWindowHours);
        var expected = start.AddHours(ahead.Remaining.RemainingQuantile(0.5, 0) * forecast.PeakFactor);
        if (expected <= forecast.ExpectedUtc)
        {
            return forecast;
        }
        var earliest = start.AddHours(ahead.Remaining.RemainingQuantile(low, 0) * forecast.PeakFactor);
        var latest = start.AddHours(ahead.Remaining.RemainingQuantile(high, 0) * forecast.PeakFactor);
        return forecast with
        {
            ExpectedUtc = expected,
            EarliestUtc = earliest > forecast.EarliestUtc ? earliest : forecast.EarliestUtc,
            LatestUtc = latest > forecast.LatestUtc ? latest : forecast.LatestUtc,
        };
    }

    /// <summary>
    /// The quantile levels (low, low + coverage) of the shortest interval of the conditional distribution that holds
    /// <paramref name="coverage"/> of it: where parcels bunch (same-day rounds) the window is tight, and the long
    /// right tail (failed attempts, lockers) is left out instead of stretching every window. When that interval is
    /// longer than <paramref name="maxHours"/>, the window is the interval of that length holding the most parcels
    /// instead: a window of three days tells a customer little, and a lane that spread is better served by the two
    /// days it most likely arrives in (docs/delivery-prediction.md §2).
    /// </summary>
    public static (double Low, double High) ShortestWindow(TransitDistribution d, double elapsed, double coverage, double maxHours = double.MaxValue)
    {
        const double step = 0.005;
        var best = (Low: (1 - coverage) / 2, High: (1 + coverage) / 2);
        var bestWidth = double.MaxValue;
        for (var low = 0.0; low + coverage <= 1.0 + 1e-9; low += step)
        {
            var high = Math.Min(1.0, low + coverage);
            var width = d.RemainingQuantile(high, elapsed) - d.RemainingQuantile(low, elapsed);
            if (width < bestWidth - 1e-9)
            {
                (best, bestWidth) = ((low, high), width);
            }
        }
        return bestWidth <= maxHours ? best : WidestShareWithin(d, elapsed, maxHours, step);
    }

    /// <summary>The quantile levels of the interval no longer than <paramref name="maxHours"/> holding the largest share.</summary>
    private static (double Low, double High) WidestShareWithin(TransitDistribution d, double elapsed, double maxHours, double step)
    {
        var best = (Low: 0.5, High: 0.5);
        for (var low = 0.0; low < 1.0 - 1e-9; low += step)
        {
            var start = d.RemainingQuantile(low, elapsed);
            var high = low;
            while (high + step <= 1.0 + 1e-9 && d.RemainingQuantile(Math.Min(1.0, high + step), elapsed) - start <= maxHours)
            {
                high = Math.Min(1.0, high + step);
            }
            if (high - low > best.High - best.Low + 1e-9)
            {
                best = (low, high);
            }
        }
        return best;
    }

    /// <summary>
    /// The time by which share <paramref name="p"/> of such parcels is expected delivered, conditionally on the time
    /// already spent, stretched by the calendar <paramref name="peakFactor"/> (the backtest's calibration table reads it).
    /// </summary>
    public DateTime QuantileTime(DeliveryStage stage, DateTime enteredUtc, DateTime nowUtc, StageHistory history, double p, double peakFactor)
    {
        var (anchor, elapsed) = Anchor(stage, enteredUtc, nowUtc);
        return anchor.AddHours(history.Remaining.RemainingQuantile(p, elapsed) * peakFactor);
    }

    /// <summary>The calendar factor for a window from <paramref name="anchor"/> spanning <paramref name="hours"/>.</summary>
    public double PeakFactor(DateTime anchor, double hours) => PeakFactor(BeijingTime.DateOf(anchor), BeijingTime.DateOf(anchor.AddHours(hours)));

    /// <summary>Remaining time counts from now, or from the stage clock's start when that is later (a pickup after the cut-off).</summary>
    private (DateTime Anchor, double ElapsedHours) Anchor(DeliveryStage stage, DateTime enteredUtc, DateTime nowUtc)
    {
        var start = ClockStart(stage, enteredUtc);
        return (nowUtc > start ? nowUtc : start, Math.Max(0, (nowUtc - start).TotalHours));
    }

    /// <summary>The largest factor of the calendar periods the days from <paramref name="from"/> to <paramref name="to"/> touch; 1 outside them.</summary>
    public double PeakFactor(DateOnly from, DateOnly to)
    {
        var factor = 1.0;
        foreach (var peak in options.Peaks)
        {
            if (peak.From <= to && from <= peak.To)
            {
                factor = Math.Max(factor, peak.Factor);
            }
        }
        return factor;
    }

    /// <summary>
    /// The finest lane level with at least <see cref="PredictionOptions.MinimumSample"/> delivered parcels at the
    /// stage, else the built-in default (<see cref="DefaultHistory"/>, flagged AllCarriers with sample 0).
    /// </summary>
    public StageHistory Choose(Func<string, (int Sample, TransitDistribution Remaining)?> lookup, DeliveryStage stage, string shipperCode, string? serviceType, string? origin, string? destination)
    {
        foreach (var level in LaneKeys.Levels)
        {
            if (lookup(LaneKeys.Key(level, StatsStage(stage), shipperCode, serviceType, origin, destination)) is { } found && found.Sample >= options.MinimumSample)
            {
                return new StageHistory(level, found.Sample, found.Remaining);
            }
        }
        return DefaultHistory(stage);
    }

    // z-scores of the stored levels, for the default log-normal shapes.
    private static readonly double[] Z =
        [-2.326, -2.054, -1.881, -1.645, -1.282, -1.036, -0.842, -0.674, -0.524, -0.253, 0, 0.253, 0.524, 0.674, 0.842, 1.036, 1.282, 1.645, 1.881, 2.054, 2.326];

    /// <summary>
    /// Before there is any history (a fresh install): a coarse log-normal guess per stage — from pickup a median of
    /// 2 days, from the destination city 8 hours, out for delivery 2.5 hours — wide on purpose. Documented in
    /// docs/delivery-prediction.md §4.
    /// </summary>
    public static StageHistory DefaultHistory(DeliveryStage stage)
    {
        var (median, sigma) = StatsStage(stage) switch
        {
            DeliveryStage.PickedUp => (48.0, 0.4),
            DeliveryStage.AtDestinationCity => (8.0, 0.7),
            _ => (2.5, 0.9),
        };
        return new StageHistory(LaneLevel.AllCarriers, 0, new TransitDistribution(Z.Select(z => median * Math.Exp(sigma * z)).ToArray()));
    }
}

/// <summary>
/// The keys of the lane levels, finest first. A key names its level, its stage and the lane's parts; a missing part
/// (no service, no province) is "-", so parcels without it still form their own lane.
/// </summary>
public static class LaneKeys
{
    public static readonly LaneLevel[] Levels = [LaneLevel.Service, LaneLevel.CarrierLane, LaneLevel.CarrierDestination, LaneLevel.Carrier, LaneLevel.AllCarriers];

    public static string Key(LaneLevel level, DeliveryStage stage, string shipperCode, string? serviceType, string? origin, string? destination)
    {
        var carrier = shipperCode.Trim().ToUpperInvariant();
        var head = $"{(int)level}{(int)stage}";
        return level switch
        {
            LaneLevel.Service => $"{head}|{carrier}|{Part(serviceType)}|{Part(origin)}|{Part(destination)}",
            LaneLevel.CarrierLane => $"{head}|{carrier}|{Part(origin)}|{Part(destination)}",
            LaneLevel.CarrierDestination => $"{head}|{carrier}|{Part(destination)}",
            LaneLevel.Carrier => $"{head}|{carrier}",
            _ => head,
        };
    }

    private static string Part(string? value) => string.IsNullOrWhiteSpace(value) ? "-" : value.Trim();
}
