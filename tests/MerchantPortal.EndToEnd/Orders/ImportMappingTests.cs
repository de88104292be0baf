using System.Text;
using System.Text.RegularExpressions;
using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Orders;

[Collection(BrowserPortal.Name)]
public class ImportMappingTests(BrowserPortal portal)
{
    /// <summary>
    /// A Chinese merchant's file whose phone column the portal does not know (客户联络): the mapping step shows it
    /// unmapped, the user maps it to 联系手机, imports, and the orders are there.
    /// </summary>
    [Fact]
    public async Task A_Chinese_user_maps_an_unknown_column_on_the_page_and_imports_the_file()
    {
        var id = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var file = Path.Combine(Path.GetTempPath(), $"erp-export-{id}.csv");
        await File.WriteAllTextAsync(file,
            "订单号,收件人,客户联络,省份,城市,区县,详细地址,商品名称,数量(件)\n"
            + $"MAP-{id}-1,钱七,13912340000,广东省,深圳市,南山区,科技园 1 号,龙井茶 250g,2\n"
            + $"MAP-{id}-2,孙八,13912340001,浙江省,杭州市,西湖区,文三路 8 号,玻璃茶杯,1\n", new UTF8Encoding(true));

        var page = await portal.SignInAsync("ops@demo.local", "zh-CN");
        await page.GotoAsync("/orders/import");
        await page.Locator("[data-testid=import-upload]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.SetInputFilesAsync("[data-testid=import-upload]", file);

        var phoneRow = page.Locator("[data-testid=mapping-row][data-header=客户联络]");
        await phoneRow.WaitForAsync();
        Assert.Contains("13912340000", await phoneRow.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("缺少列", await page.Locator("[data-testid=import-preview]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=import-start]").IsDisabledAsync());

        await page.ClickAsync("[data-testid=mapping-field-2]");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new Regex("^\\s*联系手机\\s*$") }).ClickAsync();
        await page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=import-preview]').innerText.includes('缺少列')");
        Assert.Contains("手动指定", await phoneRow.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("import-mapping-zh-CN.png"), FullPage = true });

        await page.ClickAsync("[data-testid=import-start]");
        await page.WaitForFunctionAsync("() => /导入 2 个订单/.test(document.querySelector('[data-testid=import-summary]')?.innerText ?? '')", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        using var api = portal.Factory.CreateApiClient();
        var json = await api.GetStringAsync($"/api/v1/orders/MAP-{id}-1");
        Assert.Contains("13912340000", json, StringComparison.Ordinal);
        await page.Context.CloseAsync();
        File.Delete(file);
    }
}
