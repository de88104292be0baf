using System.Net.Http.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Waybills;

[Collection(BrowserPortal.Name)]
public class ApproveThenWaybillsTests(BrowserPortal portal)
{
    [Fact]
    public async Task Ops_approves_three_orders_and_one_click_on_the_offered_next_step_opens_their_waybill_batch_which_ends_offering_the_handover_list()
    {
        // Three orders waiting for review, all for one receiver name so the list shows exactly them.
        var receiver = "一键" + Guid.NewGuid().ToString("N")[..6];
        var orderNos = Enumerable.Range(1, 3).Select(i => $"E2E-A{i}-{receiver[2..]}").ToList();
        await CreateAsync(orderNos, receiver);

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/orders?status=PendingReview&q={Uri.EscapeDataString(receiver)}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid^=row-select-]').length === 3");
        await page.Locator("[data-testid=orders-select-page] input, input[data-testid=orders-select-page]").First.CheckAsync();
        await page.ClickAsync("[data-testid=orders-approve]");

        // The approved orders leave the "to review" list; the page offers their waybills instead.
        var offer = page.Locator("[data-testid=waybills-offer-create]");
        await offer.WaitForAsync();
        Assert.Contains("3", await offer.InnerTextAsync());
        await offer.ClickAsync();

        var listed = page.Locator("[data-testid=waybill-new-orders]");
        await listed.WaitForAsync();
        var text = await listed.InnerTextAsync();
        Assert.All(orderNos, o => Assert.Contains(o, text));
        Assert.Contains("3", await page.Locator("[data-testid=waybill-new-summary]").InnerTextAsync());
        await page.ClickAsync("[data-testid=waybill-new-start]");

        await page.WaitForFunctionAsync("() => /\\/waybills\\/\\d+/.test(location.pathname) || document.querySelector('[data-testid=waybill-new-error]')",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var refused = page.Locator("[data-testid=waybill-new-error]");
        Assert.True(await refused.CountAsync() == 0, "the batch was refused: " + (await refused.CountAsync() == 0 ? "" : await refused.InnerTextAsync()));

        // Done, the batch page offers the next steps: its labels and its carrier's handover list of the day.
        var handover = page.Locator("[data-testid=waybill-batch-next-handover]");
        await handover.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await page.Locator("[data-testid=waybill-batch-next-print]").WaitForAsync();
        Assert.Matches(@"^/waybills/handover\?day=\d{4}-\d{2}-\d{2}&carrier=[A-Z]+$", await handover.GetAttributeAsync("href"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approving_one_order_on_its_page_offers_its_waybill_and_the_dialog_is_for_that_order()
    {
        var receiver = "单个" + Guid.NewGuid().ToString("N")[..6];
        var orderNo = $"E2E-A-{receiver[2..]}";
        await CreateAsync([orderNo], receiver);

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/orders/{orderNo}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=order-approve]");
        await page.ClickAsync("[data-testid=waybills-offer-create]");

        var listed = page.Locator("[data-testid=waybill-new-orders]");
        await listed.WaitForAsync();
        Assert.Contains(orderNo, await listed.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>Orders from the shop system, waiting for review.</summary>
    private async Task CreateAsync(IEnumerable<string> orderNos, string receiver)
    {
        using var api = portal.Factory.CreateApiClient();
        foreach (var orderNo in orderNos)
        {
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = receiver, mobile = "13700001234", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
                lines = new[] { new { sku = "SKU-1", name = "龙井茶", quantity = 1, unitPrice = 99.0, weightKg = 0.5 } },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
    }
}
