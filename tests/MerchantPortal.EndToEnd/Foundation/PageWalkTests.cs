using System.Collections.Concurrent;
using System.Text.Json;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MerchantPortal.EndToEnd.Foundation;

/// <summary>
/// Every page, for every role, in both languages, on a desktop (1440×900) and a phone (390×844): nothing scrolls
/// sideways or reaches past the window, no text is drawn over other text, no resource key, enum or class name is shown,
/// and English pages carry Chinese only in names and addresses (data), never in the portal's own words. Screenshots
/// go to docs/screenshots/pages/, one per page, language and size, taken as the least privileged role that may open it.
/// </summary>
[Collection(PageWalkPortal.Name)]
public class PageWalkTests(PageWalkPortal portal, ITestOutputHelper output)
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1440, 900), ("phone", 390, 844)];

    [Fact]
    public void Every_route_of_the_portal_is_walked_or_says_why_not()
    {
        var routes = PortalRoute.All();
        Assert.NotEmpty(routes);
        foreach (var route in routes.Where(r => r.Template.Contains('{', StringComparison.Ordinal) && !PortalRoute.NotWalked.ContainsKey(r.Template)))
        {
            Assert.True(portal.Paths.ContainsKey(route.Template), $"{route.Template} has a parameter the walk does not fill");
        }
        Assert.All(PortalRoute.NotWalked.Keys, skipped => Assert.Contains(skipped, routes.Select(r => r.Template)));
    }

    [Fact]
    public async Task Every_page_reads_well_for_every_role_in_both_languages_on_a_desktop_and_a_phone()
    {
        // Each role and language walks in a browser context of its own, all at once: a walk mostly waits for pages to
        // settle, so together they take little longer than the longest alone.
        (string Who, PageAccess Access)[] people =
            [("anonymous", PageAccess.Anonymous), ("cs@demo.local", PageAccess.SignedIn), ("ops@demo.local", PageAccess.Operations), ("admin@demo.local", PageAccess.Admin)];
        var problems = new ConcurrentBag<string>();
        var walked = new ConcurrentDictionary<string, int>();
        await Task.WhenAll(people.SelectMany(person => new[] { "en-US", "zh-CN" }.Select(async locale =>
        {
            var routes = PortalRoute.All()
                .Where(r => !PortalRoute.NotWalked.ContainsKey(r.Template))
                .Where(r => person.Access == PageAccess.Anonymous ? r.Access == PageAccess.Anonymous : r.Access != PageAccess.Anonymous && r.Access <= person.Access)
                .ToList();
            var page = await OpenAsync(person.Who, locale);
            try
            {
                foreach (var route in routes)
                {
                    await CheckAsync(page, route, locale, shoot: route.Access == person.Access, problems, person.Who);
                    walked.AddOrUpdate($"{person.Who} {locale}", 1, (_, n) => n + 1);
                }
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        })));
        foreach (var (walk, pages) in walked.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{walk}: {pages} pages × {Sizes.Length} sizes");
        }
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Distinct().Order(StringComparer.Ordinal))}");
    }

    private async Task<IPage> OpenAsync(string who, string locale)
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.Factory.BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = Sizes[0].Width, Height = Sizes[0].Height },
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (who != "anonymous")
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#Input\\.Email", who);
            await page.FillAsync("#Input\\.Password", PortalFactory.DemoPassword);
            await page.ClickAsync("button.account-button");
            await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1'");
        }
        return page;
    }

    private async Task CheckAsync(IPage page, PortalRoute route, string locale, bool shoot, ConcurrentBag<string> problems, string who)
    {
        var path = portal.Paths.TryGetValue(route.Template, out var filled) ? filled : route.Template;
        await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
        if (route.OutsideTheCircuit || !await InCircuitAsync(page))
        {
            await page.GotoAsync(path);
        }
        else
        {
            // Inside the circuit, as a click on a link goes (and much faster than loading the page anew).
            await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        }
        await page.WaitForFunctionAsync("path => decodeURIComponent(location.pathname) === decodeURIComponent(path)", path);
        if (!route.OutsideTheCircuit)
        {
            await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1'");
        }
        var lang = await page.EvaluateAsync<string>("() => document.documentElement.lang");
        if (lang != locale[..2] && lang != locale)
        {
            problems.Add($"{locale} {path} ({who}): the page is in '{lang}'");
        }
        foreach (var (size, width, height) in Sizes)
        {
            if (width != Sizes[0].Width)
            {
                await page.SetViewportSizeAsync(width, height);
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var settled = await SettledAsync(page, width);
            var where = $"{locale} {size} {path} ({who})";
            if (!settled)
            {
                // Not a fault (a page may keep a spinner for work that runs on), but the walk's time goes there.
                output.WriteLine($"{where}: still changing after {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
            }
            var read = await page.EvaluateAsync<JsonElement>(PageChecks.Script);
            foreach (var fault in read.GetProperty("faults").EnumerateArray())
            {
                problems.Add($"{where}: {fault.GetString()}");
            }
            var text = read.GetProperty("text").GetString() ?? "";
            foreach (var name in PageChecks.InternalNamesIn(text))
            {
                problems.Add($"{where}: shows the internal name '{name}'");
            }
            // Ours are numbered ("{0}"), MudBlazor's own are named ("{first_item}"). Message templates' tokens
            // ("{carrier}") are shown on purpose, as the words a merchant may use.
            if (System.Text.RegularExpressions.Regex.Match(text, @"\{(\d|first_item|last_item|all_items)\}") is { Success: true } placeholder)
            {
                problems.Add($"{where}: shows an unfilled placeholder {placeholder.Value}");
            }
            if (locale == "en-US")
            {
                foreach (var words in read.GetProperty("chrome").EnumerateArray().Select(w => w.GetString()!).Where(PageChecks.HasChinese).Distinct())
                {
                    problems.Add($"{where}: Chinese in the English page's own words: \"{Shorten(words)}\"");
                }
            }
            if (shoot)
            {
                var file = Path.Combine(PageChecks.RepositoryRoot(), "docs", "screenshots", "pages", $"{route.Slug}.{locale[..2]}.{size}.png");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                // The page from its top, at most two windows long: what a person scrolls through first.
                var tall = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = file,
                    FullPage = true,
                    Clip = new Clip { X = 0, Y = 0, Width = width, Height = Math.Min(tall, 2 * height) },
                });
            }
        }
    }

    private static async Task<bool> InCircuitAsync(IPage page) =>
        await page.EvaluateAsync<bool>("() => document.body.dataset.interactive === '1' && typeof Blazor !== 'undefined' && !!Blazor.navigateTo");

    /// <summary>
    /// Waits until the window has the size asked for and the page's text and layout stopped changing (data loaded,
    /// charts drawn, transitions ended): the same for three polls in a row. A page that keeps changing (live counts) is read as it is after
    /// five seconds.
    /// </summary>
    private static async Task<bool> SettledAsync(IPage page, int width)
    {
        var settled = true;
        try
        {
            await page.WaitForFunctionAsync("""
                width => {
                  if (document.documentElement.clientWidth > width) return false;
                  // The responsive drawer closes below MudBlazor's Md breakpoint (960px) and opens again above it; only
                  // in the circuit (a page rendered outside it, such as the account pages, keeps the drawer it was sent).
                  const drawer = document.body.dataset.interactive === '1' && document.querySelector('.mud-drawer');
                  if (drawer && drawer.classList.contains('mud-drawer--open') !== (width >= 960)) return false;
                  // Data still loading, or a finite transition running (the drawer closing when the window narrows).
                  const busy = document.querySelector('.mud-progress-circular, .mud-skeleton, .mud-table-loading')
                    || document.getAnimations().some(a => a.playState === 'running' && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
                  const now = document.body.innerText.length + ':' + document.body.scrollHeight + ':' + (busy ? 1 : 0);
                  const w = window.__settled || (window.__settled = { last: '', same: 0 });
                  w.same = now === w.last && !busy ? w.same + 1 : 0;
                  w.last = now;
                  return w.same >= 3;
                }
                """, width, new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // Read as it is: the checks below report what a person would see now.
            settled = false;
        }
        await page.EvaluateAsync("() => { window.__settled = null; }");
        return settled;
    }

    private static string Shorten(string words) => words.Length <= 60 ? words.ReplaceLineEndings(" ") : words[..60].ReplaceLineEndings(" ") + "…";
}
