using System.Net;
using System.Text;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Kpis;

/// <summary>
/// The reconciliation page in a real browser: a bill with every kind of discrepancy (the Web tests' fixture,
/// numbers prefixed E2EF-) is posted to the API, reconciled by the portal's own Hangfire server, and its report
/// is read and photographed in English and Chinese (docs/screenshots/freight-bill-*.png).
/// </summary>
[Collection(BrowserPortal.Name)]
public class FreightPageTests(BrowserPortal portal)
{
    private const string Bill = "\uFEFF运单号,计费重量(kg),金额(元)\r\nE2EF-001,1.5,14.00\r\nE2EF-002,2.4,14.00\r\nE2EF-003,2.0,20.00\r\nE2EF-004,1.0,8.00\r\n,1.0,9.00\r\nE2EF-004,1.0,8.00\r\nXX-NOT-OURS-1,1.2,12.00\r\nE2EF-009,abc,10.00\r\n";

    [Fact]
    public async Task The_reconciliation_page_lists_every_discrepancy_with_totals_in_English_and_Chinese()
    {
        var account = await SeedAsync();
        using var api = portal.Factory.CreateApiClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(Bill)), "file", "freight-bill-zh.csv" },
            { new StringContent(account.ToString(System.Globalization.CultureInfo.InvariantCulture)), "carrierAccountId" },
            { new StringContent("2031-03-01"), "periodFrom" },
            { new StringContent("2031-03-31"), "periodTo" },
        };
        var response = await api.PostAsync("/api/v1/freight/bill-imports", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = response.Headers.Location!.ToString().Split('/')[^1];

        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync($"/kpis/freight/bills/{id}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        // The page polls the bill once a second until the portal's job has reconciled it.
        await page.Locator("[data-testid=bill-discrepancies]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Equal(5, await page.Locator("[data-testid=bill-discrepancy-row]").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=bill-error-row]").CountAsync());
        Assert.Contains("Overcharged weight", await page.Locator("[data-testid=bill-totals]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("freight-bill-en.png"), FullPage = true });

        await page.ClickAsync("[data-testid=language-menu] summary");
        await page.ClickAsync("[data-testid=lang-zh]");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-CN'");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=bill-discrepancies]").WaitForAsync();
        Assert.Contains("计费重量多收", await page.Locator("[data-testid=bill-totals]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("freight-bill-zh-CN.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    private async Task<int> SeedAsync()
    {
        var factory = portal.Factory;
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var account = new CarrierAccount
        {
            Name = "对账演示",
            EBusinessId = "test",
            AppKeyProtected = "unused",
            ShipperCode = "E2EF",
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            Version = Guid.NewGuid(),
            IsDisabled = true,
        };
        db.Add(account);
        await db.SaveChangesAsync();
        foreach (var (suffix, weight, province, day) in new[] { ("001", 1.2m, "浙江省", 5), ("002", 0.8m, "广东省", 6), ("003", 2.0m, "北京市", 7), ("004", 1.0m, "广东省", 8), ("005", 3.0m, "浙江省", 9), ("009", 1.0m, "浙江省", 10) })
        {
            var issued = new DateTime(2031, 3, day, 2, 0, 0, DateTimeKind.Utc);
            var order = new Order
            {
                OrderNo = "ORD-E2EF-" + suffix, ReceiverName = "测试", ReceiverPhone = "13800001111", PhoneLast4 = "1111", Province = province,
                Status = OrderStatus.Shipped, TotalWeightKg = weight, CreatedAtUtc = issued, UpdatedAtUtc = issued,
            };
            db.Add(order);
            await db.SaveChangesAsync();
            db.Add(new Waybill
            {
                OrderId = order.Id, LiveOrderId = order.Id, OrderNo = order.OrderNo, CarrierAccountId = account.Id, ShipperCode = "E2EF",
                TrackingNo = "E2EF-" + suffix, OrderCode = order.OrderNo + "-1", PickKey = order.OrderNo, LabelJson = "{}", IssuedAtUtc = issued,
            });
        }
        await db.SaveChangesAsync();
        await factory.GetService<RateCardService>().SaveAsync(account.Id, [new RateCardRowInput(null, 1m, 10m, 4m), new RateCardRowInput("广东省", 1m, 8m, 3m)], "e2e");
        return account.Id;
    }
}
