using MerchantPortal.Carriers;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using CarrierScan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.EndToEnd.Monitoring;

[Collection(BrowserPortal.Name)]
public class ExceptionQueueTests(BrowserPortal portal)
{
    /// <summary>An order whose parcel is picked up and then fails delivery, through the real tracking writer.</summary>
    private async Task<(string OrderNo, string TrackingNo, long CaseId)> FailedDeliveryAsync(string phone)
    {
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        var now = DateTime.UtcNow;
        var orderNo = "E2E-EX-" + Guid.NewGuid().ToString("N")[..8];
        var trackingNo = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var order = new Order
            {
                OrderNo = orderNo, ReceiverName = "李雷", ReceiverPhone = phone, PhoneLast4 = phone[^4..], Province = "上海",
                CreatedAtUtc = now, UpdatedAtUtc = now, Status = OrderStatus.Shipped,
            };
            db.Add(order);
            await db.SaveChangesAsync();
            db.Add(new Shipment
            {
                OrderId = order.Id, CarrierAccountId = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
                ShipperCode = "ZTO", TrackingNo = trackingNo, Status = ShipmentStatus.Pending, CreatedAtUtc = now, Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        var ingest = portal.Factory.GetService<TrackingIngest>();
        var pickedUp = new CarrierScan(now.AddHours(-30), "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp);
        await ingest.IngestAsync([new TrackingSnapshot("ZTO", trackingNo, ShipmentStatus.PickedUp, "1", "1", "杭州市", null, [pickedUp])], TrackingSource.Push);
        var failed = new CarrierScan(now.AddHours(-1), "【上海市】派送不成功，收件人电话无人接听", "上海市", "416", ShipmentStatus.Exception);
        await ingest.IngestAsync([new TrackingSnapshot("ZTO", trackingNo, ShipmentStatus.Exception, "4", "416", "上海市", null, [pickedUp, failed])], TrackingSource.Push);
        await using var check = await dbFactory.CreateDbContextAsync();
        var caseId = await check.Set<ExceptionCase>().Where(c => c.TrackingNo == trackingNo && c.Type == ExceptionType.FailedDelivery).Select(c => c.Id).SingleAsync();
        return (orderNo, trackingNo, caseId);
    }

    /// <summary>
    /// A parcel silent at a hub for 30 hours whose prediction (as Tracking's predictor leaves it) lands after its promise,
    /// and the monitoring sweep that opens its "will miss the promise" case.
    /// </summary>
    private async Task<long> StuckAtHubAsync()
    {
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        var now = DateTime.UtcNow;
        var trackingNo = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var order = new Order
            {
                OrderNo = "E2E-WM-" + Guid.NewGuid().ToString("N")[..8], ReceiverName = "韩梅梅", ReceiverPhone = "13900139000", PhoneLast4 = "9000", Province = "北京",
                CreatedAtUtc = now, UpdatedAtUtc = now, Status = OrderStatus.Shipped, TotalAmount = 899m,
            };
            db.Add(order);
            await db.SaveChangesAsync();
            var shipment = new Shipment
            {
                OrderId = order.Id, CarrierAccountId = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
                ShipperCode = "ZTO", TrackingNo = trackingNo, Status = ShipmentStatus.InTransit, CreatedAtUtc = now.AddHours(-40), Version = Guid.NewGuid(),
                FirstScanAtUtc = now.AddHours(-40), LastEventAtUtc = now.AddHours(-30), StatusChangedAtUtc = now.AddHours(-30), PromisedByUtc = now.AddHours(30),
                PredictedDeliveryUtc = now.AddHours(40), PredictedEarliestUtc = now.AddHours(34), PredictedLatestUtc = now.AddHours(52), PredictedAtUtc = now,
                PredictedFromStage = DeliveryStage.InTransit,
            };
            db.Add(shipment);
            await db.SaveChangesAsync();
            foreach (var (hoursAgo, text) in new[] { (40, "【杭州市】快件已揽收"), (30, "【杭州转运中心】快件已到达杭州转运中心") })
            {
                var at = now.AddHours(-hoursAgo);
                db.Add(new MerchantPortal.Web.Features.Tracking.TrackingEvent
                {
                    ShipmentId = shipment.Id, TimeUtc = at, Description = text, Location = "杭州市", Status = ShipmentStatus.InTransit,
                    DedupeKey = MerchantPortal.Web.Features.Tracking.TrackingEvent.KeyOf(at, text),
                });
            }
            await db.SaveChangesAsync();
        }
        await portal.Factory.GetService<MonitoringScanJob>().RunAsync(CancellationToken.None);
        await using var check = await dbFactory.CreateDbContextAsync();
        return await check.Set<ExceptionCase>().Where(c => c.TrackingNo == trackingNo && c.Type == ExceptionType.WillMissPromise).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task The_queue_in_Chinese_is_sorted_by_urgency_and_shows_each_parcels_last_scans()
    {
        var phone = "1390000" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, _, caseId) = await FailedDeliveryAsync(phone);
        var willMiss = await StuckAtHubAsync();
        var page = await portal.SignInAsync("ops@demo.local", "zh-CN");

        await page.GotoAsync("/exceptions");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator($"[data-testid=case-scans-{caseId}]").WaitForAsync();

        Assert.Contains("派送不成功", await page.Locator($"[data-testid=case-scans-{caseId}]").InnerTextAsync());
        Assert.Contains("紧急程度", await page.Locator("[data-testid=exceptions-sort]").InnerTextAsync());
        Assert.Contains("派件异常", await page.Locator($"[data-testid=case-{caseId}]").InnerTextAsync());
        Assert.Contains("滞留在转运中心", await page.Locator($"[data-testid=case-{willMiss}]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("exceptions-queue-zh-CN.png"), FullPage = true });
    }

    [Fact]
    public async Task Ops_assigns_and_resolves_a_case_and_the_delivery_log_shows_the_SMS_that_was_sent()
    {
        var phone = "1390000" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, trackingNo, caseId) = await FailedDeliveryAsync(phone);
        var page = await portal.SignInAsync("ops@demo.local");

        await page.ClickAsync("[data-testid=nav-Exceptions]");
        await page.Locator($"[data-testid=case-{caseId}]").WaitForAsync();
        await page.Locator("[data-testid=chip-FailedDelivery]").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("exceptions-queue-en.png"), FullPage = true });

        await page.ClickAsync($"[data-testid=case-{caseId}] a");
        await page.WaitForURLAsync($"**/exceptions/{caseId}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=case-assign-me]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=case-assignee]').innerText.includes('ops@demo.local')");
        await page.FillAsync("[data-testid=case-action-text] textarea, textarea[data-testid=case-action-text]", "Customer reached, redelivery tomorrow 10:00");
        await page.ClickAsync("[data-testid=case-notify]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=case-notes]').innerText.includes('Customer notified')");
        // Resolving takes a reason code (the button is off until one is chosen).
        await page.ClickAsync("[data-testid=case-resolution-code]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Customer contacted')");
        await page.ClickAsync("[data-testid=case-resolve]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=case-status]').innerText.includes('Resolved')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("exceptions-case-resolved-en.png"), FullPage = true });

        // The dispatcher also runs every minute in Hangfire; running it here only makes the test not wait for it.
        await portal.Factory.GetService<NotificationDispatcher>().RunAsync(CancellationToken.None);
        await page.ClickAsync("[data-testid=nav-DeliveryLog]");
        await page.WaitForURLAsync("**/notifications/log");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.FillAsync("[data-testid=log-recipient] input, input[data-testid=log-recipient]", phone);
        await page.WaitForFunctionAsync(
            "([no]) => { const t = document.querySelector('[data-testid=log-table]'); return t && t.innerText.includes('配送遇到问题') && t.innerText.includes(no); }",
            new object[] { trackingNo });
        var log = await page.Locator("[data-testid=log-table]").InnerTextAsync();
        Assert.Contains(phone, log, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("delivery-log-en.png"), FullPage = true });
    }

    [Fact]
    public async Task Customer_service_reads_and_comments_on_a_case_but_has_no_actions()
    {
        var (_, _, caseId) = await FailedDeliveryAsync("13900005555");
        var page = await portal.SignInAsync("cs@demo.local");

        await page.GotoAsync($"/exceptions/{caseId}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.FillAsync("[data-testid=case-comment] textarea, textarea[data-testid=case-comment]", "Customer called, asked about the delivery");
        await page.ClickAsync("[data-testid=case-comment-add]");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=case-notes]').innerText.includes('Customer called')");

        Assert.Equal(0, await page.Locator("[data-testid=case-actions]").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid^=assign-me-]").CountAsync());
    }
}
