using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.CarrierAccounts;

[Collection(BrowserPortal.Name)]
public class CarrierAccountPageTests(BrowserPortal portal)
{
    [Fact]
    public async Task An_admin_adds_a_carrier_account_tests_the_connection_and_sees_the_result()
    {
        var page = await portal.SignInAsync("admin@demo.local");
        await page.ClickAsync("[data-testid=nav-CarrierAccounts]");
        await page.Locator("[data-testid=ca-new]").WaitForAsync();

        await page.ClickAsync("[data-testid=ca-new]");
        var dialog = page.Locator("[data-testid=carrier-account-dialog]");
        await dialog.WaitForAsync();
        var name = "顺丰 e2e " + Guid.NewGuid().ToString("N")[..4];
        await page.Locator("input[data-testid=ca-name]").FillAsync(name);
        await page.Locator("input[data-testid=ca-ebusinessid]").FillAsync("test1617571");
        await page.Locator("input[data-testid=ca-appkey]").FillAsync("sandbox-appkey-0001-demo");
        await page.Locator("input[data-testid=ca-customerpwd]").FillAsync("e2e-secret-password");
        await page.ClickAsync("[data-testid=ca-save]");
        await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        var row = page.Locator("tr", new PageLocatorOptions { Has = page.Locator($"[data-testid=ca-row-name]:has-text('{name}')") });
        await row.WaitForAsync();
        Assert.DoesNotContain("e2e-secret-password", await page.ContentAsync());
        Assert.DoesNotContain("sandbox-appkey-0001-demo", await page.ContentAsync());

        await row.Locator("[data-testid=ca-test]").ClickAsync();
        var result = page.Locator("[data-testid=ca-test-result]");
        await result.WaitForAsync();
        Assert.Contains("Connected", await result.InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("carrier-accounts-en.png") });
        await page.Context.CloseAsync();
    }
}
