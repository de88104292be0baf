using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P8 of docs/targets.md: 1,000,000 shipments over a year (5 carriers, 3 warehouses, 31 destinations, 2 services)
/// and 10,000,000 scans, bulk-inserted with one prepared command per table in one transaction; then the real
/// <see cref="KpiRollup"/> (a full rebuild, then the incremental run over 10,000 newly final shipments) and the
/// real <see cref="KpiQueries"/> the page runs, over 90-day windows with filters.
/// </summary>
internal static class KpiBenchmarks
{
    private static readonly string[] Carriers = ["ZTO", "SF", "YTO", "JD", "YD"];
    private static readonly (int Id, string Province)[] Warehouses = [(1, "浙江省"), (2, "广东省"), (3, "北京市")];
    private static readonly string[] Services = ["standard", "express"];

    public static async Task RunAsync(int shipments, int eventsPerShipment, int runs)
    {
        var fresh = Math.Min(10_000, shipments / 10);
        var baseCount = shipments - fresh;
        // The year of old shipments is seeded once into a database kept under /tmp and copied for each run: seeding
        // 10,000,000 scans takes minutes, and a run changes the copy (new shipments, the rollup), never the original.
        var seedDirectory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"p8-seed-{shipments}x{eventsPerShipment}");
        var seedMarker = Path.Combine(seedDirectory, "seeded.txt");
        TimeSpan? seed = null;
        if (!File.Exists(seedMarker))
        {
            if (Directory.Exists(seedDirectory))
            {
                Directory.Delete(seedDirectory, recursive: true);
            }
            Directory.CreateDirectory(seedDirectory);
            var seedWatch = Stopwatch.StartNew();
            await using (var seedProvider = DataServices(seedDirectory).BuildServiceProvider())
            {
                var seedFactory = seedProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
                await SeedAsync(seedFactory, seedProvider.GetRequiredService<RegionCatalog>(), baseCount, eventsPerShipment);
            }
            SqliteConnection.ClearAllPools();
            seed = seedWatch.Elapsed;
            await File.WriteAllTextAsync(seedMarker, $"{DateTime.UtcNow:O} {baseCount} shipments, {eventsPerShipment} scans each, {seed.Value.TotalSeconds:0} s");
            Console.WriteLine($"Seeded {baseCount:N0} shipments and {baseCount * (long)eventsPerShipment:N0} scans in {seed.Value.TotalSeconds:0} s into {seedDirectory}");
        }
        if (Environment.GetCommandLineArgs().Contains("--seed-only"))
        {
            return;
        }

        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"p8-run-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(seedDirectory, "portal.db"), Path.Combine(directory, "portal.db"));
        await using var provider = DataServices(directory).BuildServiceProvider();
        var dbFactory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var regions = provider.GetRequiredService<RegionCatalog>();
        var rollup = new KpiRollup(dbFactory, TimeProvider.System, NullLogger<KpiRollup>.Instance);
        var queries = provider.GetRequiredService<KpiQueries>();
        var rows = new List<(string Id, string What, string Result, string Target)>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // The seed was made by an older build perhaps: bring its schema (the rollup tables) up to this one.
            await db.Database.MigrateAsync();
        }
        var connection = (await dbFactory.CreateDbContextAsync()).Database.GetConnectionString()!;
        int[] accounts;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            accounts = [.. await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).ToListAsync()];
        }
        var now = DateTime.UtcNow;
        var destinations = regions.Provinces.ToList();

        var watch = Stopwatch.StartNew();
        await rollup.RebuildAsync(default);
        watch.Stop();
        rows.Add(("P8", $"full rebuild of the rollup from {baseCount:N0} shipments ({baseCount * (long)eventsPerShipment:N0} scans)", $"{watch.Elapsed.TotalSeconds:0.0} s", "—"));

        await InsertAsync(connection, accounts, destinations, baseCount + 1, fresh, eventsPerShipment, now.AddMinutes(-30), now.AddMinutes(-1));
        var timings = new List<double>();
        watch.Restart();
        await rollup.RunAsync(default);
        watch.Stop();
        rows.Add(("P8", $"incremental rollup: {fresh:N0} newly final shipments (total {shipments:N0} shipments, {shipments * (long)eventsPerShipment:N0} scans)", $"{watch.Elapsed.TotalMilliseconds:N0} ms", "≤ 2 s"));
        watch.Restart();
        await rollup.RunAsync(default);
        watch.Stop();
        rows.Add(("P8", "rollup run with nothing new (the every-5-minutes cost)", $"{watch.Elapsed.TotalMilliseconds:N0} ms", "—"));

        var rollupRows = await RollupRowCountsAsync(dbFactory);
        var today = KpiDefinitions.DayOf(now);
        var window = new KpiFilter(today.AddDays(-89), today);
        // The 90-day window ending in the last 28 days that the rollup tiles with the most periods (the slowest read).
        var worstEnd = Enumerable.Range(0, KpiDaily.BlockSpan).Select(i => today.AddDays(-i))
            .MaxBy(end => KpiQueries.Tile(end.AddDays(-89), end, [KpiDaily.BlockSpan, KpiDaily.WeekSpan, KpiDaily.DaySpan]).Sum(r => ((r.To.DayNumber - r.From.DayNumber) / r.Span) + 1));
        var cases = new (string What, KpiFilter Filter)[]
        {
            ("90 days, no filter", window),
            ("90 days, carrier = ZTO", window with { ShipperCode = "ZTO" }),
            ("90 days, service = express", window with { ServiceType = "express" }),
            ("90 days, warehouse 1", window with { WarehouseId = 1 }),
            ("90 days, region = East", window with { Region = "East" }),
            ("90 days, carrier = SF + service = standard + warehouse 2 + region = South", window with { ShipperCode = "SF", ServiceType = "standard", WarehouseId = 2, Region = "South" }),
            ("90 days, API lane filter origin 浙江省 → destination 广东省", window with { OriginProvince = "浙江省", DestinationProvince = "广东省" }),
            ("90 days a year ago, carrier = SF", new KpiFilter(today.AddDays(-364), today.AddDays(-275), "SF")),
            ($"90 days tiled by the most periods (to {worstEnd:yyyy-MM-dd}), no filter", new KpiFilter(worstEnd.AddDays(-89), worstEnd)),
            ("30 days (the page's default; daily trend), no filter", new KpiFilter(today.AddDays(-29), today)),
        };
        foreach (var (what, filter) in cases)
        {
            timings.Clear();
            KpiReport? report = null;
            for (var i = 0; i < runs; i++)
            {
                watch.Restart();
                report = await queries.ReportAsync(filter);
                watch.Stop();
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
            rows.Add(("P8", $"KPI page report ({what}): {report!.Totals.Final:N0} shipments, {report.Carriers.Count} carriers, {report.CarrierLanes.Count} carrier lanes", $"median {Median(timings):0} ms, max {timings.Max():0} ms", "≤ 200 ms"));
        }
        timings.Clear();
        for (var i = 0; i < runs; i++)
        {
            watch.Restart();
            await queries.DimensionsAsync();
            watch.Stop();
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        rows.Add(("P8", "KPI page filter values (carriers, services, warehouses)", $"median {Median(timings):0} ms, max {timings.Max():0} ms", "≤ 200 ms"));

        // The rollup's numbers against the shipments themselves (KpiDefinitions.Facts, what the drill-down counts).
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var direct = await KpiDefinitions.Facts(db, db.Set<MerchantPortal.Web.Features.Tracking.Shipment>().AsNoTracking().Where(KpiDefinitions.FinalBetween(window.From, window.To)))
                .GroupBy(f => 1).Select(g => new { Final = g.Count(), Delivered = g.Count(f => f.Delivered), OnTime = g.Count(f => f.OnTime), Exceptions = g.Count(f => f.Exception), Returned = g.Count(f => f.Returned) })
                .SingleAsync();
            var rolled = (await queries.ReportAsync(window)).Totals;
            var same = (direct.Final, direct.Delivered, direct.OnTime, direct.Exceptions, direct.Returned) == (rolled.Final, rolled.Delivered, rolled.OnTime, rolled.Exceptions, rolled.Returned);
            rows.Add(("P8", $"check: 90-day totals from the rollup = counted from the shipments (final {rolled.Final:N0}, delivered {rolled.Delivered:N0}, on time {rolled.OnTime:N0}, exceptions {rolled.Exceptions:N0}, returned {rolled.Returned:N0})", same ? "equal" : $"DIFFERENT: shipments say {direct}", "equal"));
        }

        Console.WriteLine($"{shipments:N0} shipments, {shipments * (long)eventsPerShipment:N0} scans{(seed is { } s ? $" (seeded in {s.TotalSeconds:0} s)" : " (seed reused)")}; rollup rows: {rollupRows}; database {new FileInfo(Path.Combine(directory, "portal.db")).Length / 1024 / 1024:N0} MB");
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Id} | {r.What} | {r.Result} | {r.Target} |");
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The portal's real data services (SQLite, the migrations) over a database in <paramref name="directory"/>.</summary>
    private static ServiceCollection DataServices(string directory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = directory,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Error).AddConsole());
        services.AddPortalData(configuration, directory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RegionCatalog>();
        services.AddSingleton<KpiQueries>();
        return services;
    }

    private static async Task SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, int count, int eventsPerShipment)
    {
        int[] accounts;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            var created = Carriers.Select(c => new CarrierAccount { Name = c, EBusinessId = "bench", AppKeyProtected = "x", ShipperCode = c, Version = Guid.NewGuid() }).ToList();
            db.AddRange(created);
            await db.SaveChangesAsync();
            accounts = [.. created.Select(a => a.Id)];
        }
        var connection = (await dbFactory.CreateDbContextAsync()).Database.GetConnectionString()!;
        var now = DateTime.UtcNow;
        var destinations = regions.Provinces.ToList();
        const int chunk = 25_000;
        for (var done = 0; done < count; done += chunk)
        {
            await InsertAsync(connection, accounts, destinations, done + 1, Math.Min(chunk, count - done), eventsPerShipment, now.AddDays(-365), now.AddHours(-2));
            if (done / chunk % 8 == 0)
            {
                Console.WriteLine($"  seeded {done + Math.Min(chunk, count - done):N0} / {count:N0} shipments");
            }
        }
        await using var checkpoint = new SqliteConnection(connection);
        await checkpoint.OpenAsync();
        await using var command = checkpoint.CreateCommand();
        // The copy for each run takes portal.db alone: fold the WAL into it first.
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> RollupRowCountsAsync(IDbContextFactory<PortalDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return $"{await db.Set<KpiDaily>().LongCountAsync():N0} KpiDaily";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// Shipments numbered from <paramref name="firstNo"/>, final between <paramref name="from"/> and <paramref name="to"/>
    /// (5 % still moving), each with its scans; one transaction, prepared commands (stack-notes: EF change tracking is 20× slower).
    /// </summary>
    private static async Task InsertAsync(string connectionString, int[] accounts, List<Province> destinations, long firstNo, int count, int eventsPerShipment,
        DateTime from, DateTime to)
    {
        var random = new Random((int)firstNo);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            // A large page cache keeps the random inserts into the FinalAtUtc index off the disk.
            pragma.CommandText = "PRAGMA cache_size=-262144;";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        var shipment = connection.CreateCommand();
        shipment.Transaction = tx;
        shipment.CommandText = """
            INSERT INTO Shipments (Id, Direction, CarrierAccountId, ShipperCode, TrackingNo, Status, CreatedAtUtc, Version, ServiceType, WarehouseId,
                OriginProvince, DestinationProvince, FirstScanAtUtc, DeliveredAtUtc, FinalAtUtc, StatusChangedAtUtc, PromisedByUtc, DeliveryAttempts)
            VALUES ($id, 'Forward', $account, $carrier, $no, $status, $created, $version, $service, $warehouse, $origin, $destination, $first, $delivered, $final, $changed, $promise, $attempts);
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "id", "account", "carrier", "no", "status", "created", "version", "service", "warehouse", "origin", "destination", "first", "delivered", "final", "changed", "promise", "attempts" })
        {
            p[name] = shipment.Parameters.Add("$" + name, SqliteType.Text);
        }
        shipment.Prepare();
        var scan = connection.CreateCommand();
        scan.Transaction = tx;
        scan.CommandText = "INSERT INTO TrackingEvents (ShipmentId, TimeUtc, Description, Status, Source, DedupeKey) VALUES ($s, $t, $d, $st, 'Push', $k)";
        var (ps, pt, pd, pst, pk) = (scan.Parameters.Add("$s", SqliteType.Integer), scan.Parameters.Add("$t", SqliteType.Text), scan.Parameters.Add("$d", SqliteType.Text),
            scan.Parameters.Add("$st", SqliteType.Text), scan.Parameters.Add("$k", SqliteType.Text));
        scan.Prepare();

        var span = (to - from).TotalSeconds;
        // Cumulative weights: destinations by population, as orders are.
        var weights = destinations.Select(d => (double)d.Population).ToArray();
        var total = weights.Sum();
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(Carriers.Length);
            var (warehouseId, origin) = Warehouses[random.Next(Warehouses.Length)];
            var pick = random.NextDouble() * total;
            var destination = destinations[^1];
            for (var d = 0; d < destinations.Count; d++)
            {
                if ((pick -= weights[d]) <= 0)
                {
                    destination = destinations[d];
                    break;
                }
            }
            var roll = random.NextDouble();
            var status = roll < 0.05 ? "InTransit" : roll < 0.07 ? "Returned" : roll < 0.08 ? "Expired" : "Delivered";
            var final = from.AddSeconds(random.NextDouble() * span);
            // Transit grows with the carrier's index and distance-ish noise: 18 h to ~5 days.
            var transit = 18 + (c * 6) + (random.NextDouble() * random.NextDouble() * 100);
            var first = final.AddHours(-transit);
            var attempts = random.NextDouble() < 0.08 ? 2 : 1;
            p["account"].Value = accounts[c];
            p["carrier"].Value = Carriers[c];
            p["no"].Value = "B" + (firstNo + i).ToString("D12", CultureInfo.InvariantCulture);
            p["status"].Value = status;
            p["created"].Value = first.AddHours(-3);
            p["version"].Value = "00000000-0000-0000-0000-000000000001";
            p["service"].Value = Services[random.Next(Services.Length)];
            p["warehouse"].Value = warehouseId;
            p["origin"].Value = origin;
            p["destination"].Value = destination.Name;
            p["first"].Value = first;
            p["delivered"].Value = status == "Delivered" ? final : DBNull.Value;
            p["final"].Value = status == "InTransit" ? DBNull.Value : final;
            p["changed"].Value = final;
            p["promise"].Value = SlaRuleService.PromisedBy(first, 3);
            p["attempts"].Value = attempts;
            var id = firstNo + i;
            p["id"].Value = id;
            shipment.ExecuteNonQuery();
            var exception = random.NextDouble() < 0.04;
            for (var e = 0; e < eventsPerShipment; e++)
            {
                ps.Value = id;
                pt.Value = first.AddHours(transit * e / eventsPerShipment);
                pd.Value = "scan";
                pst.Value = exception && e == eventsPerShipment / 2 ? "Exception" : e == eventsPerShipment - 1 ? status : "InTransit";
                pk.Value = e.ToString(CultureInfo.InvariantCulture);
                scan.ExecuteNonQuery();
            }
        }
        await tx.CommitAsync();
    }
}
