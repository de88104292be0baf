using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;
using MerchantPortal.Web.Setup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Benchmarks;

/// <summary>The portal's real data services (SQLite, WAL, the migrations) on a fresh temporary database.</summary>
internal static class BenchData
{
    public static (string Directory, ServiceCollection Services) Create(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = directory,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddConsole());
        services.AddPortalData(configuration, directory);
        services.AddSingleton(TimeProvider.System);
        return (directory, services);
    }
}

/// <summary>
/// P5 (tracking ingest) and P7 (adaptive polling) of docs/targets.md.
/// P5 goes through the receiver's own steps without HTTP: parse RequestData, verify DataSign, <see cref="TrackingIngest"/>.
/// P7 is a pure simulation over <see cref="PollSchedule"/>, the same rules the ingest uses.
/// </summary>
internal static class TrackingBenchmarks
{
    private const string AppKey = "bench-app-key";

    public static async Task RunAsync(int shipments, int tracesPerPush)
    {
        var rows = new List<(string Id, string What, string Result, string Target)>();
        rows.AddRange(await IngestAsync(shipments, tracesPerPush));
        rows.AddRange(SimulateWeek(10_000));
        Print(rows);
    }

    private static async Task<List<(string, string, string, string)>> IngestAsync(int shipmentCount, int tracesPerPush)
    {
        var (_, services) = BenchData.Create("p5");
        await using var provider = services.BuildServiceProvider();
        var dbFactory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var ingest = new TrackingIngest(dbFactory, new ShipmentObservers([]), new ShipmentPredictions(Microsoft.Extensions.Options.Options.Create(new PredictionOptions())), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new TrackingOptions()), NullLogger<TrackingIngest>.Instance);

        const int tracesPerShipment = 10;
        var perPush = Math.Max(1, tracesPerPush / tracesPerShipment);
        var numbers = Enumerable.Range(0, shipmentCount).Select(i => "7" + (1_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture)).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            var account = new CarrierAccount { Name = "bench", EBusinessId = "bench", AppKeyProtected = "x", ShipperCode = "ZTO", Version = Guid.NewGuid() };
            db.Add(account);
            await db.SaveChangesAsync();
            db.AddRange(numbers.Select(n => new Shipment { CarrierAccountId = account.Id, ShipperCode = "ZTO", TrackingNo = n, CreatedAtUtc = DateTime.UtcNow, NextCheckAtUtc = DateTime.UtcNow, Version = Guid.NewGuid() }));
            await db.SaveChangesAsync();
        }

        // Each push: perPush waybills × 10 traces (full history, as §2.5 sends it), signed like the aggregator does.
        var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        var pushes = numbers.Chunk(perPush).Select(chunk =>
        {
            var json = JsonSerializer.Serialize(new
            {
                EBusinessID = "bench",
                PushTime = "2026-11-28 10:00:00",
                Count = chunk.Length.ToString(CultureInfo.InvariantCulture),
                Data = chunk.Select(n => new
                {
                    EBusinessID = "bench", ShipperCode = "ZTO", LogisticCode = n, Success = true, State = "2", StateEx = "2", Location = "上海市",
                    Traces = Enumerable.Range(0, tracesPerShipment).Select(t => new
                    {
                        AcceptTime = start.AddHours(8 + t * 3).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                        AcceptStation = $"【上海市】快件到达 上海转运中心 第 {t} 站",
                        Location = "上海市",
                        Action = t == 0 ? "1" : "2",
                    }).ToArray(),
                }).ToArray(),
            });
            return (Json: json, Sign: KdniaoSigner.Sign(json, AppKey));
        }).ToList();

        async Task<(TimeSpan Elapsed, int Added)> RunPushes()
        {
            var added = 0;
            var watch = Stopwatch.StartNew();
            foreach (var (json, sign) in pushes)
            {
                if (!KdniaoPush.VerifySign(json, sign, AppKey))
                {
                    throw new InvalidOperationException("sign");
                }
                var envelope = KdniaoPush.Parse(json);
                added += (await ingest.IngestAsync([.. envelope.Data.Select(d => d.Snapshot)], TrackingSource.Push)).EventsAdded;
            }
            return (watch.Elapsed, added);
        }

        var total = shipmentCount * tracesPerShipment;
        var first = await RunPushes();
        var replay = await RunPushes();
        return
        [
            ("P5", $"{pushes.Count:N0} pushes × {perPush * tracesPerShipment} traces ({total:N0} traces, {shipmentCount:N0} shipments): verify, parse, dedupe, store, recompute status",
                $"{first.Elapsed.TotalSeconds:0.00} s, {first.Added:N0} stored ({first.Added / first.Elapsed.TotalSeconds:N0} events/s)", "≥ 10,000 events/s"),
            ("P5", "the same pushes replayed", $"{replay.Elapsed.TotalSeconds:0.00} s, {replay.Added:N0} stored ({total / replay.Elapsed.TotalSeconds:N0} traces/s checked)", "nothing new stored"),
        ];
    }

    /// <summary>One scan of a simulated parcel, with what the schedule may read from it.</summary>
    private sealed record Scan(DateTime At, ShipmentStatus Status, ScanKind Kind = ScanKind.Unknown, string? Location = null);

    private sealed record Parcel(DateTime RegisteredAt, string? DestinationProvince, Scan[] Scans);

    public static Task RunPollingAsync()
    {
        Print(SimulateWeek(10_000));
        return Task.CompletedTask;
    }

    private static void Print(IEnumerable<(string Id, string What, string Result, string Target)> rows)
    {
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Id} | {r.What} | {r.Result} | {r.Target} |");
        }
    }

    /// <summary>
    /// The earlier model, kept to show how much the schedule depends on rhythm: scans at any hour, 3–7 legs of
    /// 2–10 h each, uniformly random, nothing known about where the parcel is.
    /// </summary>
    private static List<Parcel> RhythmlessParcels(int count, DateTime t0)
    {
        var random = new Random(42);
        var parcels = new List<Parcel>(count);
        for (var i = 0; i < count; i++)
        {
            var t = t0.AddHours(random.NextDouble() * 48);
            var registered = t.AddHours(-1);
            var scans = new List<Scan> { new(t, ShipmentStatus.PickedUp) };
            var legs = random.Next(3, 8);
            for (var l = 0; l < legs; l++)
            {
                t = t.AddHours(2 + random.NextDouble() * 8);
                scans.Add(new(t, ShipmentStatus.InTransit));
            }
            var fate = random.NextDouble();
            if (fate < 0.05)
            {
                parcels.Add(new(registered, null, [.. scans]));
                continue;
            }
            if (fate < 0.10)
            {
                t = t.AddHours(1 + random.NextDouble() * 4);
                scans.Add(new(t, ShipmentStatus.Exception));
                t = t.AddHours(12 + random.NextDouble() * 12);
            }
            t = t.AddHours(1 + random.NextDouble() * 6);
            scans.Add(new(t, ShipmentStatus.OutForDelivery));
            t = t.AddHours(0.5 + random.NextDouble() * 4);
            scans.Add(new(t, ShipmentStatus.Delivered));
            parcels.Add(new(registered, null, [.. scans]));
        }
        return parcels;
    }

    /// <summary>
    /// Parcels with the rhythm of Chinese express networks (Beijing time): collected in the afternoon run, an evening
    /// truck (18:30–21:30) to the origin hub, a burst of arrival and departure scans at each hub (0.3–2 h apart; hubs sort
    /// at night), a trunk haul
    /// whose length follows the lane's distance (±20 %), an outlet that receives in the early morning and delivers in
    /// a morning or afternoon run, nothing at outlets at night. 6 % failed first attempt, 7 % locker, 3 % held at a hub
    /// for a day, 2 % stuck (no more scans).
    /// </summary>
    private static List<Parcel> RhythmParcels(int count, DateTime t0)
    {
        var random = new Random(42);
        var origins = new[] { "33", "44", "32", "31", "35", "37", "11", "42" };
        var mainland = ChinaProvinces.All.Where(p => p.Code is not ("71" or "81" or "82")).ToArray();
        var beijing = TimeSpan.FromHours(8);
        double U(double a, double b) => a + random.NextDouble() * (b - a);
        DateTime Local(DateTime utc) => utc + beijing;
        DateTime AtLocal(DateTime localDay, double hour) => localDay.Date.AddHours(hour) - beijing;
        DateTime IntoOutletHours(DateTime utc)
        {
            var h = Local(utc).TimeOfDay.TotalHours;
            return h is >= 5.5 and < 21.5 ? utc : AtLocal(h < 5.5 ? Local(utc) : Local(utc).AddDays(1), U(5.5, 7.5));
        }
        DateTime NextRun(DateTime afterUtc)
        {
            foreach (var day in new[] { 0, 1, 2 })
            {
                foreach (var (a, b) in new[] { (8.0, 9.5), (13.5, 15.0) })
                {
                    var at = AtLocal(Local(afterUtc).AddDays(day), U(a, b));
                    if (at >= afterUtc)
                    {
                        return at;
                    }
                }
            }
            return afterUtc;
        }

        var parcels = new List<Parcel>(count);
        for (var i = 0; i < count; i++)
        {
            var origin = ChinaProvinces.ByCode(origins[random.Next(origins.Length)])!;
            var destination = mainland[random.Next(mainland.Length)];
            var registered = t0.AddHours(U(0, 72));
            var local = Local(registered);
            var pickupDay = local.TimeOfDay.TotalHours < 14.5 ? local : local.AddDays(1);
            var t = AtLocal(pickupDay, U(15, 19.5));
            var o = origin.CapitalZh + "市";
            var d = destination.CapitalZh + "市";
            var scans = new List<Scan> { new(t, ShipmentStatus.PickedUp, ScanKind.PickedUp, o) };
            void Add(double hours, ShipmentStatus status, ScanKind kind, string where)
            {
                t = t.AddHours(hours);
                scans.Add(new(t, status, kind, where));
            }
            // The outlet's evening truck, then a short dwell at the origin hub.
            var truck = AtLocal(Local(t), U(18.5, 21.5));
            t = truck > t.AddMinutes(30) ? truck : t.AddMinutes(U(30, 90));
            scans.Add(new(t, ShipmentStatus.InTransit, ScanKind.LeftOutlet, o));
            Add(U(1, 2.5), ShipmentStatus.InTransit, ScanKind.ArrivedHub, o);
            Add(U(0.3, 2), ShipmentStatus.InTransit, ScanKind.LeftHub, o);
            Add(PollSchedule.TrunkHaul(ChinaProvinces.DistanceKm(origin, destination)).TotalHours * U(0.85, 1.2), ShipmentStatus.InTransit, ScanKind.ArrivedHub, d);
            var fate = random.NextDouble();
            if (fate < 0.02)
            {
                parcels.Add(new(registered, destination.Code, [.. scans]));
                continue;
            }
            if (fate < 0.05)
            {
                Add(U(1, 4), ShipmentStatus.Exception, ScanKind.Exception, d);
                t = t.AddHours(U(12, 36));
            }
            Add(U(0.3, 2), ShipmentStatus.InTransit, ScanKind.LeftHub, d);
            t = IntoOutletHours(t.AddHours(U(1, 3)));
            scans.Add(new(t, ShipmentStatus.InTransit, ScanKind.ArrivedOutlet, d));
            t = NextRun(t.AddMinutes(30));
            scans.Add(new(t, ShipmentStatus.OutForDelivery, ScanKind.OutForDelivery, d));
            if (fate < 0.11)
            {
                Add(U(1, 5), ShipmentStatus.Exception, ScanKind.FailedAttempt, d);
                t = NextRun(t.AddHours(12));
                scans.Add(new(t, ShipmentStatus.OutForDelivery, ScanKind.OutForDelivery, d));
            }
            else if (fate < 0.18)
            {
                Add(U(0.3, 4), ShipmentStatus.AvailableForPickup, ScanKind.Locker, d);
                t = IntoOutletHours(t.AddHours(U(1, 20)));
                scans.Add(new(t, ShipmentStatus.Delivered, ScanKind.Unknown, d));
                parcels.Add(new(registered, destination.Code, [.. scans]));
                continue;
            }
            Add(U(0.3, 6), ShipmentStatus.Delivered, ScanKind.Unknown, d);
            parcels.Add(new(registered, destination.Code, [.. scans]));
        }
        return parcels;
    }

    private sealed record RunResult(long Calls, long AfterFinal, List<double> Moving, List<double> Final);

    private static List<(string, string, string, string)> SimulateWeek(int count)
    {
        var t0 = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = t0.AddDays(7);

        // Polling only: what a poll sees is the newest scan at that instant. Staleness of a scan = the first poll at
        // or after it minus its time (the end of the week when none saw it): for moving (non-final) scans, and for
        // the final scan separately.
        RunResult Run(List<Parcel> parcels, Func<Parcel, Scan?, DateTime, DateTime?> next)
        {
            long calls = 0, afterFinal = 0;
            var moving = new List<double>();
            var final = new List<double>();
            var polls = new List<DateTime>();
            foreach (var parcel in parcels)
            {
                polls.Clear();
                var sawFinal = false;
                var t = (DateTime?)parcel.RegisteredAt;
                while (t is { } now && now < end)
                {
                    polls.Add(now);
                    afterFinal += sawFinal ? 1 : 0;
                    var seen = parcel.Scans.LastOrDefault(x => x.At <= now);
                    sawFinal |= seen?.Status.IsFinal() == true;
                    t = next(parcel, seen, now);
                }
                calls += polls.Count;
                foreach (var x in parcel.Scans.Where(x => x.At < end))
                {
                    var observed = polls.FirstOrDefault(p => p >= x.At);
                    (x.Status.IsFinal() ? final : moving).Add(((observed == default ? end : observed) - x.At).TotalMinutes);
                }
            }
            return new(calls, afterFinal, moving, final);
        }

        // Subscribed: every scan arrives by push when it happens (staleness 0); polls only reconcile, 6 h after the
        // latest news, and stop at a final state. Counts the carrier calls (pushes cost none).
        long RunWithPush(List<Parcel> parcels)
        {
            long calls = 0;
            foreach (var parcel in parcels)
            {
                var input = new PollInput(ShipmentStatus.Pending, null);
                var nextPoll = PollSchedule.NextCheck(input, parcel.RegisteredAt, subscribed: true);
                foreach (var x in parcel.Scans.Where(x => x.At < end))
                {
                    while (nextPoll is { } p && p < x.At)
                    {
                        calls++;
                        nextPoll = PollSchedule.NextCheck(input, p, subscribed: true);
                    }
                    input = new PollInput(x.Status, x.At);
                    nextPoll = PollSchedule.NextCheck(input, x.At, subscribed: true);
                }
                while (nextPoll is { } p && p < end)
                {
                    calls++;
                    nextPoll = PollSchedule.NextCheck(input, p, subscribed: true);
                }
            }
            return calls;
        }

        static string Describe(List<double> minutes)
        {
            var sorted = minutes.OrderBy(m => m).ToList();
            double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
            return $"p50 {At(0.5):0} / p95 {At(0.95):0} / p99 {At(0.99):0} min";
        }

        static DateTime? Adaptive(Parcel parcel, Scan? seen, DateTime now) => PollSchedule.NextCheck(
            new PollInput(seen?.Status ?? ShipmentStatus.Pending, seen?.At, seen?.Kind ?? ScanKind.Unknown, seen?.Location, parcel.DestinationProvince), now, subscribed: false);
        static DateTime? Fixed(Parcel _, Scan? seen, DateTime now) => seen?.Status.IsFinal() == true ? null : now.AddMinutes(30);

        var rows = new List<(string, string, string, string)>();
        foreach (var (name, parcels) in new[] { ("rhythm model", RhythmParcels(count, t0)), ("rhythm-free model", RhythmlessParcels(count, t0)) })
        {
            var fixedRun = Run(parcels, Fixed);
            var adaptive = Run(parcels, Adaptive);
            var withPush = RunWithPush(parcels);
            rows.Add(("P7", $"{name}: fixed 30-min polling, {count:N0} parcels, 7 days", $"{fixedRun.Calls:N0} calls; moving-scan staleness {Describe(fixedRun.Moving)}; final scan {Describe(fixedRun.Final)}; {fixedRun.AfterFinal} calls after final", "baseline"));
            rows.Add(("P7", $"{name}: adaptive schedule, polling only", $"{adaptive.Calls:N0} calls (**×{(double)fixedRun.Calls / adaptive.Calls:0.0} fewer**); moving-scan staleness {Describe(adaptive.Moving)}; final scan {Describe(adaptive.Final)}; {adaptive.AfterFinal} calls after final", "≥ 3× fewer at ≤ 30 min; 0 after final"));
            rows.Add(("P7", $"{name}: push subscription + 6 h reconciliation polls", $"{withPush:N0} calls (**×{(double)fixedRun.Calls / withPush:0.0} fewer**); staleness 0 (scans arrive by push); 0 calls after final by construction", "≥ 3× fewer at ≤ 30 min; 0 after final"));
        }
        return rows;
    }
}
