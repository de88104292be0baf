using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Tracking;

/// <summary>
/// The expected delivery date in a browser, in both languages: the customer's /track page, the order page and the
/// customer-service lookup answer. The prediction is the portal's own, made at the pushed scans; the carrier sandbox
/// may push the parcel's simulated journey meanwhile and the prediction then moves, so each page is compared with the
/// prediction the database holds when it is read (and read again if it moved in between).
/// </summary>
[Collection(BrowserPortal.Name)]
public class DeliveryEstimateTests(BrowserPortal portal)
{
    private const string EBusinessId = "test1617571";
    private const string AppKey = "sandbox-appkey-0001-demo";

    [Fact]
    public async Task Track_the_order_page_and_the_lookup_answer_show_the_expected_date_in_both_languages()
    {
        var (orderNo, trackingNo) = await ShippedOrderAsync("13600007316");
        Assert.NotNull(await WindowAsync(trackingNo));

        foreach (var (locale, suffix) in new[] { ("en-US", "en"), ("zh-CN", "zh-CN") })
        {
            var culture = CultureInfo.GetCultureInfo(locale);

            // The customer: /track, the day and the window, nothing about how it was predicted.
            var track = await portal.NewPageAsync(locale);
            await track.SetViewportSizeAsync(390, 844);
            await ShowsAsync(trackingNo, async () =>
            {
                await track.GotoAsync("/track");
                await track.FillAsync("[data-testid=track-no]", trackingNo);
                await track.FillAsync("[data-testid=track-phone]", "7316");
                await track.ClickAsync("[data-testid=track-submit]");
                var shown = track.Locator("[data-testid=track-expected]");
                await shown.WaitForAsync();
                return (await shown.InnerTextAsync()).Trim();
            }, (text, window) => text == DeliveryDateWords.ForCustomer(window, culture) && text.Contains(DeliveryDateWords.Day(window.Expected, culture), StringComparison.Ordinal));
            await track.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath($"delivery-estimate-track-{suffix}.png"), FullPage = true });
            await track.Context.CloseAsync();

            // Staff: the order page names the date beside the parcel.
            var page = await portal.SignInAsync("cs@demo.local", locale);
            await ShowsAsync(trackingNo, async () =>
            {
                await page.GotoAsync($"/orders/{orderNo}");
                await BrowserPortal.WaitForInteractiveAsync(page);
                var shown = page.Locator("[data-testid=order-shipment-expected]");
                await shown.WaitForAsync();
                return await shown.InnerTextAsync();
            }, (text, window) => text.Contains(DeliveryDateWords.Day(window.Expected, culture), StringComparison.Ordinal));
            await page.Locator("[data-testid=order-shipments]").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath($"delivery-estimate-order-{suffix}.png") });

            // Customer service: the answer to copy carries the date in the reader's language.
            await ShowsAsync(trackingNo, async () =>
            {
                await page.GotoAsync($"/lookup?q={orderNo}");
                await BrowserPortal.WaitForInteractiveAsync(page);
                var answer = page.Locator("[data-testid=lookup-answer]");
                await answer.WaitForAsync();
                return await answer.InnerTextAsync() + "\n" + await page.Locator("[data-testid=lookup-expected]").InnerTextAsync();
            }, (text, window) => text.Contains(DeliveryDateWords.Day(window.Expected, culture), StringComparison.Ordinal)
                && text.Contains(locale == "en-US" ? "is expected" : "预计", StringComparison.Ordinal));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath($"delivery-estimate-lookup-{suffix}.png") });
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Reads a page until what it shows agrees with the prediction the database holds before and after the read: a
    /// push re-predicting in between is read again, a page that disagrees with a settled prediction fails.
    /// </summary>
    private async Task ShowsAsync(string trackingNo, Func<Task<string>> read, Func<string, DeliveryWindow, bool> agrees)
    {
        var attempts = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = await WindowAsync(trackingNo);
            var text = await read();
            var after = await WindowAsync(trackingNo);
            Assert.NotNull(after);
            if (agrees(text, after))
            {
                return;
            }
            attempts.Add($"{text} (database: {after})");
            if (before == after)
            {
                break;
            }
        }
        Assert.Fail("The page does not show the prediction: " + string.Join(" | ", attempts));
    }

    private async Task<DeliveryWindow?> WindowAsync(string trackingNo)
    {
        var dbFactory = portal.Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var s = await db.Set<Shipment>().AsNoTracking().SingleAsync(x => x.TrackingNo == trackingNo);
        return s is { PredictedDeliveryUtc: { } e, PredictedEarliestUtc: { } lo, PredictedLatestUtc: { } hi } ? new DeliveryWindow(e, lo, hi) : null;
    }

    private async Task<(string OrderNo, string TrackingNo)> ShippedOrderAsync(string phone)
    {
        var orderNo = "E2E-EST-" + Guid.NewGuid().ToString("N")[..6];
        var trackingNo = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(CultureInfo.InvariantCulture);
        using var api = portal.Factory.CreateApiClient();
        (await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = "李雷", mobile = phone, province = "北京", city = "北京市", district = "朝阳区", address = "建国路 1 号", postcode = "100020" },
            lines = new[] { new { sku = "SKU-T", name = "茶具", quantity = 1, unitPrice = 88.0m, weightKg = 1.2m } },
        })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo, shipperCode = "ZTO", trackingNo })).EnsureSuccessStatusCode();
        var today = DateTime.UtcNow.AddHours(8).Date;
        string T(int daysAgo, int hour) => today.AddDays(-daysAgo).AddHours(hour).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var requestData = JsonSerializer.Serialize(new
        {
            EBusinessID = EBusinessId,
            PushTime = "2026-11-28 10:00:00",
            Count = "1",
            Data = new[]
            {
                new
                {
                    EBusinessID = EBusinessId, ShipperCode = "ZTO", LogisticCode = trackingNo, Success = true, State = "2", StateEx = "2", Location = "上海市",
                    Traces = new object[]
                    {
                        new { AcceptTime = T(1, 17), AcceptStation = "【上海市】【上海浦东营业部】已揽收", Location = "上海市", Action = "1" },
                        new { AcceptTime = T(0, 2), AcceptStation = "【上海市】快件已从【上海转运中心】发出,准备发往【北京转运中心】", Location = "上海市", Action = "2" },
                    },
                },
            },
        });
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = requestData,
            ["RequestType"] = "102",
            ["DataSign"] = KdniaoSigner.Sign(requestData, AppKey),
        });
        (await client.PostAsync(TrackingEndpoints.PushPath, form)).EnsureSuccessStatusCode();
        return (orderNo, trackingNo);
    }
}
