using MerchantPortal.Carriers;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.EndToEnd.Kpis;

[Collection(BrowserPortal.Name)]
public class KpiPageTests(BrowserPortal portal)
{
    private static readonly string[] Carriers = ["ZTO", "SF", "YTO", "JD", "YD"];

    [Fact]
    public async Task The_KPI_page_shows_cards_charts_lanes_and_map_in_English_and_Chinese_and_a_number_opens_its_shipments()
    {
        await SeedMonthAsync();
        var page = await portal.SignInAsync("ops@demo.local");
        await page.GotoAsync("/kpis");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=kpis-carriers] [data-testid=carrier-ZTO]").WaitForAsync();
        // MudChart draws its series as SVG paths once the circuit rendered it.
        await page.Locator("[data-testid=kpis-trend-ontime] .mud-chart-line").First.WaitForAsync();
        await page.Locator("[data-testid=kpis-map] circle").First.WaitForAsync();
        Assert.Contains("On time", await page.Locator("[data-testid=card-ontime]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("kpis-en.png"), FullPage = true });

        // The late count of ZTO opens the shipments list with the same filter; its count is the cell's.
        var late = await page.Locator("[data-testid=carrier-ZTO] [data-testid=carrier-late]").InnerTextAsync();
        await page.ClickAsync("[data-testid=carrier-ZTO] [data-testid=carrier-late]");
        await page.WaitForURLAsync(url => url.Contains("/shipments?", StringComparison.Ordinal) && url.Contains("onTime=false", StringComparison.Ordinal));
        await page.Locator("[data-testid=shipments-kpi]").WaitForAsync();
        Assert.Equal(late.Replace(",", "", StringComparison.Ordinal), await page.Locator("[data-testid=shipments-kpi-count]").TextContentAsync());

        await page.GotoAsync("/kpis");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=language-menu] summary");
        await page.ClickAsync("[data-testid=lang-zh]");
        await page.WaitForFunctionAsync("() => document.documentElement.lang === 'zh-CN'");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=kpis-trend-ontime] .mud-chart-line").First.WaitForAsync();
        Assert.Contains("准时率", await page.Locator("[data-testid=card-ontime]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserPortal.ScreenshotPath("kpis-zh-CN.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    /// <summary>A month of final parcels from the three demo warehouses, carriers differing in speed and care.</summary>
    private async Task SeedMonthAsync()
    {
        var factory = portal.Factory;
        var provinces = factory.GetService<RegionCatalog>().Provinces;
        var random = new Random(9);
        var now = DateTime.UtcNow;
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            if (await db.Set<Shipment>().AnyAsync(s => s.TrackingNo.StartsWith("E2EKPI")))
            {
                return;
            }
            var accounts = await db.Set<CarrierAccount>().ToListAsync();
            var shipments = new List<(Shipment Shipment, bool Exception)>();
            for (var i = 0; i < 1200; i++)
            {
                var c = random.Next(Carriers.Length);
                var (warehouse, origin) = new[] { (1, "浙江省"), (2, "广东省"), (3, "北京市") }[random.Next(3)];
                var final = now.AddHours(-random.NextDouble() * 24 * 29);
                var transit = 16 + (c * 7) + (random.NextDouble() * random.NextDouble() * 80);
                var first = final.AddHours(-transit);
                var roll = random.NextDouble();
                var status = roll < 0.03 + (c * 0.01) ? ShipmentStatus.Returned : roll < 0.05 + (c * 0.01) ? ShipmentStatus.Expired : ShipmentStatus.Delivered;
                shipments.Add((new Shipment
                {
                    CarrierAccountId = accounts.FirstOrDefault(a => a.ShipperCode == Carriers[c])?.Id ?? accounts[0].Id,
                    ShipperCode = Carriers[c],
                    TrackingNo = $"E2EKPI{i:00000}",
                    Status = status,
                    CreatedAtUtc = first.AddHours(-3),
                    Version = Guid.NewGuid(),
                    ServiceType = random.Next(4) == 0 ? "express" : "standard",
                    WarehouseId = warehouse,
                    OriginProvince = origin,
                    DestinationProvince = provinces[random.Next(provinces.Count)].Name,
                    FirstScanAtUtc = first,
                    DeliveredAtUtc = status == ShipmentStatus.Delivered ? final : null,
                    FinalAtUtc = final,
                    StatusChangedAtUtc = final,
                    PromisedByUtc = SlaRuleService.PromisedBy(first, 2 + (c % 2)),
                    DeliveryAttempts = random.NextDouble() < 0.05 + (c * 0.02) ? 2 : 1,
                }, random.NextDouble() < 0.02 + (c * 0.01)));
            }
            db.AddRange(shipments.Select(s => s.Shipment));
            await db.SaveChangesAsync();
            db.AddRange(shipments.Where(s => s.Exception).Select(s => new TrackingEvent
            {
                ShipmentId = s.Shipment.Id,
                TimeUtc = s.Shipment.FirstScanAtUtc!.Value.AddHours(8),
                Description = "派送异常",
                Status = ShipmentStatus.Exception,
                Source = TrackingSource.Push,
                DedupeKey = TrackingEvent.KeyOf(s.Shipment.FirstScanAtUtc!.Value.AddHours(8), "派送异常"),
            }));
            await db.SaveChangesAsync();
        }
        // These parcels became final in the past, behind a watermark the recurring kpis:rollup may already have moved
        // to the demo data's latest final parcel; a normal run would only re-count their last 7 days (a CI run showed
        // ZTO's late count as 8 where the shipments list had 23). A rebuild folds everything again, as an Admin does
        // after importing history. The recurring run may go at the same moment: the loser of the state row's
        // concurrency check throws, as a Hangfire retry would, so try again (bounded).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await factory.GetService<KpiRollup>().RebuildAsync(default);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }
    }
}
