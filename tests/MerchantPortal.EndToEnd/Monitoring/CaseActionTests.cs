using System.Net.Http.Json;
using MerchantPortal.Carriers;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using CarrierScan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.EndToEnd.Monitoring;

[Collection(BrowserPortal.Name)]
public class CaseActionTests(BrowserPortal portal)
{
    /// <summary>A shipped order with two lines whose parcel the customer refused (404), through the real tracking writer.</summary>
    private async Task<(string OrderNo, long CaseId)> RejectedParcelAsync()
    {
        var orderNo = "E2E-CA-" + Guid.NewGuid().ToString("N")[..8];
        using (var api = portal.Factory.CreateApiClient())
        {
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = "周晓明", mobile = "13988887361", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
                lines = new[]
                {
                    new { sku = "SKU-1", name = "龙井茶", quantity = 2, unitPrice = 99.0, weightKg = 0.5 },
                    new { sku = "SKU-2", name = "茶杯", quantity = 1, unitPrice = 30.0, weightKg = 0.2 },
                },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        var trackingNo = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTime.UtcNow;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var order = await db.Set<Order>().SingleAsync(o => o.OrderNo == orderNo);
            order.Status = OrderStatus.Shipped;
            db.Add(new Shipment
            {
                OrderId = order.Id, CarrierAccountId = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
                ShipperCode = "ZTO", TrackingNo = trackingNo, Status = ShipmentStatus.Pending, CreatedAtUtc = now, Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        var ingest = portal.Factory.GetService<TrackingIngest>();
        var pickedUp = new CarrierScan(now.AddHours(-30), "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp);
        var refused = new CarrierScan(now.AddHours(-1), "【杭州市】收件人拒收", "杭州市", "404", ShipmentStatus.Exception);
        await ingest.IngestAsync([new TrackingSnapshot("ZTO", trackingNo, ShipmentStatus.Exception, "4", "404", "杭州市", null, [pickedUp, refused])], TrackingSource.Push);
        await using var check = await dbFactory.CreateDbContextAsync();
        var caseId = await check.Set<ExceptionCase>().Where(c => c.TrackingNo == trackingNo && c.Type == ExceptionType.Rejected).Select(c => c.Id).SingleAsync();
        return (orderNo, caseId);
    }

    [Fact]
    public async Task Ops_starts_a_return_and_a_reship_from_a_case_and_both_are_linked_on_it()
    {
        var (orderNo, caseId) = await RejectedParcelAsync();
        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/exceptions/{caseId}");
        await BrowserPortal.WaitForInteractiveAsync(page);

        // The order page's dialog, every returnable quantity prefilled.
        await page.ClickAsync("[data-testid=case-return]");
        var quantity = page.Locator("input[data-testid=create-return-qty-1], [data-testid=create-return-qty-1] input").First;
        await quantity.WaitForAsync();
        Assert.Equal("2", await quantity.InputValueAsync());
        await page.WaitForFunctionAsync("() => /228/.test(document.querySelector('[data-testid=create-return-amount]').innerText)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("exceptions-case-start-return-en.png") });
        await page.ClickAsync("[data-testid=create-return-save]");
        await page.Locator("[data-testid=case-started-return] a").WaitForAsync();

        await page.ClickAsync("[data-testid=case-reship]");
        await page.Locator("[data-testid=case-reship-order] a").WaitForAsync();
        Assert.Equal(orderNo + "-R1", (await page.Locator("[data-testid=case-reship-order] a").InnerTextAsync()).Trim());
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=case-notes]').innerText.includes('RMA')");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("exceptions-case-return-and-reship-en.png"), FullPage = true });

        var rma = (await page.Locator("[data-testid=case-started-return] a").InnerTextAsync()).Trim();
        await page.ClickAsync("[data-testid=case-started-return] a");
        await page.WaitForURLAsync("**/returns/*");
        await BrowserPortal.WaitForInteractiveAsync(page);
        Assert.Contains(rma, await page.ContentAsync(), StringComparison.Ordinal);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var ret = await db.Set<ReturnRequest>().Include(r => r.Lines).SingleAsync(r => r.RmaNo == rma);
        Assert.Equal(3, ret.Lines.Sum(l => l.Quantity));
        await page.Context.CloseAsync();
    }
}
