using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>R6: CustomerService sees 139****5678 and no street in list, detail, lookup and export; Ops sees them whole.</summary>
[Collection(SharedPortal.Name)]
public class OrderMaskingTests(SharedPortal portal)
{
    [Fact]
    public async Task Customer_service_sees_the_phone_masked_everywhere_and_ops_sees_it_whole()
    {
        var orderNo = "MASK-" + Guid.NewGuid().ToString("N")[..8];
        using var api = portal.Factory.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name = "韩梅梅", mobile = "13912345678", province = "广东省", city = "深圳市", district = "南山区", address = "科技园南区 8 栋" },
            lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        foreach (var url in new[] { $"/orders?q={orderNo}", $"/orders/{orderNo}", $"/lookup?q={orderNo}", $"/orders/export?q={orderNo}" })
        {
            var asCs = await cs.GetStringAsync(url);
            Assert.Contains("139****5678", asCs);
            Assert.DoesNotContain("13912345678", asCs);
            var asOps = await ops.GetStringAsync(url);
            Assert.Contains("13912345678", asOps);
        }
        // Blazor HTML-encodes CJK characters as entities.
        Assert.DoesNotContain("科技园南区", WebUtility.HtmlDecode(await cs.GetStringAsync($"/orders/{orderNo}")));
        Assert.Contains("科技园南区", WebUtility.HtmlDecode(await ops.GetStringAsync($"/orders/{orderNo}")));
    }

    [Fact]
    public async Task Customer_service_finds_an_order_by_the_last_four_digits_and_the_name()
    {
        var orderNo = "L4-" + Guid.NewGuid().ToString("N")[..8];
        using var api = portal.Factory.CreateApiClient();
        await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name = "尾号测试", mobile = "13700009876", province = "上海", address = "世纪大道 1 号" },
            lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
        });
        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        var page = WebUtility.HtmlDecode(await cs.GetStringAsync("/lookup?q=" + Uri.EscapeDataString("9876 尾号测试")));
        Assert.Contains(orderNo, page);
        Assert.Contains("137****9876", page);
    }

    [Fact]
    public async Task Customer_service_cannot_open_the_import_page()
    {
        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        var response = await cs.GetAsync("/orders/import");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ops_opens_the_import_page_with_its_upload_and_the_nav_shows_orders_and_lookup()
    {
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var page = await ops.GetStringAsync("/orders/import");
        Assert.Contains("data-testid=\"import-upload\"", page);
        Assert.Contains("data-testid=\"nav-Orders\"", page);
        Assert.Contains("data-testid=\"nav-Lookup\"", page);
    }
}
