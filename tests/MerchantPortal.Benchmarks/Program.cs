using System.Diagnostics;
using System.Globalization;
using System.Text;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Benchmarks of docs/targets.md, each printing a Markdown table for docs/benchmarks.md:
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks                 P1 + P2 (orders list, import)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- labels       P4 (label PDF and ZPL)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- tracking     P5 + P7 (ingest, adaptive polling)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- sessions     R7 (per-request session check)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- waybills     P3 (bulk waybills vs a loop); add --drill for the R1 kill drill
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- registration P3b (the 8008 registration after a batch, sandbox enforcing 200/s)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- ui           P9 (browser sessions on /orders)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- polling      P7 only (a pure simulation, no database)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- kpis         P8 (KPI rollup and page queries)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- ui-circuits  P9 with headless Blazor circuits (+1 real browser as a cross-check)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- delivery-backtest --months 4
//                                                         P11 (delivery-date prediction replayed over sandbox journeys; no database)
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- ui-load-scaleout --circuits 400
//                                                         P9 on two instances behind nginx on PostgreSQL, a P3 batch meanwhile (PORTAL_BENCH_CONNECTION)
if (args.Length > 0 && args[0].Equals("delivery-backtest", StringComparison.OrdinalIgnoreCase))
{
    MerchantPortal.Benchmarks.DeliveryBacktest.Run(Arg("--months", 4), Arg("--parcels-per-day", 600),
        Array.IndexOf(args, "--start") is var startAt and >= 0 ? DateOnly.Parse(args[startAt + 1], CultureInfo.InvariantCulture) : new DateOnly(2026, 7, 1), Arg("--seed", 11),
        o =>
        {
            // Tuning runs: shares in per mille, hours as integers; the defaults are the portal's.
            o.PickupCoverage = Arg("--pickup-coverage-permille", (int)Math.Round(o.PickupCoverage * 1000)) / 1000.0;
            o.DestinationCoverage = Arg("--destination-coverage-permille", (int)Math.Round(o.DestinationCoverage * 1000)) / 1000.0;
            o.MaxWindowHours = Arg("--max-window-hours", (int)o.MaxWindowHours);
            o.MinimumSample = Arg("--minimum-sample", o.MinimumSample);
        });
    return;
}
if (args.Length > 0 && args[0].Equals("ui-load-scaleout", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.ScaleOutBenchmark.RunAsync(Arg("--circuits", 400), Arg("--actions", 10), Arg("--think-ms", 3000), Arg("--orders", 10_000), Arg("--open-parallel", 8));
    return;
}
if (args.Length > 0 && args[0].Equals("ui-circuits", StringComparison.OrdinalIgnoreCase))
{
    var pathAt = Array.IndexOf(args, "--memory-only");
    if (pathAt >= 0)
    {
        // Memory per circuit of another page, to split an orders circuit into layout / toolbar / rows.
        await MerchantPortal.Benchmarks.CircuitLoadBenchmark.MemoryOnlyAsync(args[pathAt + 1], Arg("--sessions", 50), Arg("--open-parallel", 8),
            Array.IndexOf(args, "--gcdump") is var dumpAt and >= 0 ? args[dumpAt + 1] : null);
        return;
    }
    await MerchantPortal.Benchmarks.CircuitLoadBenchmark.RunAsync(Arg("--sessions", 200), Arg("--actions", 10), Arg("--think-ms", 3000), !args.Contains("--no-browser"), Arg("--open-parallel", 8),
        Array.IndexOf(args, "--gcdump") is var afterDumpAt and >= 0 ? args[afterDumpAt + 1] : null);
    return;
}
if (args.Length > 0 && args[0].Equals("ui-server", StringComparison.OrdinalIgnoreCase))
{
    // The portal alone, for ui-circuits (its memory is measured without the driver in the same heap).
    await MerchantPortal.Benchmarks.CircuitLoadBenchmark.ServeAsync();
    return;
}
if (args.Length > 0 && args[0].Equals("ui", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.UiLoadBenchmark.RunAsync(Arg("--sessions", 200), Arg("--actions", 10), Arg("--think-ms", 3000));
    return;
}
if (args.Length > 0 && args[0].Equals("polling", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.TrackingBenchmarks.RunPollingAsync();
    return;
}
if (args.Length > 0 && args[0].Equals("tracking", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.TrackingBenchmarks.RunAsync(Arg("--shipments", 10_000), Arg("--traces-per-push", 100));
    return;
}
if (args.Length > 0 && args[0].Equals("kpis", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.KpiBenchmarks.RunAsync(Arg("--shipments", 1_000_000), Arg("--events-per-shipment", 10), Arg("--runs", 5));
    return;
}
if (args.Length > 0 && args[0].Equals("sessions", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.SessionBenchmarks.RunAsync(Arg("--runs", 5_000));
    return;
}
if (args.Length > 0 && args[0].Equals("waybills", StringComparison.OrdinalIgnoreCase))
{
    if (args.Contains("--drill"))
    {
        await MerchantPortal.Benchmarks.WaybillBenchmarks.DrillAsync(Arg("--orders", 2_000), Arg("--kill-at-percent", 40));
    }
    else
    {
        await MerchantPortal.Benchmarks.WaybillBenchmarks.RunAsync(Arg("--orders", 10_000), Arg("--loop-orders", 200), Arg("--latency-ms", 50), Arg("--rps", 200));
    }
    return;
}
if (args.Length > 0 && args[0].Equals("registration", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.WaybillBenchmarks.RegistrationAsync(Arg("--orders", 10_000), Arg("--latency-ms", 50), Arg("--rps", 200), Arg("--sandbox-rps", 200));
    return;
}
if (args.Length > 0 && args[0].Equals("labels", StringComparison.OrdinalIgnoreCase))
{
    await MerchantPortal.Benchmarks.LabelBenchmarks.RunAsync();
    return;
}

// P1 and P2 of docs/targets.md against the real code paths (OrderQueries, OrderImportJob) on embedded SQLite.
var orders = Arg("--orders", 1_000_000);
var importRows = Arg("--import-rows", 100_000);
var runs = Arg("--runs", 50);
var results = new List<(string Id, string What, string Result, string Target)>();

// P2 first, on its own empty database, so the process's peak memory is the import's and not the 1M seed's
// (--import-rows 0 leaves it out, for a P1-only run).
if (importRows > 0)
    await using (var p2 = Build("p2"))
    {
        await p2.MigrateAsync();
        var csv = Path.Combine(p2.Directory, "import.csv");
        WriteCsv(csv, importRows);
        long importId;
        await using (var db = await p2.Factory.CreateDbContextAsync())
        {
            var import = new OrderImport { FileName = "bench.csv", StoredPath = csv, FileSize = new FileInfo(csv).Length, Status = ImportStatus.Queued, CreatedBy = "bench", CreatedAtUtc = DateTime.UtcNow };
            db.Add(import);
            await db.SaveChangesAsync();
            importId = import.Id;
        }
        GC.Collect();
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var watch = Stopwatch.StartNew();
        await p2.Services.GetRequiredService<OrderImportJob>().RunAsync(importId, CancellationToken.None);
        watch.Stop();
        var status = (await p2.Services.GetRequiredService<OrderImportService>().GetAsync(importId, 0))!;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        results.Add(("P2", $"import {importRows:N0}-row CSV ({new FileInfo(csv).Length / 1024 / 1024} MB), full validation: {status.ImportedOrders:N0} orders, {status.RejectedRows} rejected, {status.Status}",
            $"{watch.Elapsed.TotalSeconds:0.0} s ({importRows / watch.Elapsed.TotalSeconds:N0} rows/s)", "≤ 15 s"));
        results.Add(("P2", "peak working set of the process during the import", $"{peak / 1024 / 1024} MB (before: {before / 1024 / 1024} MB)", "≤ 400 MB"));
    }

await using (var p1 = Build("p1"))
{
    await p1.MigrateAsync();
    var seedWatch = Stopwatch.StartNew();
    await p1.Services.GetRequiredService<OrderFixtureSeeder>().SeedAsync(new DemoDataOptions { Mode = DemoDataMode.Fixture, Orders = orders }, CancellationToken.None);
    results.Add(("-", $"generate {orders:N0} demo orders (prepared commands, one transaction)", $"{seedWatch.Elapsed.TotalSeconds:0.0} s", "-"));
    await using (var db = await p1.Factory.CreateDbContextAsync())
    {
        await db.Database.ExecuteSqlRawAsync("ANALYZE;");
    }
    var queries = p1.Services.GetRequiredService<OrderQueries>();

    // A cursor half-way down "newest first", found once with OFFSET (that is the thing keyset avoids).
    var depth = orders / 2;
    OrderRow deepRow;
    await using (var db = await p1.Factory.CreateDbContextAsync())
    {
        deepRow = await db.Set<Order>().AsNoTracking().OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id).Skip(depth)
            .Select(o => new OrderRow(o.Id, o.OrderNo, o.Channel, o.Status, o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail, o.TotalAmount, o.LineCount, o.TrackingNo, o.CarrierCode, o.WarehouseId, o.CreatedAtUtc, o.PaidAtUtc, o.Remark, o.ShopId))
            .FirstAsync();
    }
    var deepCursor = OrderQueries.EncodeCursor(deepRow);
    var sample = await queries.ListAsync(new OrderFilter(Status: OrderStatus.Delivered), null, 1, true);
    var probe = sample.Items[0];
    var withTracking = (await queries.ListAsync(new OrderFilter(Status: OrderStatus.Shipped), null, 1, true)).Items[0];

    async Task<double> Median(Func<Task> action)
    {
        await action();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var w = Stopwatch.StartNew();
            await action();
            times.Add(w.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    results.Add(("P1", "first page (50), newest first, no filter, capped count", Ms(await Median(() => queries.ListAsync(new OrderFilter(), null, 50, true))), "≤ 20 ms"));
    results.Add(("P1", "first page, status = PendingReview, newest first", Ms(await Median(() => queries.ListAsync(new OrderFilter(Status: OrderStatus.PendingReview), null, 50, true))), "≤ 20 ms"));
    results.Add(("P1", "first page, province = 广东省, oldest first", Ms(await Median(() => queries.ListAsync(new OrderFilter(Province: "广东省", Sort: OrderSort.Oldest), null, 50, true))), "≤ 20 ms"));
    results.Add(("P1", "first page, channel = Tmall + status = Delivered", Ms(await Median(() => queries.ListAsync(new OrderFilter(Status: OrderStatus.Delivered, Channel: OrderChannel.Tmall), null, 50, true))), "≤ 20 ms"));
    var keyset = await Median(() => queries.ListAsync(new OrderFilter(), deepCursor, 50, true));
    results.Add(("P1", $"page at depth {depth:N0}, keyset (cursor), newest first", Ms(keyset), "≤ 20 ms"));
    var offset = await Median(async () =>
    {
        await using var db = await p1.Factory.CreateDbContextAsync();
        await db.Set<Order>().AsNoTracking().OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id).Skip(depth).Take(50).Select(o => new { o.Id, o.OrderNo }).ToListAsync();
    });
    results.Add(("P1", $"page at depth {depth:N0}, OFFSET (for comparison)", $"{Ms(offset)} (×{offset / keyset:0.0} keyset)", "-"));
    results.Add(("P1", "exact lookup by order no", Ms(await Median(() => queries.LookupAsync(probe.OrderNo, true))), "≤ 5 ms"));
    results.Add(("P1", "exact lookup by tracking no", Ms(await Median(() => queries.LookupAsync(withTracking.TrackingNo, true))), "≤ 5 ms"));
    results.Add(("P1", "exact lookup by phone", Ms(await Median(() => queries.LookupAsync(probe.Phone, true))), "≤ 5 ms"));
    results.Add(("P1", "last 4 digits + name", Ms(await Median(() => queries.LookupAsync(probe.Phone[^4..] + " " + probe.ReceiverName, true))), "≤ 5 ms"));
    results.Add(("P1", "name + last 4 digits, no space", Ms(await Median(() => queries.LookupAsync(probe.ReceiverName + probe.Phone[^4..], true))), "≤ 5 ms"));
    // Demo order numbers are "DM" + yyMMdd + a sequence: the first 8 characters are a day's orders (~16,000 at 1M).
    var prefix = probe.OrderNo[..8];
    results.Add(("P1", $"lookup by the start of an order no (\"{prefix}\", capped at 10)", Ms(await Median(() => queries.LookupAsync(prefix, true))), "≤ 5 ms"));
    results.Add(("P1", $"list free text = start of an order no (\"{prefix}\"), newest first", Ms(await Median(() => queries.ListAsync(new OrderFilter(Q: prefix), null, 50, true))), "≤ 20 ms"));

    // Every column sort: the first page under a filter (a status, and a province), and a page half-way down with no
    // filter through a cursor made from the row at that depth (found once with OFFSET, which keyset paging avoids).
    foreach (var sort in Enum.GetValues<OrderSort>())
    {
        results.Add(("P1", $"sort {sort}: first page, status = Approved", Ms(await Median(() => queries.ListAsync(new OrderFilter(Status: OrderStatus.Approved, Sort: sort), null, 50, true))), "≤ 20 ms"));
        results.Add(("P1", $"sort {sort}: first page, province = 广东省", Ms(await Median(() => queries.ListAsync(new OrderFilter(Province: "广东省", Sort: sort), null, 50, true))), "≤ 20 ms"));
        var row = (await queries.OffsetPageAsync(new OrderFilter(Sort: sort), depth, 1))[0];
        var cursor = OrderQueries.EncodeCursor(row, sort);
        results.Add(("P1", $"sort {sort}: page at depth {depth:N0}, keyset", Ms(await Median(() => queries.ListAsync(new OrderFilter(Sort: sort), cursor, 50, true))), "≤ 20 ms"));
    }
}

Console.WriteLine($"MerchantPortal benchmarks · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GB · {Environment.OSVersion} · median of {runs} runs");
Console.WriteLine();
Console.WriteLine("| id | what | result | target |");
Console.WriteLine("|---|---|---|---|");
foreach (var (id, what, result, target) in results)
{
    Console.WriteLine($"| {id} | {what} | {result} | {target} |");
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static Bench Build(string name)
{
    var (directory, services) = MerchantPortal.Benchmarks.BenchData.Create(name);
    services.AddSingleton<RegionCatalog>();
    services.AddSingleton<OrderRowValidator>();
    services.AddSingleton<OrderQueries>();
    services.AddSingleton<OrderFixtureSeeder>();
    services.AddSingleton<OrderImportJob>();
    services.AddSingleton<OrderImportService>(sp => new OrderImportService(sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), null!, sp.GetRequiredService<OrderRowValidator>(),
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>(), null!, TimeProvider.System));
    var provider = services.BuildServiceProvider();
    return new Bench(directory, provider, provider.GetRequiredService<IDbContextFactory<PortalDbContext>>());
}

static void WriteCsv(string path, int rows)
{
    // Deterministic rows in the portal's English template; every 50th row is invalid (bad phone) so the error path is timed too.
    var provinces = new[] { "浙江省", "广东省", "北京", "江苏省", "四川省", "内蒙古自治区", "上海市" };
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
    writer.WriteLine("Order No,Channel,Receiver,Mobile,Province,City,District,Address,Postcode,SKU,Item,Qty,Unit Price,Weight (kg),Paid At,Remark");
    for (var i = 0; i < rows; i++)
    {
        // Two rows (lines) per order: the header fields repeat, as shop exports do.
        var order = i / 2;
        var phone = i % 50 == 0 ? "12345" : "138" + (order % 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH-{order:D7},Tmall,收货人{order % 1000},{phone},{provinces[order % provinces.Length]},某市,某区,文三路 {order % 999} 号,310012,SKU-{i % 7},Item {i % 7},{1 + i % 3},12.50,0.3,2026-11-20 10:15:00,"));
    }
}

internal sealed class Bench(string directory, ServiceProvider services, IDbContextFactory<PortalDbContext> factory) : IAsyncDisposable
{
    public string Directory { get; } = directory;
    public ServiceProvider Services { get; } = services;
    public IDbContextFactory<PortalDbContext> Factory { get; } = factory;

    public async Task MigrateAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.CloseConnectionAsync();
        await db.Database.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
