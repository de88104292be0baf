using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Orders;

/// <summary>合并发货 and 拆单 on the order page, as Ops does them.</summary>
[Collection(BrowserPortal.Name)]
public class MergeAndSplitTests(BrowserPortal portal)
{
    [Fact]
    public async Task Ops_splits_an_order_into_two_parcels_on_its_page_and_sees_each_parcel_with_its_lines()
    {
        var receiver = "拆单" + Guid.NewGuid().ToString("N")[..6];
        var orderNo = $"E2E-S-{receiver[2..]}";
        await CreateAsync(orderNo, receiver, ("茶杯", 2), ("茶壶", 1));

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/orders/{orderNo}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=order-split]");
        await page.Locator("[data-testid=order-split-editor]").WaitForAsync();

        // Parcel 1 starts with everything: one cup moves to parcel 2.
        await FillAsync(page, "split-1-1", "1");
        await FillAsync(page, "split-2-1", "1");
        await page.ClickAsync("[data-testid=order-split-save]");

        var second = page.Locator("[data-testid=order-parcel-2]");
        await second.WaitForAsync();
        Assert.Contains("茶杯 ×1", await second.InnerTextAsync());
        var first = await page.Locator("[data-testid=order-parcel-1]").InnerTextAsync();
        Assert.Contains("茶杯 ×1", first);
        Assert.Contains("茶壶 ×1", first);
        Assert.Contains("0", await page.Locator("[data-testid=order-parcel-progress]").InnerTextAsync());
        await page.Locator("[data-testid=order-parcels-panel]").ScreenshotAsync(new LocatorScreenshotOptions { Path = BrowserPortal.ScreenshotPath("order-split-two-parcels-en.png") });

        using var api = portal.Factory.CreateApiClient();
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");
        Assert.Equal(2, detail.GetProperty("shipping").GetProperty("parcelCount").GetInt32());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Ops_merges_two_orders_to_one_receiver_on_the_order_page_and_the_other_order_ships_in_its_parcel()
    {
        var receiver = "合并" + Guid.NewGuid().ToString("N")[..6];
        var first = $"E2E-M1-{receiver[2..]}";
        var second = $"E2E-M2-{receiver[2..]}";
        await CreateAsync(first, receiver, ("龙井茶", 1));
        await CreateAsync(second, receiver, ("茶饼", 2));

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/orders/{first}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=order-merge]");

        var carries = page.Locator("[data-testid=order-merged-orders]");
        await carries.WaitForAsync();
        Assert.Contains(second, await carries.InnerTextAsync());
        await page.Locator("[data-testid=order-parcels-panel]").ScreenshotAsync(new LocatorScreenshotOptions { Path = BrowserPortal.ScreenshotPath("order-merged-en.png") });

        await page.GotoAsync($"/orders/{second}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        Assert.Contains(first, await page.Locator("[data-testid=order-merged-into]").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]").First;
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>An approved order from the shop system, its lines 0.5 kg each.</summary>
    private async Task CreateAsync(string orderNo, string receiver, params (string Name, int Quantity)[] lines)
    {
        using var api = portal.Factory.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = receiver, mobile = "13700005678", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
            lines = lines.Select(l => new { sku = "SKU-" + l.Name, name = l.Name, quantity = l.Quantity, unitPrice = 39.0, weightKg = 0.5 * l.Quantity }),
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        (await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).EnsureSuccessStatusCode();
    }
}
