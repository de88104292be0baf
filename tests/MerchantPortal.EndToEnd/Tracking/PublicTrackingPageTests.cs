using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Tracking;

/// <summary>
/// The public tracking page as a customer meets it in a browser: opened from the link in a shipping message, and
/// after too many lookups. Each language has a portal of its own (the limit counts per address, and every test
/// browser comes from 127.0.0.1), with a limit of two lookups so the third is refused.
/// </summary>
[Collection(OwnBrowser.Name)]
public class PublicTrackingPageTests(OwnBrowser browsers)
{
    [Theory]
    [InlineData("en-US", "Too many tracking lookups", "Please try again after")]
    [InlineData("zh-CN", "查询次数过多", "再试")]
    public async Task A_message_link_fills_in_the_number_and_a_lookup_beyond_the_limit_shows_the_styled_page_in_the_visitors_language(
        string locale, string heading, string when)
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["Tracking:PublicPage:PermitLimit"] = "2" });
        factory.Start();
        var context = await browsers.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = factory.BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();

        // The link a message carries: the number is there, nothing is looked up before the digits are given.
        var number = "ZT" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync("/track?no=" + number);
        Assert.Equal(number, await page.Locator("[data-testid=track-no]").InputValueAsync());
        Assert.Equal(0, await page.Locator("[data-testid=track-result], [data-testid=track-none]").CountAsync());

        // Two lookups are answered; the third is the limit's page, in the page's own look and the visitor's language.
        IResponse? last = null;
        for (var i = 0; i < 3; i++)
        {
            await page.FillAsync("[data-testid=track-no]", number);
            await page.FillAsync("[data-testid=track-phone]", "1234");
            last = await page.RunAndWaitForResponseAsync(
                () => page.ClickAsync("[data-testid=track-submit]"),
                r => r.Request.Method == "POST" && r.Url.Contains("/track", StringComparison.Ordinal));
            if (i < 2)
            {
                Assert.Equal(200, last.Status);
                await page.Locator("[data-testid=track-none]").WaitForAsync();
            }
        }
        Assert.Equal(429, last!.Status);
        Assert.NotNull(await last.HeaderValueAsync("retry-after"));
        var limited = page.Locator("[data-testid=track-limited]");
        await limited.WaitForAsync();
        var text = await limited.InnerTextAsync();
        Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Contains(when, text, StringComparison.Ordinal);
        Assert.Equal(locale[..2], (await page.Locator("html").GetAttributeAsync("lang"))![..2]);
        // Styled: the page's own stylesheet (not the browser's default serif on white) gives the heading its colour.
        Assert.NotEqual("rgb(0, 0, 0)", await page.Locator("[data-testid=track-limited] h1").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath($"track-limited-{locale[..2]}.png"), FullPage = true });
        await context.CloseAsync();
    }
}
