using System.Diagnostics;
using System.Globalization;
using MerchantPortal.CarrierSandbox.Simulation;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;
using SandboxCarriers = MerchantPortal.CarrierSandbox.Simulation.Carriers;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P11: replays months of sandbox journeys (<see cref="JourneyBuilder"/>) over several carriers, three origin
/// warehouses and destinations in every province, walking time forward. Lane statistics are rebuilt every simulated
/// day from the parcels delivered before that moment only (no look-ahead), with the portal's own
/// <see cref="LaneStatisticsBuilder"/>; each delivered parcel is predicted at pickup and at each later scan with the
/// portal's own <see cref="DeliveryPredictor"/> and default <see cref="PredictionOptions"/>. The first month is history
/// only. Prints Markdown tables for docs/benchmarks.md: ours, the naive baseline (the lane's median, ±1 day) and the
/// carrier's own estimate (a point: inside = the same Beijing day), and a calibration table.
/// </summary>
public static class DeliveryBacktest
{
    private static readonly string[] CarrierCodes = ["SF", "ZTO", "YTO", "YD", "JD"];
    private static readonly string[] Warehouses = ["杭州", "广州", "成都"];
    private const string Service = "standard";

    private sealed record Parcel(string Carrier, string Origin, string Destination, Journey Journey, DateTime FirstScan, DateTime? City, DateTime? OutForDelivery, DateTime Delivered, DateTime CarrierEstimate)
    {
        public DeliveredParcel Delivery => new(Carrier, Service, Origin, Destination, FirstScan, City, OutForDelivery, Delivered);
    }

    /// <summary>Which prediction of a parcel: the one at its pickup scan, at its first destination-city scan, or any scan after that.</summary>
    private enum Moment
    {
        Pickup,
        DestinationCity,
        AfterDestinationCity,
    }

    private sealed class Tally
    {
        public int N;
        public int Inside;
        public int OnDay;
        public double AbsError;
        public double Width;
        public int Narrow;

        public void Add(DateTime expected, DateTime? earliest, DateTime? latest, DateTime delivered, bool pointSameDay = false)
        {
            N++;
            var inside = pointSameDay ? BeijingTime.DateOf(expected) == BeijingTime.DateOf(delivered) : delivered >= earliest && delivered <= latest;
            Inside += inside ? 1 : 0;
            OnDay += BeijingTime.DateOf(expected) == BeijingTime.DateOf(delivered) ? 1 : 0;
            AbsError += Math.Abs((expected - delivered).TotalHours);
            if (earliest is { } e && latest is { } l)
            {
                Width += (l - e).TotalHours;
                Narrow += (l - e) <= TimeSpan.FromDays(2) ? 1 : 0;
            }
        }
    }

    /// <param name="tune">Options to try instead of the portal's defaults (the window shares were chosen this way).</param>
    public static void Run(int months, int parcelsPerDay, DateOnly start, int seed, Action<PredictionOptions>? tune = null)
    {
        var watch = Stopwatch.StartNew();
        var regions = Regions.LoadEmbedded();
        var carriers = new SandboxCarriers();
        var rng = new Random(seed);
        var origins = Warehouses.Select(w => regions.ByName(w) ?? throw new InvalidOperationException(w + " is not a sandbox city")).ToList();
        var startUtc = BeijingTime.UtcAt(start, 0);
        var endUtc = BeijingTime.UtcAt(start.AddMonths(months), 0);
        var evaluateFrom = BeijingTime.UtcAt(start.AddMonths(1), 0);

        var parcels = new List<Parcel>();
        var journeys = 0;
        for (var day = startUtc; day < endUtc; day = day.AddDays(1))
        {
            for (var i = 0; i < parcelsPerDay; i++)
            {
                var profile = carriers.Find(CarrierCodes[rng.Next(CarrierCodes.Length)])!;
                var origin = origins[rng.Next(origins.Count)];
                var destination = regions.Cities[rng.Next(regions.Cities.Count)];
                // Orders are shipped from 08:00 to 23:00 Beijing time: the late ones are collected after the cut-off.
                var issued = day.AddHours(8 + (rng.NextDouble() * 15));
                var journey = JourneyBuilder.Build(new JourneyInput(profile.NewNumber(rng), profile, origin, null, destination, null, new DateTimeOffset(issued, TimeSpan.Zero)), regions);
                journeys++;
                var signed = journey.Events.FirstOrDefault(e => JourneyBuilder.StateOf(e.Action) == "3");
                if (signed is null)
                {
                    continue;
                }
                parcels.Add(new Parcel(profile.Code, origin.ProvinceZh, destination.ProvinceZh, journey,
                    journey.FirstScanUtc.UtcDateTime,
                    journey.Events.FirstOrDefault(e => e.Action == "201")?.TimeUtc.UtcDateTime,
                    journey.Events.FirstOrDefault(e => e.Action == "202")?.TimeUtc.UtcDateTime,
                    signed.TimeUtc.UtcDateTime, journey.EstimatedDeliveryUtc.UtcDateTime));
            }
        }

        var options = new PredictionOptions();
        tune?.Invoke(options);
        var predictor = new DeliveryPredictor(options);
        // The naive baseline's clock has no cut-off: the lane's median from the scan itself.
        var naive = new DeliveryPredictor(new PredictionOptions { CutOffHour = 24, FirstDepartureHour = 0, UseDefaultCalendar = false });

        // Every prediction moment, in time order: each scan of a delivered parcel from pickup until before delivery.
        var moments = new List<(DateTime At, int Parcel, TraceEvent Scan)>();
        for (var p = 0; p < parcels.Count; p++)
        {
            foreach (var e in parcels[p].Journey.Events)
            {
                var at = e.TimeUtc.UtcDateTime;
                if (at >= parcels[p].FirstScan && at < parcels[p].Delivered && at >= evaluateFrom && e.Action != "10")
                {
                    moments.Add((at, p, e));
                }
            }
        }
        moments.Sort((a, b) => a.At.CompareTo(b.At));
        var byDelivery = parcels.OrderBy(p => p.Delivered).ToList();

        var ours = new Dictionary<(string, Moment), Tally>();
        var baseline = new Dictionary<(string, Moment), Tally>();
        var carrierOwn = new Dictionary<(string, Moment), Tally>();
        var levels = new Dictionary<LaneLevel, int>();
        double[] calibrationLevels = [0.03, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.97];
        var calibration = new Dictionary<(Moment, double), (int N, int By)>();
        Dictionary<string, (int, TransitDistribution)> stats = [];
        Dictionary<string, (int, TransitDistribution)> rawStats = [];
        var statsDay = DateTime.MinValue;
        var rebuilds = 0;
        foreach (var (at, index, scan) in moments)
        {
            var today = at.Date;
            if (today != statsDay)
            {
                // Rebuilt at 00:00 UTC from what was delivered before it, like the hourly job (daily here, for speed).
                (stats, rawStats) = (Build(predictor, byDelivery, today, options), Build(naive, byDelivery, today, options));
                statsDay = today;
                rebuilds++;
            }
            var parcel = parcels[index];
            var status = scan.Action == "1" ? MerchantPortal.Carriers.ShipmentStatus.PickedUp : MerchantPortal.Carriers.ShipmentStatus.InTransit;
            var stage = DeliveryPredictor.StageOf(status, parcel.FirstScan,
                parcel.City is { } c && c <= at ? c : null, parcel.OutForDelivery is { } o && o <= at ? o : null);
            if (stage is not { } s)
            {
                continue;
            }
            var moment = scan.Action == "1" ? Moment.Pickup : scan.Action == "201" ? Moment.DestinationCity
                : s.Stage is DeliveryStage.AtDestinationCity or DeliveryStage.OutForDelivery ? Moment.AfterDestinationCity : (Moment?)null;
            if (moment is not { } m)
            {
                continue;
            }
            StageHistory HistoryOf(DeliveryStage stage) => predictor.Choose(k => stats.TryGetValue(k, out var v) ? v : null, stage, parcel.Carrier, Service, parcel.Origin, parcel.Destination);
            var history = HistoryOf(s.Stage);
            var forecast = predictor.Predict(s.Stage, s.EnteredUtc, at, history, DeliveryPredictor.StageAhead(s.Stage) is { } ahead ? HistoryOf(ahead) : null);
            if (m == Moment.Pickup)
            {
                levels[history.Lane] = levels.GetValueOrDefault(history.Lane) + 1;
            }
            foreach (var key in new[] { (parcel.Carrier, m), ("all", m) })
            {
                Of(ours, key).Add(forecast.ExpectedUtc, forecast.EarliestUtc, forecast.LatestUtc, parcel.Delivered);
                Of(carrierOwn, key).Add(parcel.CarrierEstimate, null, null, parcel.Delivered, pointSameDay: true);
            }
            foreach (var p in calibrationLevels)
            {
                var by = predictor.QuantileTime(s.Stage, s.EnteredUtc, at, history, p, forecast.PeakFactor);
                var (n, hit) = calibration.GetValueOrDefault((m, p));
                calibration[(m, p)] = (n + 1, hit + (parcel.Delivered <= by ? 1 : 0));
            }

            // Naive: the lane's unconditional median from the stage's own scan, ±1 day.
            var raw = naive.Choose(k => rawStats.TryGetValue(k, out var v) ? v : null, s.Stage, parcel.Carrier, Service, parcel.Origin, parcel.Destination);
            var median = s.EnteredUtc.AddHours(raw.Remaining.Quantile(0.5));
            foreach (var key in new[] { (parcel.Carrier, m), ("all", m) })
            {
                Of(baseline, key).Add(median, median.AddDays(-1), median.AddDays(1), parcel.Delivered);
            }
        }

        Console.WriteLine($"## P11 delivery-date prediction — backtest {start:yyyy-MM-dd}, {months} months ({months - 1} evaluated after one month of history only)");
        Console.WriteLine();
        Console.WriteLine($"{journeys:N0} sandbox journeys ({parcelsPerDay}/day; carriers {string.Join(", ", CarrierCodes)}; origins {string.Join(", ", Warehouses)}; destinations: all {regions.Cities.Count} sandbox cities), " +
            $"{parcels.Count:N0} delivered; {moments.Count:N0} scans replayed; statistics rebuilt {rebuilds} times; {watch.Elapsed.TotalSeconds:0} s.");
        Console.WriteLine($"Window: the shortest interval holding {options.PickupCoverage:0.00} of the conditional distribution from pickup, {options.DestinationCoverage:0.00} from the destination city, or where that is longer than {options.MaxWindowHours:0} h the {options.MaxWindowHours:0} h holding the most; minimum sample {options.MinimumSample}; cut-off {options.CutOffHour}:00.");
        Console.WriteLine("Lane level used at pickup: " + string.Join(", ", levels.OrderBy(l => l.Key).Select(l => $"{l.Key} {100.0 * l.Value / levels.Values.Sum():0.0} %")));
        Console.WriteLine();
        Console.WriteLine("| Predictor | Carrier | Moment | Parcels | Inside window | On predicted day | MAE (h) | Mean width (h) | Width ≤ 2 days |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, table) in new[] { ("ours", ours), ("naive (lane median ±1 day)", baseline), ("carrier's estimate (point; inside = same day)", carrierOwn) })
        {
            foreach (var ((carrier, moment), t) in table.OrderBy(e => e.Key.Item1 == "all" ? 1 : 0).ThenBy(e => e.Key.Item1, StringComparer.Ordinal).ThenBy(e => e.Key.Item2))
            {
                var width = t.Width > 0 || t.Narrow > 0 ? $"{t.Width / t.N:0.0}" : "—";
                var narrow = t.Width > 0 || t.Narrow > 0 ? Pct(t.Narrow, t.N) : "—";
                var who = carrier == "all" ? "**all**" : carrier;
                Console.WriteLine($"| {name} | {who} | {moment} | {t.N:N0} | {Pct(t.Inside, t.N)} | {Pct(t.OnDay, t.N)} | {t.AbsError / t.N:0.0} | {width} | {narrow} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("Calibration (ours, all carriers): share actually delivered by the predicted quantile's time.");
        Console.WriteLine();
        Console.WriteLine("| Predicted quantile | " + string.Join(" | ", Enum.GetValues<Moment>()) + " |");
        Console.WriteLine("|---:|" + string.Concat(Enum.GetValues<Moment>().Select(_ => "---:|")));
        foreach (var p in calibrationLevels)
        {
            Console.WriteLine($"| {p:0.00} | " + string.Join(" | ", Enum.GetValues<Moment>().Select(m => calibration.TryGetValue((m, p), out var c) ? Pct(c.By, c.N) : "—")) + " |");
        }
    }

    private static Dictionary<string, (int, TransitDistribution)> Build(DeliveryPredictor predictor, List<Parcel> byDelivery, DateTime before, PredictionOptions options)
    {
        var builder = new LaneStatisticsBuilder(predictor);
        var since = before.AddDays(-options.HistoryDays);
        foreach (var p in byDelivery)
        {
            if (p.Delivered >= before)
            {
                break;
            }
            if (p.Delivered >= since)
            {
                builder.Add(p.Delivery);
            }
        }
        return builder.Build(options.MinimumSample).ToDictionary(s => s.Key, s => (s.Sample, s.Remaining), StringComparer.Ordinal);
    }

    private static Tally Of(Dictionary<(string, Moment), Tally> table, (string, Moment) key)
    {
        if (!table.TryGetValue(key, out var t))
        {
            t = new Tally();
            table[key] = t;
        }
        return t;
    }

    private static string Pct(int part, int total) => total == 0 ? "—" : (100.0 * part / total).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
