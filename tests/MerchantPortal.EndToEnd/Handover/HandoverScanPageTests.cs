using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Handover;

[Collection(BrowserPortal.Name)]
public class HandoverScanPageTests(BrowserPortal portal)
{
    // Counts the page's error tones (the sound module announces each one), so the test hears what the packer hears.
    private const string CountTones = "window.__tones = 0; document.addEventListener('handover-error-tone', () => window.__tones++);";

    /// <summary>
    /// Three waybills of the day, two of carrier A (百世, HTKY: no other browser test issues it) and one of carrier B
    /// (极兔, JTSD). On /handover a pickup for A is opened from the day's list, and the wedge scanner types the first A
    /// parcel and the B parcel with Enter into the always-focused field: 1 of 2 scanned, the other A parcel missing, the
    /// B parcel flagged as another carrier with its name; the first parcel again is flagged as a duplicate, each flag
    /// with the error tone; the handover list prints as a PDF.
    /// </summary>
    [Fact]
    public async Task A_wedge_scanner_puts_a_parcel_on_the_pickup_and_the_page_flags_the_missing_the_foreign_and_the_doubled_parcel()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var api = portal.Factory.CreateApiClient();
        var a = await IssueAsync(api, "HTKY", 2, suffix);
        var b = await IssueAsync(api, "JTSD", 1, suffix);

        var page = await portal.SignInAsync("ops@demo.local");
        await page.AddInitScriptAsync(CountTones);
        await page.GotoAsync("/waybills/handover?carrier=HTKY");
        await BrowserPortal.WaitForInteractiveAsync(page);
        // The day's list is what is expected; its carrier links to the scans.
        await page.ClickAsync("[data-testid=handover-scan-HTKY]");
        await page.WaitForURLAsync(url => url.Contains("/handover?", StringComparison.Ordinal) && url.Contains("carrier=HTKY", StringComparison.Ordinal));
        await page.ClickAsync("[data-testid=handover-open]");
        var scan = page.Locator("[data-testid=handover-scan]");
        await scan.WaitForAsync();
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset.testid === 'handover-scan'");
        Assert.Equal("0", await page.InnerTextAsync("[data-testid=handover-scanned]"));
        Assert.Equal("2", await page.InnerTextAsync("[data-testid=handover-expected]"));

        // As a wedge scanner: keystrokes into whatever has the focus, then Enter.
        await page.Keyboard.TypeAsync(a[0] + "\n");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=handover-scanned]')?.innerText === '1'");
        await page.Keyboard.TypeAsync(b[0] + "\n");
        var foreign = page.Locator($"[data-testid=handover-flag][data-code='{b[0]}']");
        await foreign.WaitForAsync();

        Assert.Equal("OtherCarrier", await foreign.GetAttributeAsync("data-outcome"));
        Assert.Contains("J&T Express", await foreign.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await page.InnerTextAsync("[data-testid=handover-scanned]"));
        Assert.Equal("2", await page.InnerTextAsync("[data-testid=handover-expected]"));
        Assert.Equal([a[1]], await page.Locator("[data-testid=handover-missing-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tracking)"));
        Assert.Equal([a[0]], await page.Locator("[data-testid=handover-accepted-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.tracking)"));

        await page.Keyboard.TypeAsync(a[0] + "\n");
        var doubled = page.Locator($"[data-testid=handover-flag][data-code='{a[0]}']");
        await doubled.WaitForAsync();
        Assert.Equal("Duplicate", await doubled.GetAttributeAsync("data-outcome"));
        Assert.Equal("1", await page.InnerTextAsync("[data-testid=handover-scanned]"));
        await page.WaitForFunctionAsync("() => window.__tones === 2");
        // The field is empty again and keeps the focus for the next parcel.
        Assert.Equal("", await scan.InputValueAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.dataset.testid === 'handover-scan'"));

        var href = await page.GetAttributeAsync("[data-testid=handover-print]", "href");
        var pdf = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"], StringComparison.Ordinal);

        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("handover-en.png"), FullPage = true });

        var id = await page.GetAttributeAsync("[data-testid=handover-current]", "data-id");
        var zh = await portal.SignInAsync("ops@demo.local", "zh-CN");
        await zh.GotoAsync($"/handover?id={id}");
        await BrowserPortal.WaitForInteractiveAsync(zh);
        await zh.Locator("[data-testid=handover-flag]").First.WaitForAsync();
        Assert.Contains("极兔速递", await zh.InnerTextAsync($"[data-testid=handover-flag][data-code='{b[0]}']"), StringComparison.Ordinal);
        await zh.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("handover-zh-CN.png"), FullPage = true });
        await zh.Context.CloseAsync();

        // Closed: the field goes, the counts stay, and the list still prints.
        await page.ClickAsync("[data-testid=handover-close]");
        await page.Locator("[data-testid=handover-closed]").WaitForAsync();
        Assert.Equal(0, await scan.CountAsync());
        Assert.Equal("1", await page.InnerTextAsync("[data-testid=handover-scanned]"));
        Assert.Equal(200, (await page.Context.APIRequest.GetAsync(href!)).Status);
        await page.Context.CloseAsync();
    }

    /// <summary>Issues waybills of one carrier for new approved orders through a sandbox account of that carrier; answers their numbers.</summary>
    private async Task<string[]> IssueAsync(HttpClient api, string carrier, int count, string suffix)
    {
        var account = await portal.Factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput($"e2e handover {carrier} {suffix}", CarrierEnvironment.Sandbox, null, "test1617571", "sandbox-appkey-0001-demo", carrier,
                "acct", "pwd", "7550001", null, null), "e2e");
        var orderNos = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var orderNo = $"E2E-H{carrier}{i}-{suffix}";
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = "交接" + suffix, mobile = "13700001234", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
                lines = new[] { new { sku = "SKU-1", name = "龙井茶", quantity = 1, unitPrice = 99.0, weightKg = 0.5 } },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.True((await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).IsSuccessStatusCode);
            orderNos.Add(orderNo);
        }
        var started = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos, carrierAccountId = account.Id });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var batchId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var batch = await api.GetFromJsonAsync<JsonElement>($"/api/v1/waybill-batches/{batchId}", timeout.Token);
            var numbers = batch.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()).OfType<string>().ToArray();
            if (numbers.Length == count)
            {
                return [.. orderNos.Select(o => batch.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("orderNo").GetString() == o).GetProperty("trackingNo").GetString()!)];
            }
            Assert.False(batch.GetProperty("status").GetString() is "Completed" or "CompletedWithErrors" or "Cancelled", $"batch {batchId} ended without {count} waybills: {batch}");
            await Task.Delay(250, timeout.Token);
        }
    }
}
