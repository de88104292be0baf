using System.Net.Http.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Waybills;

[Collection(BrowserPortal.Name)]
public class WaybillBatchFlowTests(BrowserPortal portal)
{
    [Fact]
    public async Task Ops_selects_fifty_orders_starts_a_batch_watches_it_reach_100_percent_and_downloads_the_merged_PDF()
    {
        // Fifty approved orders from the shop system, all for one receiver name so the list shows exactly them.
        var receiver = "批量" + Guid.NewGuid().ToString("N")[..6];
        using var api = portal.Factory.CreateApiClient();
        for (var i = 1; i <= 50; i++)
        {
            var orderNo = $"E2E-W{i:00}-{receiver[2..]}";
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = receiver, mobile = "13700001234", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
                lines = new[] { new { sku = $"SKU-{i % 5}", name = "龙井茶", quantity = 1, unitPrice = 99.0, weightKg = 0.5 } },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.True((await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).IsSuccessStatusCode);
        }

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/orders?status=Approved&q={Uri.EscapeDataString(receiver)}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid^=row-select-]').length === 50");
        await page.Locator("[data-testid=orders-select-page] input, input[data-testid=orders-select-page]").First.CheckAsync();
        await page.ClickAsync("[data-testid=orders-waybills]");

        var start = page.Locator("[data-testid=waybill-new-start]");
        await page.Locator("[data-testid=waybill-new-summary]").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("waybills-new-batch-en.png") });
        await start.ClickAsync();

        // Creating the batch writes fifty waybill rows and enqueues the job; on a busy two-core runner that can take
        // longer than a navigation usually does, so wait for either outcome and name a refusal if that is what came.
        await page.WaitForFunctionAsync("() => /\\/waybills\\/\\d+/.test(location.pathname) || document.querySelector('[data-testid=waybill-new-error]')",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var refused = page.Locator("[data-testid=waybill-new-error]");
        Assert.True(await refused.CountAsync() == 0, "the batch was refused: " + (await refused.CountAsync() == 0 ? "" : await refused.InnerTextAsync()));

        // The batch page follows the job without a reload until the bar is full.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=waybill-batch-progress]')?.getAttribute('data-percent') === '100'",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        await page.Locator("[data-testid=waybill-batch-pdf]").WaitForAsync();
        Assert.Contains("50", await page.Locator("[data-testid=waybill-batch-counts]").InnerTextAsync());
        // The product by its name, as the dialog offered it, not by the carrier's code.
        Assert.Matches(" · (Standard express|Express|Economy express) · ", await page.Locator("[data-testid=waybill-batch-summary]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("waybills-batch-done-en.png"), FullPage = true });

        // The merged PDF, as the browser fetches it for the print dialog (same cookie, inline).
        var href = await page.Locator("[data-testid=waybill-batch-pdf]").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"]);
        Assert.StartsWith("inline", response.Headers["content-disposition"]);
        var pdf = await response.BodyAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        await page.Context.CloseAsync();
    }
}
