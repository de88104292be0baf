using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Kpis.Freight;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Packing;

/// <summary>The station page (bUnit, real service and database) when another waybill is scanned while a parcel is open: it asks, and a second scan switches.</summary>
[Collection(FreightPortal.Name)]
public class PackPageTests(FreightPortal portal) : BunitTestBase
{
    private async Task<(string First, string Second, string Sku)> TwoParcelsAsync()
    {
        var code = PackingTestData.Unique("G");
        var accountId = await PackingTestData.AccountAsync(portal.Factory, code);
        var a = await PackingTestData.OrderAsync(portal.Factory, "ORD-A-" + code, [("A-" + code, "甲", 2)]);
        var b = await PackingTestData.OrderAsync(portal.Factory, "ORD-B-" + code, [("B-" + code, "乙", 1)]);
        return (await PackingTestData.WaybillAsync(portal.Factory, a, accountId, code), await PackingTestData.WaybillAsync(portal.Factory, b, accountId, code), "A-" + code);
    }

    private IRenderedComponent<PackPage> Render()
    {
        Context.Services.AddSingleton(portal.Factory.GetService<PackingService>());
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<PackPage>()).FindComponent<PackPage>();
    }

    [Fact]
    public async Task Scanning_another_waybill_while_a_parcel_is_open_asks_first_and_a_second_scan_of_it_switches()
    {
        var (first, second, sku) = await TwoParcelsAsync();
        var page = Render();

        await page.InvokeAsync(() => page.Instance.OnScan(first));
        await page.InvokeAsync(() => page.Instance.OnScan(sku.ToLowerInvariant()));
        await page.InvokeAsync(() => page.Instance.OnScan(second));

        page.WaitForAssertion(() => Assert.Equal("switch", page.Find("[data-testid=pack-banner]").GetAttribute("data-kind")));
        Assert.Contains(second, page.Find("[data-testid=pack-banner]").TextContent);
        Assert.Contains("1 of 2 items verified", page.Find("[data-testid=pack-banner]").TextContent);
        Assert.Contains(first, page.Find("[data-testid=pack-parcel]").TextContent);
        Assert.Contains("0 scans refused", page.Find("[data-testid=pack-progress]").TextContent);

        await page.InvokeAsync(() => page.Instance.OnScan(second));

        page.WaitForAssertion(() => Assert.Contains(second, page.Find("[data-testid=pack-parcel]").TextContent));
        Assert.Equal("opened", page.Find("[data-testid=pack-banner]").GetAttribute("data-kind"));
    }

    [Fact]
    public async Task Keep_this_parcel_leaves_the_open_parcel_as_it_was()
    {
        var (first, second, _) = await TwoParcelsAsync();
        var page = Render();
        await page.InvokeAsync(() => page.Instance.OnScan(first));
        await page.InvokeAsync(() => page.Instance.OnScan(second));

        await page.Find("[data-testid=pack-keep]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        Assert.Empty(page.FindAll("[data-testid=pack-banner]"));
        Assert.Contains(first, page.Find("[data-testid=pack-parcel]").TextContent);
    }
}
