using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P9: many browser sessions on the orders page at once. Each session is a Chromium context with its own Blazor
/// circuit; it pages and re-sorts the grid with think time between actions, as a person does. Interaction time is
/// measured inside the page (click → the grid's first row changes, via a MutationObserver), so Playwright's own
/// round trips are not counted. Memory per circuit = growth of the server's managed heap (after a full GC) with all
/// sessions open, divided by the sessions; the server runs in this process, the browser in its own.
/// </summary>
public static class UiLoadBenchmark
{
    internal const string Measure = """
        async (selector) => {
          const firstRow = () => document.querySelector('[data-testid=orders-row]')?.innerText ?? '';
          const before = firstRow();
          const grid = document.querySelector('[data-testid=orders-grid]');
          const start = performance.now();
          const changed = new Promise(resolve => {
            const observer = new MutationObserver(() => { if (firstRow() !== before) { observer.disconnect(); resolve(); } });
            observer.observe(grid, { subtree: true, childList: true, characterData: true });
          });
          document.querySelector(selector).click();
          await Promise.race([changed, new Promise((_, reject) => setTimeout(() => reject(new Error('no change')), 15000))]);
          return performance.now() - start;
        }
        """;

    public static async Task RunAsync(int sessions, int actionsPerSession, int thinkMs)
    {
        Console.WriteLine($"P9: {sessions} browser sessions on /orders, {actionsPerSession} actions each, ~{thinkMs} ms think time");
        await using var portal = new UiPortal();
        var baseAddress = portal.Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--renderer-process-limit=8"],
        });

        // Sign in once; every session reuses the cookie (sign-in is not what P9 measures).
        var login = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var loginPage = await login.NewPageAsync();
        await loginPage.GotoAsync("/Account/Login");
        await loginPage.FillAsync("#Input\\.Email", "ops@demo.local");
        await loginPage.FillAsync("#Input\\.Password", UiPortal.Password);
        await loginPage.ClickAsync("button.account-button");
        await loginPage.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        var state = await login.StorageStateAsync();
        await login.CloseAsync();

        // One session first, not counted: the first circuit warms what every later one shares (EF model, query
        // plans, localizers, MudBlazor's services), which is not a cost per circuit.
        var warm = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), StorageState = state });
        var warmPage = await warm.NewPageAsync();
        await warmPage.GotoAsync("/orders");
        await warmPage.WaitForFunctionAsync("() => document.body.dataset.interactive === '1' && document.querySelector('[data-testid=orders-row]')");
        await warmPage.EvaluateAsync<double>(Measure, "[data-testid=orders-next]");
        await warmPage.EvaluateAsync<double>(Measure, "[data-testid=orders-sort]");

        var baseline = ManagedHeap();
        var pages = new List<IPage>();
        var open = Stopwatch.StartNew();
        for (var i = 0; i < sessions; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), StorageState = state, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(120_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/orders");
            await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1' && document.querySelector('[data-testid=orders-row]')");
            pages.Add(page);
        }
        open.Stop();
        var withCircuits = ManagedHeap();

        var timings = new List<double>();
        var failures = 0;
        var run = Stopwatch.StartNew();
        await Task.WhenAll(pages.Select(async (page, index) =>
        {
            var rng = new Random(index);
            await Task.Delay(rng.Next(thinkMs));
            for (var a = 0; a < actionsPerSession; a++)
            {
                var selector = a % 3 == 2 ? "[data-testid=orders-sort]" : "[data-testid=orders-next]";
                try
                {
                    var ms = await page.EvaluateAsync<double>(Measure, selector);
                    lock (timings)
                    {
                        timings.Add(ms);
                    }
                }
                catch (PlaywrightException)
                {
                    Interlocked.Increment(ref failures);
                }
                await Task.Delay(thinkMs / 2 + rng.Next(thinkMs));
            }
        }));
        run.Stop();

        timings.Sort();
        double P(double q) => timings.Count == 0 ? double.NaN : timings[Math.Min(timings.Count - 1, (int)Math.Ceiling(q * timings.Count) - 1)];
        var perCircuitKb = (withCircuits - baseline) / 1024.0 / sessions;
        Console.WriteLine();
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | {sessions} concurrent sessions on /orders (20,000 orders), {timings.Count} interactions (next page, sort), {failures} failed | p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, max {P(1):0} ms | p95 ≤ 250 ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | server managed heap per open circuit (after full GC; {baseline / 1024 / 1024} MB → {withCircuits / 1024 / 1024} MB) | {perCircuitKb:0} KB | ≤ 1 MB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| P9 | opening the {sessions} sessions one after another | {open.Elapsed.TotalSeconds:0.0} s | |"));
        foreach (var page in pages.Append(warmPage))
        {
            await page.Context.CloseAsync();
        }
    }

    private static long ManagedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>
/// The real portal on Kestrel in this process, with 20,000 demo orders. (The entry-point type argument names any type
/// of the web assembly: this program has its own Program.)
/// </summary>
internal sealed class UiPortal : WebApplicationFactory<MerchantPortal.Web.Components.Shared.SharedResources>
{
    public const string Password = "Bench-Password-2026!";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "merchantportal-bench", "p9-" + Guid.NewGuid().ToString("N"));

    public UiPortal()
    {
        Directory.CreateDirectory(directory);
        // The factory finds the app's folder from a manifest test projects get; this console program names it.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MerchantPortal.sln")))
        {
            root = root.Parent;
        }
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MERCHANTPORTAL_WEB", Path.Combine(root!.FullName, "src", "MerchantPortal.Web"));
        UseKestrel(0);
    }

    public Uri Start()
    {
        StartServer();
        return ClientOptions.BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataDirectory", directory);
        builder.UseSetting("DemoData:Enabled", "true");
        builder.UseSetting("DemoData:Password", Password);
        // The bulk fixture: 20,000 orders written at once (the demo run would take minutes to make them).
        builder.UseSetting("DemoData:Mode", "Fixture");
        builder.UseSetting("DemoData:Orders", "20000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // A circuit that fails in a load run says why (the exception, not "turn on detailed errors").
        builder.UseSetting("DetailedErrors", "true");
    }
}
