using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static MerchantPortal.Web.Tests.Infrastructure.GoldenPathSteps;

namespace MerchantPortal.EndToEnd.GoldenPath;

/// <summary>
/// The golden path in a real browser, in 简体中文, as the three roles walk it: Admin turns automatic waybills on; Ops
/// import the shop's file, approve, and open the automatic batch and its labels; the carrier network moves (the
/// sandbox's admin endpoints, over HTTP); customer service opens a return and books the pickup; the parcel comes back
/// and the refund is requested; the order reads 已退货 and its page tells the story. One screenshot per step in
/// docs/screenshots/golden-path-*.png. The portal is the test's own (it flips a global switch and moves the sandbox's
/// clock by days); the browser is the collection's.
/// </summary>
[Collection(BrowserPortal.Name)]
public sealed class GoldenPathTests(BrowserPortal browsers) : IAsyncLifetime
{
    private readonly PortalFactory portal = OwnPortal();

    public async Task InitializeAsync()
    {
        portal.Start();
        // Refunds are paid through the in-process WeChat Pay sandbox: processing, then its signed notification.
        await MerchantPortal.Web.Setup.PaymentSandboxSetup.ConnectAsync(portal.Services, "test", CancellationToken.None);
    }

    public async Task DisposeAsync() => await portal.DisposeAsync();

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath($"golden-path-{name}.png") });

    /// <summary>The page last signed in, for the failure message: where the path stopped and what it showed.</summary>
    private IPage? current;

    private async Task<IPage> SignInAsync(string email) =>
        current = await browsers.SignInAsync(email, "zh-CN", portal.BaseAddress);

    private async Task<IPage> OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BrowserPortal.WaitForInteractiveAsync(page);
        return page;
    }

    [Fact]
    public async Task A_shop_file_is_imported_approved_waybilled_shipped_signed_returned_by_pickup_and_refunded_and_the_order_page_tells_it_in_Chinese()
    {
        try
        {
            await WalkAsync();
        }
        catch (Exception ex) when (current is { IsClosed: false } page)
        {
            var shot = Path.Combine(Path.GetTempPath(), $"golden-path-failed-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            throw new Xunit.Sdk.XunitException($"The golden path stopped at {page.Url} (screenshot {shot}): {ex.Message}");
        }
    }

    private async Task WalkAsync()
    {
        using var api = portal.CreateApiClient();
        var (orderNos, receiver) = NewOrders(3);

        // Admin: approval issues the waybill (the switch on the waybills page).
        var admin = await SignInAsync("admin@demo.local");
        await OpenAsync(admin, "/waybills");
        await admin.ClickAsync("[data-testid=waybills-auto]");
        await Waits.ForAsync(() => api.GetFromJsonAsync<JsonElement>("/api/v1/settings/auto-waybills"), s => s.GetProperty("enabled").GetBoolean(),
            TimeSpan.FromSeconds(10), s => "the switch to be on: " + s);
        await admin.Context.CloseAsync();

        // Ops import the shop's export: the preview reads the Chinese headers, the job imports all three orders.
        var ops = await SignInAsync("ops@demo.local");
        await ops.GotoAsync("/orders/import");
        await ops.Locator("[data-testid=import-upload]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await BrowserPortal.WaitForInteractiveAsync(ops);
        await ops.SetInputFilesAsync("[data-testid=import-upload]", new FilePayload { Name = "天猫订单导出.csv", MimeType = "text/csv", Buffer = ShopExport(orderNos, receiver) });
        await ops.Locator("[data-testid=import-preview]").WaitForAsync();
        await ops.ClickAsync("[data-testid=import-start]");
        await ops.Locator("[data-testid=import-status]", new PageLocatorOptions { HasText = "已完成" }).WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains("导入 3 个订单", await ops.Locator("[data-testid=import-summary]").InnerTextAsync());
        await ShotAsync(ops, "01-import");

        // Ops approve them on the orders list.
        await OpenAsync(ops, $"/orders?status=PendingReview&q={Uri.EscapeDataString(receiver)}");
        foreach (var orderNo in orderNos)
        {
            await ops.Locator($"[data-testid=row-select-{orderNo}] input, input[data-testid=row-select-{orderNo}]").First.CheckAsync();
        }
        await ops.ClickAsync("[data-testid=orders-approve]");
        await ops.Locator("[data-testid=orders-message]", new PageLocatorOptions { HasText = "3 个已处理，0 个被拒绝" }).WaitForAsync();
        await ShotAsync(ops, "02-approve");

        // The automatic batch (one, for the approval) runs; Ops open it and its merged labels.
        await OpenAsync(ops, "/waybills");
        var batchRow = ops.Locator("[data-testid^=waybills-batch-]");
        await batchRow.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal(1, await batchRow.CountAsync());
        await batchRow.Locator("a").First.ClickAsync();
        await ops.WaitForURLAsync("**/waybills/*");
        await ops.WaitForFunctionAsync("() => document.querySelector('[data-testid=waybill-batch-progress]')?.getAttribute('data-percent') === '100'",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await ops.Locator("[data-testid=waybill-batch-pdf]").WaitForAsync();
        Assert.Contains("3", await ops.Locator("[data-testid=waybill-batch-counts]").InnerTextAsync());
        var labels = await ops.APIRequest.GetAsync((await ops.Locator("[data-testid=waybill-batch-pdf]").GetAttributeAsync("href"))!);
        Assert.Equal(200, labels.Status);
        Assert.StartsWith("application/pdf", labels.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("%PDF"u8.ToArray(), (await labels.BodyAsync())[..4]);
        await ShotAsync(ops, "03-waybills");
        var issued = await WaitForOrdersAsync(api, orderNos, s => s.All(x => x == "WaybillIssued"), "the batch's waybills on the orders");
        var numbers = issued.ToDictionary(o => o.Key, o => o.Value.GetProperty("order").GetProperty("trackingNo").GetString()!);

        // The carrier collects the parcels: 已发货 in the list, and the dashboard's 运输中 tile counts them.
        await AdvanceCarriersAsync(portal.BaseAddress, 10);
        await WaitForOrdersAsync(api, orderNos, s => s.All(x => x == "Shipped"), "the first scans");
        await OpenAsync(ops, $"/orders?status=Shipped&q={Uri.EscapeDataString(receiver)}");
        await ops.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=orders-row]')].filter(r => r.innerText.includes('已发货')).length === 3");
        await ShotAsync(ops, "04-shipped");
        await OpenAsync(ops, "/");
        var tile = ops.Locator("[data-testid=tile-InTransit]");
        await tile.WaitForAsync();
        Assert.Contains("运输中", await tile.InnerTextAsync());
        var inTransit = int.Parse((await tile.Locator("[data-testid=tile-count]").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(inTransit >= orderNos.Count, $"运输中 says {inTransit}");
        await ShotAsync(ops, "05-dashboard");
        await tile.ClickAsync();
        await ops.WaitForURLAsync("**/orders?status=Shipped");
        await BrowserPortal.WaitForInteractiveAsync(ops);
        await ops.Locator("[data-testid=orders-count]", new PageLocatorOptions { HasText = $"{inTransit} 个订单" }).WaitForAsync();
        foreach (var orderNo in orderNos)
        {
            await ops.Locator("[data-testid=orders-row]", new PageLocatorOptions { HasText = orderNo }).WaitForAsync();
        }

        // Days later the parcels are signed for (the sandbox draws each fate; one signed order is all the path needs).
        await AdvanceCarriersAsync(portal.BaseAddress, 24 * 8);
        var signed = await WaitForOrdersAsync(api, orderNos, s => s.Contains("Delivered"), "a signed parcel");
        var order = signed.First(o => Status(o.Value) == "Delivered").Key;
        await OpenAsync(ops, $"/orders?q={Uri.EscapeDataString(receiver)}");
        await ops.Locator("[data-testid=orders-row]", new PageLocatorOptions { HasText = order }).Filter(new LocatorFilterOptions { HasText = "已签收" }).WaitForAsync();
        await ShotAsync(ops, "06-signed");
        await ops.Context.CloseAsync();

        // Customer service opens a return of one tin from the order page and books the courier at the customer's door.
        var cs = await SignInAsync("cs@demo.local");
        await OpenAsync(cs, $"/orders/{order}");
        await cs.ClickAsync("[data-testid=order-create-return]");
        var quantity = cs.Locator("input[data-testid=create-return-qty-1], [data-testid=create-return-qty-1] input").First;
        await quantity.FillAsync("1");
        await quantity.PressAsync("Tab");
        await cs.Locator("[data-testid=create-return-amount]", new PageLocatorOptions { HasText = "128" }).WaitForAsync();
        await ShotAsync(cs, "07-return");
        await cs.ClickAsync("[data-testid=create-return-save]");
        var returnStatus = cs.Locator("[data-testid=return-status]");
        await returnStatus.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await BrowserPortal.WaitForInteractiveAsync(cs);
        Assert.Equal("已批准", (await returnStatus.InnerTextAsync()).Trim());
        var returnPath = new Uri(cs.Url).AbsolutePath;
        await cs.ClickAsync("[data-testid=return-book-pickup]");
        await cs.Locator("[data-testid=book-pickup-order-address]").WaitForAsync();
        // SF: the sandbox's premium mix loses or refuses about one return parcel in 40 on this lane, the default account's one in 20.
        await cs.ClickAsync("[data-testid=book-pickup-carrier]");
        await cs.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "· 顺丰速运" }).ClickAsync();
        await cs.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await cs.ClickAsync("[data-testid=book-pickup-save]");
        await cs.Locator("[data-testid=pickup-code]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal("已预约取件", (await returnStatus.InnerTextAsync()).Trim());
        await cs.Locator("[data-testid=return-shipment]").WaitForAsync();
        var returnLink = cs.Locator("[data-testid=return-shipment] a").First;
        var returnParcel = (await returnLink.InnerTextAsync()).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The carrier by name, its code as the tooltip.
        Assert.Equal(("顺丰速运", "SF"), (returnParcel[0], await returnLink.Locator(".carrier-name").GetAttributeAsync("title")));
        var returnNo = returnParcel[^1];
        await ShotAsync(cs, "08-pickup");

        // The courier collects it, it reaches the warehouse, and the refund is paid and confirmed by the payment sandbox.
        await AdvanceCarriersAsync(portal.BaseAddress, 24 * 8);
        var returnApi = "/api/v1" + returnPath;
        await Waits.ForAsync(() => api.GetFromJsonAsync<JsonElement>(returnApi),
            r => r.GetProperty("refunds").EnumerateArray().Any(f => f.GetProperty("status").GetString() == "Succeeded"),
            TimeSpan.FromSeconds(60), r => $"the refund; return {r.GetProperty("status")}, parcel {r.GetProperty("shipment")}");
        await OpenAsync(cs, returnPath);
        await cs.Locator("[data-testid=return-refund]", new PageLocatorOptions { HasText = "退款成功" }).WaitForAsync();
        Assert.Contains("128", await cs.Locator("[data-testid=return-refund]").InnerTextAsync());
        await ShotAsync(cs, "09-refund");

        // The order reads 已退货 and its page tells the story: waybill, scans that shipped and signed it, the return
        // whose parcel came back (pickup), refunded.
        await WaitForOrdersAsync(api, [order], s => s.Single() == "Returned", "the order to read Returned");
        await OpenAsync(cs, $"/orders/{order}");
        Assert.Equal("已退货", (await cs.Locator("[data-testid=order-status]").InnerTextAsync()).Trim());
        var story = await cs.Locator("[data-testid=order-story]").InnerTextAsync();
        foreach (var step in new[] { "导入订单", "已审核", "已出面单（批次", "快递扫描", "订单状态：已发货", "订单状态：已签收", "发起退货", "已预约上门取件", "退货包裹扫描", "仓库已收到退货", "已申请退款", "订单状态：已退货", numbers[order], returnNo })
        {
            Assert.Contains(step, story, StringComparison.Ordinal);
        }
        Assert.Contains(numbers[order], await cs.Locator("[data-testid=order-waybills]").InnerTextAsync(), StringComparison.Ordinal);
        var parcels = await cs.Locator("[data-testid=order-shipments]").InnerTextAsync();
        Assert.Contains(numbers[order], parcels, StringComparison.Ordinal);
        Assert.Contains(returnNo, parcels, StringComparison.Ordinal);
        Assert.Contains("已退款", await cs.Locator("[data-testid=order-returns]").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(cs, "10-returned");
        await cs.Context.CloseAsync();
    }
}
