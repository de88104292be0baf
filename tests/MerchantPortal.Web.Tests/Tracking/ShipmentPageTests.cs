using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

[Collection(SharedPortal.Name)]
public class ShipmentPageTests(SharedPortal portal)
{
    [Fact]
    public async Task Customer_service_sees_the_timeline_newest_first_with_when_it_was_checked_and_how()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        await PushAsync(portal.Factory, PushJson(number, "2", "2",
            new Trace("2026-11-26 09:00:00", "【杭州市】快件已揽收 FIRST-SCAN", "1"),
            new Trace("2026-11-26 21:00:00", "【杭州市】快件已发往 上海 SECOND-SCAN", "2")));
        using var client = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");

        var html = await client.GetStringAsync($"/shipments/{number}");

        Assert.Contains("shipment-timeline", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("SECOND-SCAN", StringComparison.Ordinal) < html.IndexOf("FIRST-SCAN", StringComparison.Ordinal), "newest first");
        Assert.Contains("2026", html, StringComparison.Ordinal);
        Assert.Contains("shipment-checks", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipments_list_shows_followed_parcels_newest_first_with_a_link_to_each_timeline()
    {
        var older = NewZtoNumber();
        var newer = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, older);
        await CreateShipmentAsync(portal.Factory, newer);
        using var client = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        var html = await client.GetStringAsync("/shipments");

        Assert.Contains($"/shipments/{newer}", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(newer, StringComparison.Ordinal) < html.IndexOf(older, StringComparison.Ordinal), "newest first");
    }
}
