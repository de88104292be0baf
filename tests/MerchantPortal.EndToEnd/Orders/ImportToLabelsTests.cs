using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.EndToEnd.Waybills;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Orders;

[Collection(BrowserPortal.Name)]
public class ImportToLabelsTests(BrowserPortal portal)
{
    /// <summary>
    /// A JD export as the console writes it (GBK, one row per item, no weights) whose SKUs are in the catalogue: uploaded on
    /// the import page in Chinese, it is read by its built-in template with no mapping, its orders take their weights from
    /// the catalogue and keep their payment time, and approving them leads to a batch whose labels print: no manual fix.
    /// </summary>
    [Fact]
    public async Task An_imported_JD_export_whose_SKUs_are_catalogued_goes_from_the_import_page_to_printed_labels_without_a_fix()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var id = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var receiver = "导入" + id;
        using var api = portal.Factory.CreateApiClient();
        foreach (var (sku, name, weight) in new[] { ($"TEA-{id}", "西湖龙井 250g 礼盒", 0.6m), ($"CUP-{id}", "玻璃茶杯 两只装", 0.45m) })
        {
            var saved = await api.PostAsJsonAsync("/api/v1/catalogue/skus", new { sku, name, barcode = "69" + id + sku.Length, weightKg = weight });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }
        var header = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "demo-imports", "platforms", "jd-orders-gbk.csv"),
            Encoding.GetEncoding("GB18030")).First();
        string Row(string orderNo, string productId, string item, int qty, string price, string total, string sku) =>
            $"{orderNo},{productId},{item},{qty},在线支付,2026-12-06 09:20:10,{price},{total},{total},0.00,{total},等待出库,销售订单,jd_{id},{receiver},江苏南京市鼓楼区中山北路 30 号,13900006666,,电子发票,个人,商品明细,,,0.00,2026-12-06 09:20:30,,{sku},,移动端订单,暂无来源";
        var orderNos = new[] { $"JD{id}1", $"JD{id}2" };
        var file = Path.Combine(Path.GetTempPath(), $"jd-export-{id}.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            header,
            Row(orderNos[0], "100012345601", "茶语 西湖龙井 250g 礼盒", 1, "128.00", "167.90", $"TEA-{id}"),
            Row(orderNos[0], "100012345602", "茶语 玻璃茶杯 两只装", 1, "39.90", "167.90", $"CUP-{id}"),
            Row(orderNos[1], "100012345601", "茶语 西湖龙井 250g 礼盒", 2, "128.00", "256.00", $"TEA-{id}")) + "\r\n", Encoding.GetEncoding("GB18030"));

        var page = await portal.SignInAsync("ops@demo.local", "zh-CN");
        await page.AddInitScriptAsync(WaybillPrintTests.RecordPrintCalls);
        await page.GotoAsync("/orders/import");
        await page.Locator("[data-testid=import-upload]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.SetInputFilesAsync("[data-testid=import-upload]", file);
        // Recognised by its headers: the built-in template, nothing to map.
        var template = page.Locator("[data-testid=import-template]");
        await template.WaitForAsync();
        Assert.Contains("京东 订单导出", await template.InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=import-start]");
        await page.WaitForFunctionAsync("() => /导入 2 个订单/.test(document.querySelector('[data-testid=import-summary]')?.innerText ?? '')", null,
            new PageWaitForFunctionOptions { Timeout = 60_000 });

        // Weights from the catalogue (0.6 + 0.45 and 2 × 0.6); the export's payment time kept (09:20:30 Beijing).
        var first = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNos[0]}");
        Assert.Equal(1.05m, first.GetProperty("totalWeightKg").GetDecimal());
        Assert.Equal(new DateTime(2026, 12, 6, 1, 20, 30), first.GetProperty("order").GetProperty("paidAtUtc").GetDateTime());
        var second = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNos[1]}");
        Assert.Equal(1.2m, second.GetProperty("totalWeightKg").GetDecimal());

        // Review and approve on the list, take the offered batch, print its labels.
        await page.GotoAsync($"/orders?status=PendingReview&q={Uri.EscapeDataString(receiver)}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid^=row-select-]').length === 2");
        await page.Locator("[data-testid=orders-select-page] input, input[data-testid=orders-select-page]").First.CheckAsync();
        await page.ClickAsync("[data-testid=orders-approve]");
        await page.ClickAsync("[data-testid=waybills-offer-create]");
        await page.Locator("[data-testid=waybill-new-orders]").WaitForAsync();
        await page.ClickAsync("[data-testid=waybill-new-start]");
        await page.WaitForFunctionAsync("() => /\\/waybills\\/\\d+/.test(location.pathname) || document.querySelector('[data-testid=waybill-new-error]')",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        Assert.Equal(0, await page.Locator("[data-testid=waybill-new-error]").CountAsync());
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=waybill-batch-progress]')?.getAttribute('data-percent') === '100'",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await page.ClickAsync("[data-testid=waybill-batch-print]");
        await page.WaitForFunctionAsync("() => window.__prints.length > 0 || window.__printErrors.length > 0");
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__printErrors"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("import-to-labels-zh-CN.png"), FullPage = true });

        // Both orders got their waybill: nothing was skipped for a missing weight or address.
        foreach (var orderNo in orderNos)
        {
            var order = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");
            Assert.Equal("WaybillIssued", order.GetProperty("order").GetProperty("status").GetString());
        }
        await page.Context.CloseAsync();
        File.Delete(file);
    }
}
