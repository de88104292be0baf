using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P9 with headless circuits: N sessions on /orders, each a real Blazor Server circuit driven over the real WebSocket
/// by <see cref="BlazorCircuitClient"/> (no browser per session), plus ONE real Chromium page doing the same clicks at
/// the same time as a cross-check that the headless numbers are what a browser sees.
///
/// The portal runs in a child process (this program in "ui-server" mode) so that its heap holds the circuits and
/// nothing of the driver: memory per circuit = growth of the server's managed heap after a full GC (and of its RSS)
/// between "warm, no load sessions" and "N circuits open", divided by N.
/// Interaction time = dispatch of the DOM event → arrival of the render batch carrying the new rows (next page, sort,
/// status filter, search). The search is sent with its change event (Enter or leaving the field): while typing, the
/// field waits 400 ms after the last key on purpose, which is not server time. (An earlier attempt with a typed "input"
/// on MudTextField never produced rows; a change event's arguments must not carry "type", Blazor refuses unknown keys.)
/// </summary>
public static class CircuitLoadBenchmark
{
    /// <summary>
    /// Memory only: N circuits on another page (e.g. "/not-found" = the layout alone, "/orders?q=none" = the orders page
    /// without rows), to see which part of an orders circuit holds the memory.
    /// </summary>
    public static async Task MemoryOnlyAsync(string path, int sessions, int openParallel, string? gcdump = null)
    {
        using var server = await ServerProcess.StartAsync();
        var cookies = new CookieContainer();
        using var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(120) };
        await SignInAsync(http);
        var warm = new BlazorCircuitClient(server.BaseUri, cookies, http);
        await warm.StartAsync(path, CancellationToken.None, waitForRows: false);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = await server.MeasureAsync();
        var clients = new List<BlazorCircuitClient>();
        using (var throttle = new SemaphoreSlim(openParallel))
        {
            await Task.WhenAll(Enumerable.Range(0, sessions).Select(async _ =>
            {
                await throttle.WaitAsync();
                try
                {
                    var client = new BlazorCircuitClient(server.BaseUri, cookies, http);
                    await client.StartAsync(path, CancellationToken.None, waitForRows: false);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                finally
                {
                    throttle.Release();
                }
            }));
        }
        // After-render JS calls (dark mode, idle watch) settle; a wait on "no more batches" would need a quiet period too.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var loaded = await server.MeasureAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| P9 | server managed heap per circuit on {path} ({clients.Count} circuits; {idle.Heap / 1048576.0:0.0} MB → {loaded.Heap / 1048576.0:0.0} MB), RSS {(loaded.Rss - idle.Rss) / 1024.0 / clients.Count:0} KB | {(loaded.Heap - idle.Heap) / 1024.0 / clients.Count:0} KB | |"));
        await DumpAsync(server, gcdump);
        foreach (var client in clients.Append(warm))
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>
    /// Where the memory goes, by type: FILE.gcdump for `dotnet-gcdump report` (dotnet tool install -g dotnet-gcdump), or
    /// FILE.dmp, a heap dump for `dotnet-dump analyze` (dumpheap -stat, gcroot).
    /// </summary>
    private static async Task DumpAsync(ServerProcess server, string? file)
    {
        if (file is null)
        {
            return;
        }
        var pid = server.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var collect = file.EndsWith(".dmp", StringComparison.Ordinal)
            ? Process.Start("dotnet-dump", ["collect", "-p", pid, "-o", file, "--type", "Heap"])!
            : Process.Start("dotnet-gcdump", ["collect", "-p", pid, "-o", file])!;
        await collect.WaitForExitAsync();
    }

    public static async Task RunAsync(int sessions, int actionsPerSession, int thinkMs, bool browserCheck, int openParallel, string? gcdump = null)
    {
        Console.WriteLine($"P9 (headless circuits): {sessions} sessions on /orders, {actionsPerSession} actions each, ~{thinkMs} ms think time, browser cross-check: {browserCheck}");
        using var server = await ServerProcess.StartAsync();
        var baseUri = server.BaseUri;

        var cookies = new CookieContainer();
        using var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 64 };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(120) };
        await SignInAsync(http);

        // The cross-check browser and one headless circuit first, not counted in memory: the first circuit warms what
        // all share (EF model, query plans, localizers, MudBlazor services), which is not a cost per circuit.
        IPlaywright? playwright = null;
        IBrowser? browser = null;
        IPage? page = null;
        if (browserCheck)
        {
            (playwright, browser, page) = await OpenBrowserAsync(baseUri);
        }
        var warm = new BlazorCircuitClient(baseUri, cookies, http);
        await warm.StartAsync("/orders", CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await Act(warm, i, new Random(0));
        }

        var idle = await server.MeasureAsync();
        var clients = new List<BlazorCircuitClient>();
        var openFailures = new List<string>();
        var open = Stopwatch.StartNew();
        using (var throttle = new SemaphoreSlim(openParallel))
        {
            await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
            {
                await throttle.WaitAsync();
                try
                {
                    var client = new BlazorCircuitClient(baseUri, cookies, http);
                    await client.StartAsync("/orders", CancellationToken.None);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                catch (Exception e)
                {
                    lock (openFailures)
                    {
                        openFailures.Add(e.Message);
                    }
                }
                finally
                {
                    throttle.Release();
                }
            }));
        }
        open.Stop();
        var loaded = await server.MeasureAsync();

        var timings = new Dictionary<string, List<double>> { ["next"] = [], ["sort"] = [], ["filter"] = [], ["search"] = [], ["browser"] = [] };
        var failures = new List<string>();
        var run = Stopwatch.StartNew();
        var load = Task.WhenAll(clients.Select(async (client, index) =>
        {
            var rng = new Random(index + 1);
            await Task.Delay(rng.Next(thinkMs));
            for (var a = 0; a < actionsPerSession; a++)
            {
                try
                {
                    var (kind, ms) = await Act(client, a, rng);
                    lock (timings)
                    {
                        timings[kind].Add(ms);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    lock (failures)
                    {
                        failures.Add(e.Message);
                    }
                }
                await Task.Delay(thinkMs / 2 + rng.Next(thinkMs));
            }
        }));
        var browserFailures = 0;
        if (page is not null)
        {
            // The real page clicks next/next/sort through the whole run, with the same think time.
            var rng = new Random(0);
            while (!load.IsCompleted)
            {
                try
                {
                    var selector = timings["browser"].Count % 3 == 2 ? "[data-testid=orders-sort]" : "[data-testid=orders-next]";
                    var ms = await page.EvaluateAsync<double>(UiLoadBenchmark.Measure, selector);
                    lock (timings)
                    {
                        timings["browser"].Add(ms);
                    }
                }
                catch (PlaywrightException)
                {
                    browserFailures++;
                }
                await Task.WhenAny(load, Task.Delay(thinkMs / 2 + rng.Next(thinkMs)));
            }
        }
        await load;
        run.Stop();
        var after = await server.MeasureAsync();
        await DumpAsync(server, gcdump);

        var clicks = timings["next"].Concat(timings["sort"]).Concat(timings["filter"]).Concat(timings["search"]).ToList();
        var all = clicks;
        var n = clients.Count;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uptime at the end: {Uptime()}; run {run.Elapsed.TotalSeconds:0} s; opening {n} circuits ({openParallel} at a time) {open.Elapsed.TotalSeconds:0.0} s; {openFailures.Count} failed to open"));
        foreach (var f in openFailures.Concat(failures).GroupBy(f => f).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  failure ×{f.Count()}: {f.Key}");
        }
        Console.WriteLine();
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | {n} headless circuits on /orders (20,000 orders): all interactions, dispatch → render batch with the new rows, {all.Count} done, {failures.Count} failed | {Stats(all)} | p95 ≤ 250 ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | … next page ({timings["next"].Count}) | {Stats(timings["next"])} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | … sort by created ({timings["sort"].Count}) | {Stats(timings["sort"])} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | … status filter ({timings["filter"].Count}) | {Stats(timings["filter"])} | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | … search ({timings["search"].Count}) | {Stats(timings["search"])} | |"));
        if (browserCheck)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | cross-check: 1 real Chromium page during the load, click → first row changed in the DOM ({timings["browser"].Count}, {browserFailures} failed) | {Stats(timings["browser"])} | |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | server managed heap per circuit, after full GC, circuits just opened ({idle.Heap / 1048576.0:0.0} MB → {loaded.Heap / 1048576.0:0.0} MB) | {(loaded.Heap - idle.Heap) / 1024.0 / n:0} KB | ≤ 1 MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | … after the interactions ({after.Heap / 1048576.0:0.0} MB) | {(after.Heap - idle.Heap) / 1024.0 / n:0} KB | ≤ 1 MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | server process RSS per circuit ({idle.Rss / 1048576.0:0} MB → {loaded.Rss / 1048576.0:0} MB → {after.Rss / 1048576.0:0} MB after the interactions) | {(loaded.Rss - idle.Rss) / 1024.0 / n:0} KB / {(after.Rss - idle.Rss) / 1024.0 / n:0} KB | |"));

        foreach (var client in clients.Append(warm))
        {
            await client.DisposeAsync();
        }
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
    }

    /// <summary>
    /// One action of a session, in a cycle of six: next page, next page, sort (toggles newest/oldest), a status filter
    /// (a native select's change event, toggling Approved/On hold so the rows always change), a search (the search box's
    /// change event, as Enter or leaving the field sends it: the second row's order number, which finds that one order),
    /// and clearing the search again (so the list is whole for the next cycle).
    /// </summary>
    internal static async Task<(string Kind, double Ms)> Act(BlazorCircuitClient client, int index, Random _)
    {
        var timeout = TimeSpan.FromSeconds(30);
        var mouse = new { type = "click", detail = 1, button = 0, buttons = 0 };
        switch (index % 6)
        {
            case 3 when client.Has("orders-filter-status", "change"):
                var status = index / 6 % 2 == 0 ? "Approved" : "OnHold";
                return ("filter", await client.InteractAsync("orders-filter-status", "change", new { value = status }, status, timeout));
            case 4 when client.Has("orders-search", "change") && client.Rows.Count >= 2:
                // Search is by exact value (order no, tracking no, name, phone).
                var orderNo = client.Rows[1];
                return ("search", await client.InteractAsync("orders-search", "change", new { value = orderNo }, orderNo, timeout));
            case 5 when client.Has("orders-search", "change") && client.Rows.Count == 1:
                return ("search", await client.InteractAsync("orders-search", "change", new { value = "" }, "", timeout));
            case 2:
                return ("sort", await client.InteractAsync("orders-sort", "click", mouse, null, timeout));
        }
        // Fewer rows than a page (50): the list has no next page and its button is disabled, so a browser would send no
        // click (a long run reaches a third cycle, where the On-hold filter of the second still holds 17 orders).
        if (!client.Has("orders-next", "click") || client.Rows.Count < 50)
        {
            return ("sort", await client.InteractAsync("orders-sort", "click", mouse, null, timeout));
        }
        return ("next", await client.InteractAsync("orders-next", "click", mouse, null, timeout));
    }

    internal static string Stats(List<double> values)
    {
        if (values.Count == 0)
        {
            return "–";
        }
        var sorted = values.Order().ToList();
        double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, max {P(1):0} ms");
    }

    internal static string Uptime() => File.Exists("/proc/loadavg") ? "load " + string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    internal static async Task SignInAsync(HttpClient http)
    {
        var form = await http.GetStringAsync("/Account/Login");
        var fields = Regex.Matches(form, "<input[^>]*type=\"hidden\"[^>]*>").Select(m => m.Value)
            .Select(tag => (Name: Regex.Match(tag, "name=\"([^\"]+)\"").Groups[1].Value, Value: WebUtility.HtmlDecode(Regex.Match(tag, "value=\"([^\"]*)\"").Groups[1].Value)))
            .Where(f => f.Name.Length > 0)
            .Append(("Input.Email", "ops@demo.local"))
            .Append(("Input.Password", UiPortal.Password))
            .ToList();
        using var response = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("Login", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} → {response.Headers.Location}");
        }
    }

    private static async Task<(IPlaywright, IBrowser, IPage)> OpenBrowserAsync(Uri baseUri)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUri.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", "ops@demo.local");
        await page.FillAsync("#Input\\.Password", UiPortal.Password);
        await page.ClickAsync("button.account-button");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync("/orders");
        await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1' && document.querySelector('[data-testid=orders-row]')");
        await page.EvaluateAsync<double>(UiLoadBenchmark.Measure, "[data-testid=orders-next]");
        if (Environment.GetEnvironmentVariable("MP_P9_SCREENSHOT") is { Length: > 0 } shot)
        {
            // To look at the slimmed rows (plain markup with MudBlazor classes) next to the rest of the page.
            await page.Locator("input[data-testid^=row-select-]").First.CheckAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        }
        return (playwright, browser, page);
    }

    /// <summary>"ui-server" mode: the portal alone in this process, answering "measure" on stdin with its memory.</summary>
    public static async Task ServeAsync()
    {
        await using var portal = new UiPortal();
        var address = portal.Start();
        Console.WriteLine("READY " + address);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "measure")
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var heap = GC.GetTotalMemory(forceFullCollection: true);
                using var self = Process.GetCurrentProcess();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MEM {heap} {self.WorkingSet64}"));
            }
            else if (line == "quit")
            {
                break;
            }
        }
    }

    private sealed class ServerProcess : IDisposable
    {
        private readonly Process process;
        private readonly System.Threading.Channels.Channel<string> replies = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private ServerProcess(Process process)
        {
            this.process = process;
        }

        public Uri BaseUri { get; private set; } = null!;

        public int ProcessId => process.Id;

        public static async Task<ServerProcess> StartAsync()
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(CircuitLoadBenchmark).Assembly.Location);
            }
            start.ArgumentList.Add("ui-server");
            // The web app runs with Server GC (the Web SDK's default); the child does too, so RSS is the production shape.
            start.Environment["DOTNET_gcServer"] = "1";
            var process = Process.Start(start)!;
            var server = new ServerProcess(process);
            // Drain the child's output all the time (a full pipe would stall the server); its log lines (warnings and
            // errors only) go to stderr, so a failing circuit shows why.
            _ = Task.Run(async () =>
            {
                var logged = 0;
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("READY ", StringComparison.Ordinal) || line.StartsWith("MEM ", StringComparison.Ordinal))
                    {
                        server.replies.Writer.TryWrite(line);
                    }
                    else if (logged++ < 400)
                    {
                        Console.Error.WriteLine("[server] " + line);
                    }
                }
                server.replies.Writer.TryComplete();
            });
            var ready = await server.replies.Reader.ReadAsync();
            server.BaseUri = new Uri(ready["READY ".Length..]);
            return server;
        }

        public async Task<(long Heap, long Rss)> MeasureAsync()
        {
            await process.StandardInput.WriteLineAsync("measure");
            await process.StandardInput.FlushAsync();
            var parts = (await replies.Reader.ReadAsync()).Split(' ');
            return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        public void Dispose()
        {
            try
            {
                process.StandardInput.WriteLine("quit");
                if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
