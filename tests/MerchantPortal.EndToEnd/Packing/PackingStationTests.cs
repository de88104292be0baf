using System.Net;
using System.Text;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Packing;

/// <summary>
/// The packing station in a real browser, driven the way a USB barcode scanner drives it: each code typed into the
/// focused input at full speed, then Enter. A wrong item is refused, the right ones turn the parcel green, the typed
/// weight is stored, and a carrier bill charging 2.0 kg for the 0.8 kg parcel shows it as heavier than packed.
/// Screenshots: docs/screenshots/pack-en.png (green, ready to weigh) and pack-zh-CN.png (part verified).
/// </summary>
[Collection(BrowserPortal.Name)]
public class PackingStationTests(BrowserPortal portal)
{
    private const string ScanFocused = "() => document.activeElement && document.activeElement.dataset.testid === 'pack-scan'";

    [Fact]
    public async Task A_scanned_parcel_refuses_a_wrong_item_turns_green_is_weighed_and_its_packed_weight_flags_a_heavier_bill()
    {
        var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (accountId, first, second, barcode, sku) = await SeedAsync(run);

        var page = await portal.SignInAsync("ops@demo.local");
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        await page.GotoAsync("/pack");
        try
        {
            await BrowserPortal.WaitForInteractiveAsync(page);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("The packing station did not become interactive. Browser log:\n" + string.Join("\n", console), e);
        }
        await page.Locator("input[data-testid=pack-station]").FillAsync("A-01");
        await page.Locator("input[data-testid=pack-station]").PressAsync("Tab");
        await page.WaitForFunctionAsync(ScanFocused);

        await ScanAsync(page, first);
        await Assertions.Expect(page.Locator("[data-testid=pack-parcel]")).ToContainTextAsync(first);
        Assert.Equal(2, await page.Locator("[data-testid=pack-line]").CountAsync());

        await ScanAsync(page, "6900000000000");
        var banner = page.Locator("[data-testid=pack-banner]");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-kind", "wrong");
        await Assertions.Expect(banner).ToContainTextAsync("6900000000000");
        await Assertions.Expect(page.Locator("[data-testid=pack-panel]")).ToHaveAttributeAsync("data-state", "refused");
        Assert.Equal("error", await page.EvaluateAsync<string>("() => document.body.dataset.packSound"));
        await Assertions.Expect(page.Locator("[data-testid=pack-progress]")).ToContainTextAsync("0 of 3 items verified · 1 scans refused");

        await page.WaitForFunctionAsync(ScanFocused);
        await ScanAsync(page, barcode);
        await ScanAsync(page, sku.ToLowerInvariant());
        await ScanAsync(page, "MAT-" + run);
        await Assertions.Expect(page.Locator("[data-testid=pack-panel]")).ToHaveAttributeAsync("data-state", "complete");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-kind", "complete");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.dataset.testid === 'pack-weight'");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("pack-en.png"), FullPage = true });

        await page.Keyboard.TypeAsync("0.8");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-kind", "packed");
        await Assertions.Expect(page.Locator("[data-testid=pack-station-today]")).ToContainTextAsync("A-01: 1");
        await page.WaitForFunctionAsync(ScanFocused);

        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var record = await db.Set<PackRecord>().SingleAsync(p => p.TrackingNo == first);
            Assert.Equal((0.8m, "A-01", PackWeightSource.Typed, 3, 1), (record.WeightKg, record.Station, record.WeightSource, record.ItemCount, record.RefusedScans));
            Assert.Equal("ops@demo.local", record.PackedBy);
        }

        // The same station in Chinese, a second parcel part verified.
        await page.ClickAsync("[data-testid=language-menu] summary");
        await page.ClickAsync("[data-testid=lang-zh]");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-CN'");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync(ScanFocused);
        await ScanAsync(page, second);
        await Assertions.Expect(page.Locator("[data-testid=pack-parcel]")).ToContainTextAsync(second);
        await ScanAsync(page, barcode);
        await Assertions.Expect(page.Locator("[data-testid=pack-progress]")).ToContainTextAsync("已核对 1/3 件");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("pack-zh-CN.png"), FullPage = true });

        // The carrier bills 2.0 kg for the parcel packed at 0.8 kg; the account has no rate card.
        var today = portal.Factory.GetService<BusinessCalendar>().Today().Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var api = portal.Factory.CreateApiClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes($"\uFEFF运单号,计费重量(kg),金额(元)\r\n{first},2.0,18.00\r\n")), "file", "bill.csv" },
            { new StringContent(accountId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "carrierAccountId" },
            { new StringContent(today), "periodFrom" },
            { new StringContent(today), "periodTo" },
        };
        var response = await api.PostAsync("/api/v1/freight/bill-imports", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var billId = response.Headers.Location!.ToString().Split('/')[^1];

        await page.GotoAsync($"/kpis/freight/bills/{billId}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=bill-discrepancies]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var row = page.Locator("[data-testid=bill-discrepancy-row]", new PageLocatorOptions { HasText = "超出打包重量" });
        await Assertions.Expect(row).ToContainTextAsync(first);
        await Assertions.Expect(row.Locator("[data-testid=bill-packed-weight]")).ToHaveTextAsync("0.8");
        await page.Context.CloseAsync();
    }

    /// <summary>Typed as a keyboard-wedge scanner types: into whatever has the focus, at full speed, then Enter.</summary>
    private static async Task ScanAsync(IPage page, string code)
    {
        await page.Keyboard.TypeAsync(code);
        await page.Keyboard.PressAsync("Enter");
    }

    private async Task<(int AccountId, string First, string Second, string Barcode, string Sku)> SeedAsync(string run)
    {
        var sku = "E2EP-MUG-" + run;
        var barcode = "697" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Add(new CatalogueSku { Sku = sku, Name = "保温杯 500ml", Barcode = barcode, UpdatedAtUtc = DateTime.UtcNow });
        var account = new CarrierAccount
        {
            Name = "打包演示 " + run,
            EBusinessId = "test",
            AppKeyProtected = "unused",
            ShipperCode = "E2EP" + run,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            Version = Guid.NewGuid(),
            IsDisabled = true,
        };
        db.Add(account);
        await db.SaveChangesAsync();
        var numbers = new List<string>();
        foreach (var i in new[] { 1, 2 })
        {
            var now = DateTime.UtcNow;
            var order = new Order
            {
                OrderNo = $"E2EP-{run}-{i}",
                Channel = OrderChannel.OwnStore,
                Status = OrderStatus.WaybillIssued,
                ReceiverName = "李雷",
                ReceiverPhone = "13900001111",
                PhoneLast4 = "1111",
                Province = "浙江省",
                City = "杭州市",
                District = "西湖区",
                AddressDetail = "文三路 100 号",
                TotalWeightKg = 0.8m,
                TotalAmount = 98,
                LineCount = 2,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
                Lines =
                [
                    new OrderLine { LineNo = 1, Sku = sku, Name = "保温杯 500ml", Quantity = 2, UnitPrice = 39m, WeightKg = 0.6m },
                    new OrderLine { LineNo = 2, Sku = "MAT-" + run, Name = "杯垫", Quantity = 1, UnitPrice = 20m, WeightKg = 0.2m },
                ],
            };
            db.Add(order);
            await db.SaveChangesAsync();
            var number = $"E2EP{run}{i}";
            db.Add(new Waybill
            {
                OrderId = order.Id,
                LiveOrderId = order.Id,
                OrderNo = order.OrderNo,
                CarrierAccountId = account.Id,
                ShipperCode = account.ShipperCode,
                TrackingNo = number,
                OrderCode = order.OrderNo + "-1",
                PickKey = order.OrderNo,
                LabelJson = "{}",
                IssuedAtUtc = now,
            });
            await db.SaveChangesAsync();
            numbers.Add(number);
        }
        return (account.Id, numbers[0], numbers[1], barcode, sku);
    }
}
