using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Tracking;
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
/// P5 (tracking ingest) and P7 (adaptive polling) of shared/targets.md.
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
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Id} | {r.What} | {r.Result} | {r.Target} |");
        }
    }

    private static async Task<List<(string, string, string, string)>> IngestAsync(int shipmentCount, int tracesPerPush)
    {
        var (_, services) = BenchData.Create("p5");
        await using var provider = services.BuildServiceProvider();
        var dbFactory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var ingest = new TrackingIngest(dbFactory, new ShipmentObservers([]), TimeProvider.System, NullLogger<TrackingIngest>.Instance);

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

    private sealed record Scan(DateTime At, ShipmentStatus Status);

    /// <summary>A week of parcels with a simple but varied life: moving, out for delivery, some exceptions, some stuck.</summary>
    private static List<Scan[]> Parcels(int count, DateTime t0)
    {
        var random = new Random(42);
        var parcels = new List<Scan[]>(count);
        for (var i = 0; i < count; i++)
        {
            var t = t0.AddHours(random.NextDouble() * 48);
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
                parcels.Add([.. scans]); // stuck at a hub: no more scans this week
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
            parcels.Add([.. scans]);
        }
        return parcels;
    }

    private static List<(string, string, string, string)> SimulateWeek(int count)
    {
        var t0 = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = t0.AddDays(7);
        var parcels = Parcels(count, t0);

        // Polling only: what a poll sees is the newest scan at that instant. Returns the calls, the calls made after a
        // poll had already seen the final state, and the staleness (minutes) of each non-final scan.
        (long Calls, long AfterFinal, List<double> Staleness) Run(Func<ShipmentStatus, DateTime?, DateTime, DateTime?> next)
        {
            long calls = 0, afterFinal = 0;
            var staleness = new List<double>();
            foreach (var scans in parcels)
            {
                var polls = new List<DateTime>();
                var sawFinal = false;
                var t = (DateTime?)scans[0].At.AddHours(-1);
                while (t is { } now && now < end)
                {
                    polls.Add(now);
                    afterFinal += sawFinal ? 1 : 0;
                    var seen = scans.LastOrDefault(x => x.At <= now);
                    sawFinal |= seen?.Status.IsFinal() == true;
                    t = next(seen?.Status ?? ShipmentStatus.Pending, seen?.At, now);
                }
                calls += polls.Count;
                foreach (var x in scans.Where(x => !x.Status.IsFinal() && x.At < end))
                {
                    var observed = polls.FirstOrDefault(p => p >= x.At);
                    staleness.Add(((observed == default ? end : observed) - x.At).TotalMinutes);
                }
            }
            return (calls, afterFinal, staleness);
        }

        // Subscribed: every scan arrives by push when it happens (staleness 0); polls only reconcile, 6 h after the
        // latest news, and stop at a final state. Counts the carrier calls (pushes cost none).
        long RunWithPush()
        {
            long calls = 0;
            foreach (var scans in parcels)
            {
                ShipmentStatus status = ShipmentStatus.Pending;
                DateTime? last = null;
                var nextPoll = PollSchedule.NextCheck(status, last, scans[0].At.AddHours(-1), subscribed: true);
                foreach (var x in scans.Where(x => x.At < end))
                {
                    while (nextPoll is { } p && p < x.At)
                    {
                        calls++;
                        nextPoll = PollSchedule.NextCheck(status, last, p, subscribed: true);
                    }
                    (status, last) = (x.Status, x.At);
                    nextPoll = PollSchedule.NextCheck(status, last, x.At, subscribed: true);
                }
                while (nextPoll is { } p && p < end)
                {
                    calls++;
                    nextPoll = PollSchedule.NextCheck(status, last, p, subscribed: true);
                }
            }
            return calls;
        }

        static string Describe(List<double> minutes)
        {
            var sorted = minutes.OrderBy(m => m).ToList();
            return $"mean {sorted.Average():0} min, p95 {sorted[(int)(sorted.Count * 0.95)]:0} min";
        }

        var fixedRun = Run((status, _, now) => status.IsFinal() ? null : now.AddMinutes(30));
        var adaptive = Run((status, last, now) => PollSchedule.NextCheck(status, last, now, subscribed: false));
        var withPush = RunWithPush();
        return
        [
            ("P7", $"fixed 30-min polling, {count:N0} parcels, 7 days", $"{fixedRun.Calls:N0} calls; staleness {Describe(fixedRun.Staleness)}; {fixedRun.AfterFinal} calls after final", "baseline"),
            ("P7", "adaptive schedule, polling only", $"{adaptive.Calls:N0} calls (**×{(double)fixedRun.Calls / adaptive.Calls:0.0} fewer**); staleness {Describe(adaptive.Staleness)}; {adaptive.AfterFinal} calls after final", "≥ 3× fewer; 0 after final"),
            ("P7", "adaptive schedule + push subscription (6 h reconciliation polls)", $"{withPush:N0} calls (**×{(double)fixedRun.Calls / withPush:0.0} fewer**); staleness 0 (scans arrive by push); 0 calls after final by construction", "≥ 3× fewer at ≤ 30 min staleness; 0 after final"),
        ];
    }
}
