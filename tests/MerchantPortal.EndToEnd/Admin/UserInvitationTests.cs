using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Admin;

[Collection(BrowserPortal.Name)]
public class UserInvitationTests(BrowserPortal portal)
{
    [Fact]
    public async Task An_admin_invites_an_Ops_user_who_sets_a_password_from_the_link_in_another_browser_and_sees_the_Ops_menu()
    {
        var admin = await portal.SignInAsync("admin@demo.local");
        await admin.ClickAsync("[data-testid=nav-Users]");
        await admin.Locator("[data-testid=user-invite]").WaitForAsync();
        var email = $"li.lei.{Guid.NewGuid().ToString("N")[..6]}@merchant.example";
        await admin.Locator("input[data-testid=user-email], [data-testid=user-email] input").First.FillAsync(email);
        await admin.Locator("input[data-testid=user-name], [data-testid=user-name] input").First.FillAsync("Li Lei");
        await admin.ClickAsync("[data-testid=user-role]");
        await admin.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*Ops\\s*$") }).ClickAsync();
        await admin.WaitForFunctionAsync("() => [...document.querySelectorAll('input')].some(i => i.value === 'Ops')");
        await admin.ClickAsync("[data-testid=user-invite]");
        var link = await admin.Locator("[data-testid=user-invite-link]").InnerTextAsync();
        Assert.Contains("/Account/AcceptInvite?userId=", link);
        var row = admin.Locator("tr", new PageLocatorOptions { Has = admin.Locator($"[data-testid=user-row-email]:has-text('{email}')") });
        await row.WaitForAsync();
        Assert.Contains("Invited", await row.InnerTextAsync());
        await admin.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("admin-users-en.png"), FullPage = true });

        // The invited person, in a browser of their own.
        var invited = await portal.NewPageAsync();
        await invited.GotoAsync(link);
        await invited.FillAsync("#Input\\.Password", "li lei's own long passphrase");
        await invited.FillAsync("#Input\\.ConfirmPassword", "li lei's own long passphrase");
        await invited.ClickAsync("button.account-button");
        await invited.WaitForURLAsync(url => !url.Contains("/Account/", StringComparison.Ordinal));
        await BrowserPortal.WaitForInteractiveAsync(invited);
        await invited.Locator("[data-testid=nav-Orders]").WaitForAsync();
        Assert.Equal(0, await invited.Locator("[data-testid=nav-admin]").CountAsync());
        Assert.Equal(0, await invited.Locator("[data-testid=nav-Users]").CountAsync());
        await invited.GotoAsync("/orders/import");
        await BrowserPortal.WaitForInteractiveAsync(invited);
        Assert.Equal(0, await invited.Locator("[data-testid=access-denied]").CountAsync());
        await invited.Context.CloseAsync();

        await admin.ReloadAsync();
        await BrowserPortal.WaitForInteractiveAsync(admin);
        await row.WaitForAsync();
        Assert.Contains("Active", await row.InnerTextAsync());
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task The_users_page_in_Chinese_is_captured()
    {
        var page = await portal.SignInAsync("admin@demo.local", "zh-CN");
        await page.GotoAsync("/culture?culture=zh-CN&redirectUri=/admin/users");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=user-table] [data-testid=user-row-email]").First.WaitForAsync();
        Assert.Contains("邀请用户", await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("admin-users-zh-CN.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
