using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.Picking;

[Collection(BrowserPortal.Name)]
public class WavePageTests(BrowserPortal portal)
{
    /// <summary>
    /// Three approved orders of a warehouse of the test's own show as one group on /waves (in Chinese); "生成波次" starts
    /// the wave and lands on its batch page, which, once the waybills are issued, links a pick list that opens as a PDF.
    /// </summary>
    [Fact]
    public async Task Ops_starts_a_wave_on_the_waves_page_reaches_its_batch_and_opens_the_pick_list_PDF()
    {
        var id = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (warehouseId, accountId) = await WarehouseWithOrdersAsync(id);

        var page = await portal.SignInAsync("ops@demo.local", "zh-CN");
        await page.GotoAsync("/waves");
        await BrowserPortal.WaitForInteractiveAsync(page);
        var row = page.Locator($"[data-testid=waves-candidate-{warehouseId}-{accountId}]");
        await row.WaitForAsync();
        Assert.Equal("3", (await row.Locator("[data-testid=waves-candidate-orders]").InnerTextAsync()).Trim());
        await row.Locator("[data-testid=waves-start]").ClickAsync();

        await page.WaitForFunctionAsync("() => /\\/waybills\\/\\d+/.test(location.pathname)", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=waybill-batch-progress]')?.getAttribute('data-percent') === '100'",
            null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        var pickList = page.Locator("[data-testid=batch-pick-list]");
        await pickList.WaitForAsync();
        Assert.StartsWith("W", (await page.Locator("[data-testid=batch-wave-code]").InnerTextAsync()).Trim(), StringComparison.Ordinal);

        var response = await page.APIRequest.GetAsync((await pickList.GetAttributeAsync("href"))!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"]);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(await response.BodyAsync(), 0, 4));
        var slips = await page.APIRequest.GetAsync((await page.Locator("[data-testid=batch-packing-slips]").GetAttributeAsync("href"))!);
        Assert.StartsWith("application/pdf", slips.Headers["content-type"]);

        // The wave is listed with its batch's progress; the group it took is gone.
        await page.GotoAsync("/waves");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=waves-recent]").WaitForAsync();
        Assert.Equal(0, await page.Locator($"[data-testid=waves-candidate-{warehouseId}-{accountId}]").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("waves-zh-CN.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    private async Task<(int WarehouseId, int AccountId)> WarehouseWithOrdersAsync(string id)
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var accountId = await db.Set<CarrierAccount>().Where(a => !a.IsDisabled).OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var warehouse = new Warehouse
        {
            Code = "WV" + id, Name = "波次仓 " + id, Province = "浙江省", City = "杭州市", District = "余杭区", Address = "仓前街道 8 号",
            ContactName = "仓管", ContactPhone = "057188880000", DefaultCarrierAccountId = accountId,
        };
        db.Add(warehouse);
        await db.SaveChangesAsync();
        var paid = DateTime.UtcNow.AddHours(-2);
        db.AddRange(Enumerable.Range(1, 3).Select(i => new Order
        {
            OrderNo = $"E2E-WAVE-{id}-{i}", Channel = OrderChannel.Tmall, Status = OrderStatus.Approved, ReceiverName = "波次" + id, ReceiverPhone = "13700001234",
            PhoneLast4 = "1234", Province = "浙江省", City = "杭州市", District = "西湖区", AddressDetail = "文三路 90 号", WarehouseId = warehouse.Id,
            TotalWeightKg = 0.5m, TotalAmount = 99, LineCount = 1, PaidAtUtc = paid, CreatedAtUtc = paid, UpdatedAtUtc = paid,
            Lines = [new OrderLine { LineNo = 1, Sku = $"WAVE-{i % 2}", Name = "龙井茶", Quantity = i, UnitPrice = 99, WeightKg = 0.5m }],
        }));
        await db.SaveChangesAsync();
        return (warehouse.Id, accountId);
    }
}
