using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Orders;

[Collection(BrowserPortal.Name)]
public class OrderFlowTests(BrowserPortal portal)
{
    private static string DemoImport(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir!.FullName, "wwwroot-assets", "demo-imports", name);
    }

    [Fact]
    public async Task Ops_imports_a_file_reads_its_errors_and_approves_ten_orders()
    {
        var page = await portal.SignInAsync("ops@demo.local");
        await page.ClickAsync("[data-testid=nav-Orders]");
        await page.ClickAsync("[data-testid=orders-import-link]");
        await page.Locator("[data-testid=import-upload]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await BrowserPortal.WaitForInteractiveAsync(page);

        await page.SetInputFilesAsync("[data-testid=import-upload]", DemoImport("orders-en-utf8.csv"));
        await page.Locator("[data-testid=import-preview]").WaitForAsync();
        await page.ClickAsync("[data-testid=import-start]");

        // The job runs in Hangfire; the page follows its progress until the six rejected rows are listed.
        var errors = page.Locator("[data-testid=import-error-row]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=import-error-row]').length === 6", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var errorText = string.Join("\n", await errors.AllInnerTextsAsync());
        foreach (var orderNo in new[] { "EN-1004", "EN-1005", "EN-1006", "EN-1007", "EN-1009" })
        {
            Assert.Contains(orderNo, errorText);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("order-import-errors-en.png"), FullPage = true });

        // Ten more orders arrive from the shop; newest first, they top the list of orders to review.
        var batch = Enumerable.Range(1, 10).Select(i => $"E2E-A{i:00}-{Guid.NewGuid().ToString("N")[..6]}").ToList();
        foreach (var orderNo in batch)
        {
            await CreateOrderAsync(orderNo, "13700001234", "陈一");
        }
        await page.GotoAsync("/orders?status=PendingReview");
        await BrowserPortal.WaitForInteractiveAsync(page);
        foreach (var orderNo in batch)
        {
            var box = page.Locator($"[data-testid=row-select-{orderNo}] input, input[data-testid=row-select-{orderNo}]").First;
            await box.CheckAsync();
        }
        await page.ClickAsync("[data-testid=orders-approve]");
        var message = page.Locator("[data-testid=orders-message]");
        await message.WaitForAsync();
        await page.WaitForFunctionAsync("() => /\\b10 changed, 0 refused/.test(document.querySelector('[data-testid=orders-message]').innerText)");
        foreach (var orderNo in batch)
        {
            using var api = portal.Factory.CreateApiClient();
            var json = await api.GetStringAsync($"/api/v1/orders/{orderNo}");
            Assert.Contains("\"Approved\"", json);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("orders-approved-en.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CustomerService_finds_an_order_by_the_last_four_digits_of_the_phone_and_sees_it_masked()
    {
        // A known order, pushed through the API like a shop system would.
        var orderNo = "E2E-" + Guid.NewGuid().ToString("N")[..8];
        await CreateOrderAsync(orderNo, "13988887361", "周晓明");

        var page = await portal.SignInAsync("cs@demo.local");
        await page.ClickAsync("[data-testid=nav-Lookup]");
        var search = page.Locator("input[data-testid=lookup-search], [data-testid=lookup-search] input").First;
        await search.WaitForAsync();
        await search.FillAsync("7361 周晓明");
        var card = page.Locator("[data-testid=lookup-card]", new PageLocatorOptions { HasText = orderNo });
        await card.WaitForAsync();
        var phone = await card.Locator("[data-testid=lookup-phone]").InnerTextAsync();
        Assert.Equal("139****7361", phone.Trim());
        Assert.DoesNotContain("13988887361", await page.ContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("lookup-cs-en.png") });
        await page.Context.CloseAsync();
    }

    private async Task CreateOrderAsync(string orderNo, string mobile, string name)
    {
        using var api = portal.Factory.CreateApiClient();
        var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name, mobile, province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
            lines = new[] { new { sku = "SKU-1", name = "龙井茶", quantity = 1, unitPrice = 99.0, weightKg = 0.5 } },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }
}
