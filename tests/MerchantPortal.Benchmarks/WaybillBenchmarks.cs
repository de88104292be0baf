using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P3 (bulk waybills) against the real portal as its own process (Release build of MerchantPortal.Web, in-process
/// sandbox reached over HTTP): the sandbox adds 50 ms to every call and the account is limited to 200 requests/s.
/// The one-at-a-time loop calls 1007 through the same gateway for fewer orders and is extrapolated.
/// With --drill, R1 instead: SIGKILL the portal during a batch, start it again, and count the sandbox's waybills.
/// </summary>
internal static class WaybillBenchmarks
{
    internal const string ApiKey = "mpk_bench000_waybill-benchmark-key-all-scopes";
    private const string EBusinessId = "test1617571";
    private const string AppKey = "sandbox-appkey-0001-demo";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(int orders, int loopOrders, int latencyMs, int requestsPerSecond)
    {
        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"p3-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var rows = new List<(string, string, string, string)>();
        await using (var portal = await ChildPortal.StartAsync(directory, leaseSeconds: 60))
        {
            using var api = portal.Client();
            await SetLatencyAsync(api, latencyMs);
            await using var data = Data(directory);
            var orderNos = await SeedAsync(data, orders, requestsPerSecond);

            var watch = Stopwatch.StartNew();
            var created = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos, carrierAccountId = 1 });
            created.EnsureSuccessStatusCode();
            var batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var (status, succeeded) = await WaitFinishedAsync(data, batchId);
            var issued = watch.Elapsed;
            await WaitRegisteredAsync(data, batchId);
            var registered = watch.Elapsed;
            var stats = await api.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats", Json);
            var sandboxIssued = stats.GetProperty("waybillsIssued").GetInt32();
            var calls1007 = stats.GetProperty("callsByRequestType").TryGetProperty("1007", out var c) ? c.GetInt32() : 0;

            var labelWatch = Stopwatch.StartNew();
            var pdf = await api.GetByteArrayAsync($"/api/v1/waybill-batches/{batchId}/labels?format=pdf");
            var labelTime = labelWatch.Elapsed;

            var loop = await LoopAsync(portal.BaseAddress, loopOrders);
            var loopPerOrder = loop.TotalSeconds / loopOrders;
            var loopExtrapolated = TimeSpan.FromSeconds(loopPerOrder * orders);

            rows.Add(("P3", $"{orders:N0} orders → waybills, one batch (sandbox +{latencyMs} ms per call, account {requestsPerSecond} req/s): {status}, {succeeded:N0} issued",
                $"{issued.TotalSeconds:0.0} s ({succeeded / issued.TotalSeconds:N0} waybills/s)", "≤ 60 s (limit 50 s)"));
            rows.Add(("P3", "sandbox count of waybills issued / 1007 calls (replays answered 106 are not new waybills)", $"{sandboxIssued:N0} / {calls1007:N0}", $"= {orders:N0}"));
            rows.Add(("P3", $"one-at-a-time loop (1007 then the next), measured on {loopOrders} orders, extrapolated to {orders:N0}",
                $"{loop.TotalSeconds:0.0} s for {loopOrders} → {loopExtrapolated.TotalSeconds:N0} s ({loopExtrapolated.TotalMinutes:0.0} min)", "-"));
            rows.Add(("P3", "ratio loop / batch", $"{loopExtrapolated.TotalSeconds / issued.TotalSeconds:0.0}×", "-"));
            rows.Add(("P3", "… then every shipment registered with tracking and subscribed (8008), after the waybills", $"{registered.TotalSeconds:0.0} s in all", "-"));
            rows.Add(("P4", $"merged label PDF of the batch through the API ({succeeded:N0} pages, {pdf.Length / 1024 / 1024} MB)", $"{labelTime.TotalSeconds:0.0} s", "1,000 labels ≤ 1.5 s"));
        }
        Print(rows);
    }

    /// <summary>
    /// P3b: a 10,000-order batch through the API, then the registration that follows it (a shipment per waybill and its
    /// 8008 subscription), timed from the batch's completion to the last shipment subscribed. Unlike P3 the sandbox
    /// enforces the account's own limit (default 200/s per RequestType), so the portal's pacing is checked from the
    /// outside: the sandbox counts every call it refused with 429.
    /// </summary>
    public static async Task RegistrationAsync(int orders, int latencyMs, int requestsPerSecond, int sandboxRequestsPerSecond)
    {
        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"p3b-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var rows = new List<(string, string, string, string)>();
        await using (var portal = await ChildPortal.StartAsync(directory, leaseSeconds: 60, sandboxRequestsPerSecond))
        {
            using var api = portal.Client();
            await SetLatencyAsync(api, latencyMs);
            await using var data = Data(directory);
            var orderNos = await SeedAsync(data, orders, requestsPerSecond);

            var watch = Stopwatch.StartNew();
            var created = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos, carrierAccountId = 1 });
            created.EnsureSuccessStatusCode();
            var batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var (status, succeeded) = await WaitFinishedAsync(data, batchId);
            var issued = watch.Elapsed;
            var (subscribed, unsubscribed) = await WaitSubscribedAsync(api, data, batchId, succeeded);
            var registration = watch.Elapsed - issued - TimeSpan.FromSeconds(StallSeconds * (unsubscribed > 0 ? 1 : 0));
            var stats = await api.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats", Json);
            var accepted = Count(stats, "callsByRequestType", "8008");
            var refused = Count(stats, "rateLimitedByRequestType", "8008");
            var pollCalls = Count(stats, "callsByRequestType", "8001") + Count(stats, "callsByRequestType", "1002");
            var requests = accepted + refused;

            rows.Add(("P3", $"{orders:N0} orders → waybills, one batch (sandbox +{latencyMs} ms per call, account {requestsPerSecond} req/s, sandbox limit {sandboxRequestsPerSecond}/s): {status}, {succeeded:N0} issued",
                $"{issued.TotalSeconds:0.0} s ({succeeded / issued.TotalSeconds:N0} waybills/s)", "≤ 60 s (limit 50 s)"));
            rows.Add(("P3", "1007 calls answered 429 by the sandbox (retried after Retry-After)", $"{Count(stats, "rateLimitedByRequestType", "1007"):N0}", "-"));
            rows.Add(("P3b", $"then {succeeded:N0} shipments registered and subscribed (8008), from the batch's completion to the last subscription",
                $"{registration.TotalSeconds:0.0} s ({subscribed / registration.TotalSeconds:N0} subscriptions/s)", "≤ 60 s (floor 50 s)"));
            rows.Add(("P3b", "8008 requests sent (accepted + answered 429) / accepted / sandbox subscriptions", $"{requests:N0} / {accepted:N0} / {Count(stats, "subscriptions"):N0}", $"≈ {succeeded:N0}"));
            rows.Add(("P3b", "429s seen on 8008 (each retried after its Retry-After)", $"{refused:N0}", "-"));
            rows.Add(("P3b", "429s left unhandled: shipments of the batch not subscribed when the registration ended", $"{unsubscribed:N0}", "0"));
            rows.Add(("P3b", "poll calls (8001/1002) meanwhile, sharing the account's rate", $"{pollCalls:N0}", "-"));
            rows.Add(("P3b", "registration in all (from the batch's POST, the figure measured before as 168–413 s)", $"{watch.Elapsed.TotalSeconds - (unsubscribed > 0 ? StallSeconds : 0):0.0} s", "-"));
            rows.Add(("P3b", "ratio to the old 168–413 s (whole run, as measured before)",
                $"{168 / (issued + registration).TotalSeconds:0.0}×–{413 / (issued + registration).TotalSeconds:0.0}×", "-"));
        }
        Print(rows);
    }

    private const int StallSeconds = 30;

    private static long Count(JsonElement stats, string property, string? key = null) =>
        key is null ? stats.GetProperty(property).GetInt64()
            : stats.TryGetProperty(property, out var map) && map.TryGetProperty(key, out var n) ? n.GetInt64() : 0;

    /// <summary>
    /// Waits until every shipment of the batch is subscribed, or until nothing moved for <see cref="StallSeconds"/>
    /// (the rest is then left to the sweeper); answers (subscribed, not subscribed).
    /// </summary>
    private static async Task<(int Subscribed, int Unsubscribed)> WaitSubscribedAsync(HttpClient api, ServiceProvider data, long batchId, int expected)
    {
        var (last, lastCalls, stalledSince) = (-1, -1L, Stopwatch.StartNew());
        while (true)
        {
            await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var subscribed = await db.Set<Waybill>().Where(w => w.BatchId == batchId && w.ShipmentId != null)
                .CountAsync(w => db.Set<MerchantPortal.Web.Features.Tracking.Shipment>().Any(s => s.Id == w.ShipmentId && s.SubscribedAtUtc != null));
            if (subscribed >= expected)
            {
                return (subscribed, 0);
            }
            var stats = await api.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats", Json);
            var calls = Count(stats, "callsByRequestType", "8008") + Count(stats, "rateLimitedByRequestType", "8008");
            if (subscribed != last || calls != lastCalls)
            {
                (last, lastCalls) = (subscribed, calls);
                stalledSince.Restart();
            }
            else if (stalledSince.Elapsed > TimeSpan.FromSeconds(StallSeconds))
            {
                return (subscribed, expected - subscribed);
            }
            await Task.Delay(100);
        }
    }

    /// <summary>R1 drill: kill -9 the portal during a batch, start it again on the same files, count the sandbox's waybills.</summary>
    public static async Task DrillAsync(int orders, int killAtPercent)
    {
        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"r1-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        const int LeaseSeconds = 10;
        long batchId;
        string[] orderNos;
        int atKill;
        var rows = new List<(string, string, string, string)>();
        await using (var first = await ChildPortal.StartAsync(directory, LeaseSeconds))
        {
            using var api = first.Client();
            await using var data = Data(directory);
            orderNos = await SeedAsync(data, orders, 50);
            var created = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos, carrierAccountId = 1 });
            created.EnsureSuccessStatusCode();
            batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            do
            {
                await Task.Delay(100);
                atKill = await SucceededAsync(data, batchId);
            }
            while (atKill < orders * killAtPercent / 100);
            first.Kill();
        }
        var restart = Stopwatch.StartNew();
        await using (var second = await ChildPortal.StartAsync(directory, LeaseSeconds))
        {
            using var api = second.Client();
            await using var data = Data(directory);
            var (status, succeeded) = await WaitFinishedAsync(data, batchId);
            var stats = await api.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats", Json);
            await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var rowsInDb = await db.Set<Waybill>().CountAsync(w => w.BatchId == batchId);
            var distinctOrders = await db.Set<Waybill>().Where(w => w.BatchId == batchId).Select(w => w.OrderId).Distinct().CountAsync();
            rows.Add(("R1", $"{orders:N0}-order batch, portal killed (SIGKILL) at {atKill:N0} issued, started again", $"{status} after {restart.Elapsed.TotalSeconds:0} s, {succeeded:N0} issued", "finishes by itself"));
            rows.Add(("R1", "sandbox waybills issued / waybill rows / distinct orders", $"{stats.GetProperty("waybillsIssued").GetInt32():N0} / {rowsInDb:N0} / {distinctOrders:N0}", $"{orders:N0} each, none twice"));
            // More 1007 calls than orders: calls whose answer the killed process never stored, redone with the same
            // OrderCode and answered 106 with the same waybill.
            var calls1007 = stats.GetProperty("callsByRequestType").TryGetProperty("1007", out var c) ? c.GetInt32() : 0;
            rows.Add(("R1", "1007 calls in all (first process and second)", $"{calls1007:N0}", $"≥ {orders:N0}"));
        }
        Print(rows);
    }

    private static void Print(List<(string Id, string What, string Result, string Target)> rows)
    {
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Id} | {r.What} | {r.Result} | {r.Target} |");
        }
    }

    private static ServiceProvider Data(string directory)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = directory,
        }).Build();
        services.AddLogging();
        MerchantPortal.Web.Setup.DataSetup.AddPortalData(services, configuration, directory);
        return services.BuildServiceProvider();
    }

    internal static async Task SetLatencyAsync(HttpClient api, int latencyMs) =>
        (await api.PostAsJsonAsync("/sandbox/kdniao/admin/faults", new { latencyMs })).EnsureSuccessStatusCode();

    /// <summary>Approved orders straight into the database, and the demo ZTO account (id 1) at the given rate.</summary>
    internal static async Task<string[]> SeedAsync(ServiceProvider data, int count, int requestsPerSecond)
    {
        await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Set<CarrierAccount>().Where(a => a.Id == 1)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.RequestsPerSecond, requestsPerSecond).SetProperty(a => a.Version, Guid.NewGuid()));
        var now = DateTime.UtcNow;
        var orders = Enumerable.Range(1, count).Select(i => new Order
        {
            OrderNo = string.Create(CultureInfo.InvariantCulture, $"P3-{i:D6}"),
            Channel = OrderChannel.OwnStore,
            Status = OrderStatus.Approved,
            ReceiverName = "王晓明",
            ReceiverPhone = "13800138000",
            PhoneLast4 = "8000",
            Province = "浙江省",
            City = "杭州市",
            District = "西湖区",
            AddressDetail = "文三路 478 号华星时代广场 A 座 1203 室",
            WarehouseId = 1 + (i % 3),
            TotalWeightKg = 1.2m,
            TotalAmount = 59,
            LineCount = 1,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            Lines = [new OrderLine { LineNo = 1, Sku = string.Create(CultureInfo.InvariantCulture, $"SKU-{i % 97:D3}"), Name = "T恤", Quantity = 2, UnitPrice = 29.5m, WeightKg = 1.2m }],
        }).ToList();
        db.AddRange(orders);
        await db.SaveChangesAsync();
        return [.. orders.Select(o => o.OrderNo)];
    }

    private static async Task<int> SucceededAsync(ServiceProvider data, long batchId)
    {
        await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<WaybillBatchItem>().CountAsync(i => i.BatchId == batchId && i.Status == WaybillItemStatus.Succeeded);
    }

    internal static async Task<(WaybillBatchStatus Status, int Succeeded)> WaitFinishedAsync(ServiceProvider data, long batchId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var status = await db.Set<WaybillBatch>().Where(b => b.Id == batchId).Select(b => b.Status).SingleAsync();
            if (status is WaybillBatchStatus.Completed or WaybillBatchStatus.CompletedWithErrors or WaybillBatchStatus.Cancelled)
            {
                return (status, await SucceededAsync(data, batchId));
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Batch {batchId} did not finish.");
    }

    private static async Task WaitRegisteredAsync(ServiceProvider data, long batchId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await data.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            if (!await db.Set<Waybill>().AnyAsync(w => w.BatchId == batchId && w.ShipmentId == null))
            {
                return;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>The naive way: one 1007 after another through the same gateway (no database work, which favours it).</summary>
    private static async Task<TimeSpan> LoopAsync(Uri portal, int count)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKdniaoGateway();
        await using var provider = services.BuildServiceProvider();
        var gateway = provider.GetRequiredService<ICarrierGateway>();
        var account = new CarrierAccountContext("loop", EBusinessId, AppKey, KdniaoEndpoints.Sandbox(new Uri(portal, "sandbox/kdniao")), "ZTO",
            new WaybillAccount("demo-zto", "demo-pwd-zto", "7550000000", null, null), 200);
        var sender = new Party("王店长", null, "057188886666", "浙江省", "杭州市", "余杭区", "仓前街道文一西路 1818 号");
        var receiver = new Party("王晓明", "13800138000", null, "浙江省", "杭州市", "西湖区", "文三路 478 号");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var request = new WaybillRequest($"LOOP-{Guid.NewGuid():N}", null, 3, 1, sender, receiver, [new Commodity("T恤", 2)], 1.2m, 1, null, false);
            var result = await gateway.CreateWaybillAsync(account, request);
            if (!result.Success)
            {
                throw new InvalidOperationException($"Loop call failed: {result.Error} {result.Reason}");
            }
        }
        return watch.Elapsed;
    }

    /// <summary>The portal's Release build as a child process (killable with SIGKILL), on its own port and data folder.</summary>
    private sealed class ChildPortal : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private ChildPortal(Process process, Uri baseAddress)
        {
            this.process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public HttpClient Client()
        {
            var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            return client;
        }

        /// <param name="sandboxRequestsPerSecond">The sandbox's own limit (per merchant and RequestType); P3 raises it so only the portal's limiter paces.</param>
        public static async Task<ChildPortal> StartAsync(string directory, int leaseSeconds, int sandboxRequestsPerSecond = 1000)
        {
            var port = FreePort();
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            var app = AppDirectory();
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(Path.Combine(app, "MerchantPortal.Web.dll"));
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["urls"] = baseAddress.ToString().TrimEnd('/'),
                ["Database:Provider"] = "Sqlite",
                ["Database:DataDirectory"] = directory,
                ["DemoData:Enabled"] = "true",
                ["DemoData:ApiKey"] = ApiKey,
                ["DemoData:Password"] = "Bench-Password-2026!",
                ["DemoData:Mode"] = "Fixture",
                ["DemoData:Orders"] = "0",
                ["CarrierSandbox:RateLimitPerSecond"] = sandboxRequestsPerSecond.ToString(CultureInfo.InvariantCulture),
                ["Waybills:LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            })
            {
                start.ArgumentList.Add($"--{key}={value}");
            }
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            var child = new ChildPortal(process, baseAddress);
            process.OutputDataReceived += (_, e) => child.Append(e.Data);
            process.ErrorDataReceived += (_, e) => child.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await child.WaitReadyAsync();
            return child;
        }

        public void Kill()
        {
            // SIGKILL: no shutdown, no lease given back, nothing flushed beyond what SQLite already committed.
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        private async Task WaitReadyAsync()
        {
            using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The portal exited with {process.ExitCode}:{Environment.NewLine}{output}");
                }
                try
                {
                    if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Still starting.
                }
                await Task.Delay(250);
            }
            throw new TimeoutException($"The portal was not ready:{Environment.NewLine}{output}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        /// <summary>MerchantPortal.Web's own output folder, in this program's configuration (Release for benchmarks).</summary>
        private static string AppDirectory()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = dir.Parent?.Name ?? "Release";
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
            {
                dir = dir.Parent;
            }
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No MerchantPortal.sln above the benchmark."),
                "src", "MerchantPortal.Web", "bin", configuration, "net10.0");
        }
    }
}
