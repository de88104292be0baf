using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P9 on two instances: two portal processes on one PostgreSQL database behind Debian's nginx
/// (session affinity by a per-user cookie, WebSocket upgrade), N headless circuits on /orders driven through the proxy
/// exactly as ui-circuits drives them, while a P3 waybill batch runs through the proxy's API. Prints latency overall and
/// per instance, memory (VmRSS) and CPU per instance, the batch's duration, and the errors.
/// The PostgreSQL server comes from PORTAL_BENCH_CONNECTION (or PORTAL_TEST_CONNECTION, what ./portal's
/// start_postgres exports): a login that may create databases; the run creates its own database in it.
/// </summary>
internal static class ScaleOutBenchmark
{
    private sealed record Timing(string Instance, string Kind, double Ms, bool DuringBatch);

    private sealed record Session(BlazorCircuitClient Client, HttpClient Http, string Instance);

    public static async Task RunAsync(int circuits, int actions, int thinkMs, int orders, int openParallel)
    {
        Console.WriteLine($"P9 scale-out: {circuits} circuits on /orders through nginx to 2 instances on PostgreSQL, {actions}+ actions each, ~{thinkMs} ms think time; P3 batch of {orders:N0} orders meanwhile");
        var server = Environment.GetEnvironmentVariable("PORTAL_BENCH_CONNECTION") ?? Environment.GetEnvironmentVariable("PORTAL_TEST_CONNECTION")
            ?? throw new InvalidOperationException("Set PORTAL_BENCH_CONNECTION (or PORTAL_TEST_CONNECTION) to a PostgreSQL login that may create databases; see docs/benchmarks.md.");
        // Npgsql reads its switches once, at its first use, which is the CREATE DATABASE below, before the data setup sets it.
        MerchantPortal.Web.Data.PostgreSqlTimestamps.Use();
        var directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", $"scaleout-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var connection = await CreateDatabaseAsync(server, "portal_scaleout_" + Path.GetFileName(directory)[9..21]);
        var started = Stopwatch.StartNew();
        // A rolling start: the second instance after the first is ready (migrations and demo data are the first one's).
        await using var first = await PortalInstance.StartAsync(directory, connection, 20_000);
        await using var second = await PortalInstance.StartAsync(directory, connection, 20_000);
        PortalInstance[] instances = [first, second];
        await using var proxy = await NginxProxy.StartAsync(instances.Select(i => i.Port), directory);
        Console.WriteLine($"instances at {first.BaseAddress} and {second.BaseAddress}, nginx at {proxy.BaseAddress}, up in {started.Elapsed.TotalSeconds:0} s; {CircuitLoadBenchmark.Uptime()}");

        var auth = await SignInAsync(proxy.BaseAddress);
        var warm = await WarmAsync(proxy.BaseAddress, auth, instances);
        await using var data = Data(directory, connection);
        var orderNos = await WaybillBenchmarks.SeedAsync(data, orders, 200);
        foreach (var instance in instances)
        {
            // The sandbox's latency is each process's own setting (its call counts live in the shared sandbox.db).
            using var direct = Api(instance.BaseAddress);
            await WaybillBenchmarks.SetLatencyAsync(direct, 50);
        }

        var idle = instances.Select(i => i.Measure()).ToArray();
        var open = Stopwatch.StartNew();
        var (sessions, openFailures) = await OpenAsync(proxy.BaseAddress, auth, circuits, openParallel);
        open.Stop();
        var opened = instances.Select(i => i.Measure()).ToArray();

        var run = Stopwatch.StartNew();
        var batch = RunBatchAsync(proxy.BaseAddress, data, orderNos);
        var (timings, failures) = await DriveAsync(sessions, actions, thinkMs, batch);
        var (batchStatus, batchSucceeded, batchTime) = await batch;
        run.Stop();
        var after = instances.Select(i => i.Measure()).ToArray();
        string sandbox;
        using (var direct = Api(first.BaseAddress))
        {
            // Both sandboxes keep their waybills in the one sandbox.db: either instance's count is the total.
            var stats = await direct.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats");
            var calls = stats.GetProperty("callsByRequestType").TryGetProperty("1007", out var c) ? c.GetInt64() : 0;
            sandbox = string.Create(CultureInfo.InvariantCulture, $"{stats.GetProperty("waybillsIssued").GetInt64():N0} / {calls:N0}");
        }

        foreach (var session in sessions.Concat(warm))
        {
            await session.Client.DisposeAsync();
            session.Http.Dispose();
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var affinity = proxy.CheckAffinity();
        var result = new Result(circuits, orders, instances, sessions, timings, failures, openFailures, open.Elapsed, run.Elapsed,
            idle, opened, after, $"{batchStatus}, {batchSucceeded:N0} issued", batchTime, sandbox, affinity);
        Print(result);
    }

    private sealed record Result(
        int Circuits, int Orders, PortalInstance[] Instances, List<Session> Sessions, List<Timing> Timings, List<string> Failures, List<string> OpenFailures,
        TimeSpan Open, TimeSpan Run, (long Rss, long Peak, double Cpu)[] Idle, (long Rss, long Peak, double Cpu)[] Opened, (long Rss, long Peak, double Cpu)[] After,
        string Batch, TimeSpan BatchTime, string Sandbox, (int Users, int SplitUsers, int ServerErrors) Affinity);

    private static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        // Two instances with their Hangfire workers and 200 circuits each: more than Npgsql's default pool of 100 may be
        // wanted by one process at a burst; the cluster allows 500 (start_postgres).
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 150 }.ConnectionString;
    }

    private static ServiceProvider Data(string directory, string connection)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = connection,
            ["Database:DataDirectory"] = directory,
        }).Build();
        services.AddLogging();
        MerchantPortal.Web.Setup.DataSetup.AddPortalData(services, configuration, directory);
        return services.BuildServiceProvider();
    }

    private static HttpClient Api(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", WaybillBenchmarks.ApiKey);
        return client;
    }

    /// <summary>Signs in once through the proxy; every simulated user copies the cookie (sign-in is not what P9 measures).</summary>
    private static async Task<Cookie[]> SignInAsync(Uri proxy)
    {
        var cookies = new CookieContainer();
        cookies.Add(proxy, new Cookie("mp_affinity", "sign-in"));
        using var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(120) };
        await CircuitLoadBenchmark.SignInAsync(http);
        return [.. cookies.GetAllCookies().Where(c => c.Name != "mp_affinity")];
    }

    /// <summary>A simulated user: the signed-in cookies plus its own affinity cookie, its own HTTP client.</summary>
    private static async Task<Session> StartSessionAsync(Uri proxy, Cookie[] auth, string user)
    {
        var cookies = new CookieContainer();
        foreach (var cookie in auth)
        {
            cookies.Add(proxy, new Cookie(cookie.Name, cookie.Value, "/"));
        }
        cookies.Add(proxy, new Cookie("mp_affinity", user, "/"));
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(120) };
        try
        {
            var client = new BlazorCircuitClient(proxy, cookies, http);
            await client.StartAsync("/orders", CancellationToken.None);
            return new Session(client, http, client.Upstream ?? "?");
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>One warm circuit per instance, not counted: users are tried until each instance has one.</summary>
    private static async Task<List<Session>> WarmAsync(Uri proxy, Cookie[] auth, PortalInstance[] instances)
    {
        var warm = new List<Session>();
        for (var i = 0; i < 50 && warm.Select(s => s.Instance).Distinct().Count() < instances.Length; i++)
        {
            var session = await StartSessionAsync(proxy, auth, $"warm-{i}");
            if (warm.Any(s => s.Instance == session.Instance))
            {
                await session.Client.DisposeAsync();
                session.Http.Dispose();
                continue;
            }
            warm.Add(session);
            for (var a = 0; a < 3; a++)
            {
                await CircuitLoadBenchmark.Act(session.Client, a, new Random(0));
            }
        }
        return warm;
    }

    private static async Task<(List<Session>, List<string>)> OpenAsync(Uri proxy, Cookie[] auth, int circuits, int openParallel)
    {
        var sessions = new List<Session>();
        var failures = new List<string>();
        using var throttle = new SemaphoreSlim(openParallel);
        await Task.WhenAll(Enumerable.Range(0, circuits).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                var session = await StartSessionAsync(proxy, auth, $"user-{i}");
                lock (sessions)
                {
                    sessions.Add(session);
                }
            }
            catch (Exception e)
            {
                lock (failures)
                {
                    failures.Add(e.GetType().Name + ": " + e.Message);
                }
            }
            finally
            {
                throttle.Release();
            }
        }));
        return (sessions, failures);
    }

    /// <summary>The P3 batch through the proxy's API (no affinity cookie: round robin), timed from the POST to its end.</summary>
    private static async Task<(string Status, int Succeeded, TimeSpan Time)> RunBatchAsync(Uri proxy, ServiceProvider data, string[] orderNos)
    {
        using var api = Api(proxy);
        var watch = Stopwatch.StartNew();
        var created = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos, carrierAccountId = 1 });
        created.EnsureSuccessStatusCode();
        var batchId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var (status, succeeded) = await WaybillBenchmarks.WaitFinishedAsync(data, batchId);
        return (status.ToString(), succeeded, watch.Elapsed);
    }

    /// <summary>
    /// Every session acts as in ui-circuits (next, next, sort, filter, search, clear; 0.5–1.5 think times) at least
    /// <paramref name="actions"/> times, and goes on while the batch runs, so the whole batch is under UI load.
    /// </summary>
    private static async Task<(List<Timing>, List<string>)> DriveAsync(List<Session> sessions, int actions, int thinkMs, Task batch)
    {
        var timings = new List<Timing>();
        var failures = new List<string>();
        await Task.WhenAll(sessions.Select(async (session, index) =>
        {
            var rng = new Random(index + 1);
            await Task.Delay(rng.Next(thinkMs));
            for (var a = 0; a < actions || !batch.IsCompleted; a++)
            {
                var duringBatch = !batch.IsCompleted;
                var (rowBefore, batchesBefore) = (session.Client.Rows.FirstOrDefault(), session.Client.RenderBatches);
                try
                {
                    var (kind, ms) = await CircuitLoadBenchmark.Act(session.Client, a, rng);
                    lock (timings)
                    {
                        timings.Add(new Timing(session.Instance, kind, ms, duringBatch && !batch.IsCompleted));
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    lock (failures)
                    {
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{session.Instance}, action {a % 6} of the cycle: {e.Message}"));
                        if (Environment.GetEnvironmentVariable("MP_SCALEOUT_TRACE") is { Length: > 0 })
                        {
                            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"[trace] user {index} action {a}: first row {rowBefore} → {session.Client.Rows.FirstOrDefault()} ({session.Client.Rows.Count} rows), {session.Client.RenderBatches - batchesBefore} render batches since, last error {session.Client.LastError}"));
                        }
                    }
                }
                await Task.Delay(thinkMs / 2 + rng.Next(thinkMs));
            }
        }));
        return (timings, failures);
    }

    private static void Print(Result r)
    {
        string Mb(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {CircuitLoadBenchmark.Uptime()} at the end; run {r.Run.TotalSeconds:0} s; opening {r.Sessions.Count} circuits {r.Open.TotalSeconds:0.0} s; {r.OpenFailures.Count} failed to open"));
        foreach (var f in r.OpenFailures.Concat(r.Failures).GroupBy(f => f).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  failure ×{f.Count()}: {f.Key}");
        }
        Console.WriteLine();
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        var all = r.Timings.Select(t => t.Ms).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| P9×2 | {r.Sessions.Count} circuits through nginx on 2 instances: all interactions, dispatch → render batch with the new rows, {all.Count:N0} done, {r.Failures.Count} failed | {CircuitLoadBenchmark.Stats(all)} | p95 ≤ 250 ms |"));
        var during = r.Timings.Where(t => t.DuringBatch).Select(t => t.Ms).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9×2 | … while the P3 batch ran ({during.Count:N0}) | {CircuitLoadBenchmark.Stats(during)} | |"));
        for (var i = 0; i < r.Instances.Length; i++)
        {
            var upstream = r.Instances[i].Upstream;
            var mine = r.Timings.Where(t => t.Instance == upstream).Select(t => t.Ms).ToList();
            var count = r.Sessions.Count(s => s.Instance == upstream);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| P9×2 | instance {i + 1}: {count} circuits, {mine.Count:N0} interactions | {CircuitLoadBenchmark.Stats(mine)} | |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| P9×2 | instance {i + 1}: RSS idle → {count} circuits opened → after the run (peak) | {Mb(r.Idle[i].Rss)} → {Mb(r.Opened[i].Rss)} → {Mb(r.After[i].Rss)} MB ({Mb(r.After[i].Peak)} MB); {(r.Opened[i].Rss - r.Idle[i].Rss) / 1024.0 / Math.Max(1, count):0} KB per circuit opened | |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| P9×2 | instance {i + 1}: CPU during the run (batch + circuits) | {r.After[i].Cpu - r.Opened[i].Cpu:0.0} s in {r.Run.TotalSeconds:0} s | |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| P3×2 | {r.Orders:N0}-order waybill batch through the proxy's API meanwhile (sandbox +50 ms, account 200 req/s): {r.Batch} | {r.BatchTime.TotalSeconds:0.0} s | ≤ 60 s (alone) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| P3×2 | sandbox waybills issued / 1007 calls (replays answered 106 are not new waybills) | {r.Sandbox} | = {r.Orders:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| – | affinity: users seen in nginx's log / users whose requests reached two instances; proxy 5xx answers | {r.Affinity.Users} / {r.Affinity.SplitUsers}; {r.Affinity.ServerErrors} | 0 split |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| – | errors: circuits that failed to open / interactions failed | {r.OpenFailures.Count} / {r.Failures.Count} | 0 |"));
    }
}
