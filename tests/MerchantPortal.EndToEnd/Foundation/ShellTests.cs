using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Foundation;

[Collection(BrowserPortal.Name)]
public class ShellTests(BrowserPortal portal)
{
    [Fact]
    public async Task An_anonymous_visitor_lands_on_the_login_page()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        Assert.True(await page.Locator("button.account-button").IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("cs@demo.local", false)]
    [InlineData("ops@demo.local", false)]
    [InlineData("admin@demo.local", true)]
    public async Task Each_demo_user_sees_only_its_roles_menu(string email, bool seesAdmin)
    {
        var page = await portal.SignInAsync(email);
        await page.Locator("[data-testid=nav-Dashboard]").WaitForAsync();
        Assert.Equal(seesAdmin, await page.Locator("[data-testid=nav-admin]").CountAsync() > 0);
        Assert.Equal(seesAdmin, await page.Locator("[data-testid=nav-ApiKeys]").CountAsync() > 0);
        Assert.Equal(6, await page.Locator("[data-testid=dashboard-tiles] .dashboard-tile").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CustomerService_typing_an_admin_address_gets_the_access_denied_page()
    {
        var page = await portal.SignInAsync("cs@demo.local");
        await page.GotoAsync("/admin/api-keys");
        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        await page.GotoAsync("/admin/jobs");
        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_dashboard_switches_between_English_and_Chinese_and_both_are_captured()
    {
        var page = await portal.SignInAsync("ops@demo.local");
        await page.Locator("[data-testid=tile-OrdersToReview]").WaitForAsync();
        Assert.Contains("Orders to review", await page.Locator("[data-testid=tile-OrdersToReview]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("dashboard-en.png") });

        await page.ClickAsync("[data-testid=language-menu] summary");
        await page.ClickAsync("[data-testid=lang-zh]");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-CN'");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=tile-OrdersToReview]").WaitForAsync();
        Assert.Contains("待审核订单", await page.Locator("[data-testid=tile-OrdersToReview]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("dashboard-zh-CN.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dark_mode_is_remembered_across_page_loads()
    {
        var page = await portal.SignInAsync("cs@demo.local");
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync("() => localStorage.getItem('mp.dark') === '1'");
        await page.ReloadAsync();
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-theme-dark, [data-mud-theme=dark]') !== null || getComputedStyle(document.body).backgroundColor !== 'rgb(245, 247, 250)'");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_creates_an_API_key_and_sees_it_exactly_once()
    {
        var page = await portal.SignInAsync("admin@demo.local");
        await page.ClickAsync("[data-testid=nav-ApiKeys]");
        await page.Locator("[data-testid=apikey-create]").WaitForAsync();
        await page.Locator("input[data-testid=apikey-name], [data-testid=apikey-name] input").First.FillAsync("Shop integration");
        await page.ClickAsync("[data-testid=apikey-scopes]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('orders:read')");
        await page.Keyboard.PressAsync("Escape");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('input')].some(i => i.value.includes('orders:read'))");
        await page.ClickAsync("[data-testid=apikey-create]");
        var value = await page.Locator("[data-testid=apikey-value]").InnerTextAsync();
        Assert.StartsWith("mpk_", value);
        await page.ReloadAsync();
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=apikey-table]").WaitForAsync();
        Assert.Contains("Shop integration", await page.Locator("[data-testid=apikey-table]").InnerTextAsync());
        Assert.DoesNotContain(value, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Portal_pages_run_under_the_content_security_policy_without_a_violation()
    {
        var page = await portal.SignInAsync("admin@demo.local");
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        foreach (var path in new[] { "/", "/orders", "/shipments", "/lookup", "/admin/carrier-accounts" })
        {
            await page.GotoAsync(path);
            await BrowserPortal.WaitForInteractiveAsync(page);
        }

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
