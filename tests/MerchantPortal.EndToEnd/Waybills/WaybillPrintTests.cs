using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Waybills;

[Collection(BrowserPortal.Name)]
public class WaybillPrintTests(BrowserPortal portal)
{
    // Wraps the iframe's contentWindow getter in the page (before portal.js runs) so that the first time portal.js
    // reaches the print frame's window, that window's print() is replaced by a recorder. The recorder notes what the
    // frame holds at that moment: its URL and document content type, i.e. whether the PDF itself was loaded into it.
    // A real print dialog cannot be driven in headless Chromium; what the portal controls ends at calling print().
    internal const string RecordPrintCalls = """
        (() => {
          window.__prints = [];
          window.__printErrors = [];
          const original = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
          Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
            configurable: true,
            get() {
              const frameWindow = original.get.call(this);
              if (frameWindow && !frameWindow.__printRecorded) {
                try {
                  frameWindow.__printRecorded = true;
                  frameWindow.print = () => window.__prints.push({
                    url: frameWindow.location.href,
                    contentType: frameWindow.document.contentType,
                    inDocument: document.body.contains(this),
                  });
                } catch (e) {
                  window.__printErrors.push(String(e));
                }
              }
              return frameWindow;
            },
          });
        })();
        """;

    [Fact]
    public async Task The_print_button_loads_the_merged_PDF_into_a_print_frame_and_opens_the_print_dialog()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var api = portal.Factory.CreateApiClient();
        var orderNos = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var orderNo = $"E2E-P{i}-{suffix}";
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = "打印" + suffix, mobile = "13700001234", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
                lines = new[] { new { sku = "SKU-1", name = "龙井茶", quantity = 1, unitPrice = 99.0, weightKg = 0.5 } },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.True((await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).IsSuccessStatusCode);
            orderNos.Add(orderNo);
        }
        var started = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var batchId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var page = await portal.SignInAsync("ops@demo.local");
        await page.AddInitScriptAsync(RecordPrintCalls);
        await page.GotoAsync($"/waybills/{batchId}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        // The print button shows once the batch has labels (the page follows the job).
        var print = page.Locator("[data-testid=waybill-batch-print]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=waybill-batch-progress]')?.getAttribute('data-percent') === '100'",
            null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await print.ClickAsync();

        await page.WaitForFunctionAsync("() => window.__prints.length > 0 || window.__printErrors.length > 0");
        var errors = await page.EvaluateAsync<string[]>("() => window.__printErrors");
        Assert.Empty(errors);
        var calls = await page.EvaluateAsync<JsonElement>("() => window.__prints");
        var call = Assert.Single(calls.EnumerateArray());
        Assert.EndsWith($"/waybills/batches/{batchId}/labels.pdf", call.GetProperty("url").GetString());
        Assert.Equal("application/pdf", call.GetProperty("contentType").GetString());
        Assert.True(call.GetProperty("inDocument").GetBoolean());
        // No fallback tab: print() was reached without an error.
        Assert.Single(page.Context.Pages);
        await page.Context.CloseAsync();
    }
}
