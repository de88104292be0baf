using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Infrastructure;

/// <summary>
/// The real portal on Kestrel plus Debian's Chromium driven by Playwright. Playwright never downloads a browser
/// here: it launches /usr/bin/chromium (override with MP_CHROMIUM), with the flags this closed network needs.
/// </summary>
public sealed class BrowserPortal : IAsyncLifetime
{
    public const string Name = "browser portal";

    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? playwright;

    public PortalFactory Factory { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Factory.BaseAddress;

    public async Task InitializeAsync()
    {
        Factory.Start();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A fresh browser context (own cookies), English unless a locale is given, on the shared portal unless a test
    /// brings a portal of its own (one whose global switches and sandbox clock it may change).
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US", Uri? portalAddress = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (portalAddress ?? BaseAddress).ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login form and waits for the interactive dashboard.</summary>
    public async Task<IPage> SignInAsync(string email, string locale = "en-US", Uri? portalAddress = null)
    {
        var page = await NewPageAsync(locale, portalAddress);
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.RequestFailed += (_, request) => console.Add($"failed: {request.Url} {request.Failure}");
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#Input\\.Email", email);
            await page.FillAsync("#Input\\.Password", PortalFactory.DemoPassword);
            await page.ClickAsync("button.account-button");
            await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await WaitForInteractiveAsync(page);
            return page;
        }
        catch (TimeoutException ex)
        {
            var shot = Path.Combine(Path.GetTempPath(), $"e2e-signin-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
            throw new TimeoutException($"Sign-in as {email} stalled at {page.Url} (screenshot {shot}). Browser log:{Environment.NewLine}{string.Join(Environment.NewLine, console)}", ex);
        }
    }

    /// <summary>
    /// Blazor Server is interactive once its circuit is up and the layout has rendered on it (the layout marks the
    /// body then); a click before that is lost.
    /// </summary>
    public static async Task WaitForInteractiveAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => document.body.dataset.interactive === '1'");

    public static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        var docs = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        Directory.CreateDirectory(docs);
        return Path.Combine(docs, name);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}

[CollectionDefinition(BrowserPortal.Name)]
public sealed class BrowserPortalCollection : ICollectionFixture<BrowserPortal>;

/// <summary>
/// A browser of its own, without the shared portal, for a test that starts its portals itself and mostly waits (the
/// two-instance test waits a whole minute for recurring jobs): in its own collection it runs beside the others.
/// </summary>
public sealed class OwnBrowser : IAsyncLifetime
{
    public const string Name = "own browser";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = BrowserPortal.ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
    }
}

[CollectionDefinition(OwnBrowser.Name)]
public sealed class OwnBrowserCollection : ICollectionFixture<OwnBrowser>;
