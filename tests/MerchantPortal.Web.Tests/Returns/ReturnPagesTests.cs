using System.Net;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

[Collection(SharedPortal.Name)]
public class ReturnPagesTests(SharedPortal portal)
{
    [Fact]
    public async Task CustomerService_sees_a_return_in_the_list_on_its_order_and_on_its_page_and_the_dashboard_counts_it()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("return page tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);
        var orderNo = await ShippedOrderAsync(portal.Factory, api);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1, reason: "SizeOrFit"));
        var rma = (await ReturnTestData.LoadAsync(portal.Factory, id)).RmaNo;
        using var browser = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");

        var list = await browser.GetStringAsync("/returns?status=Requested");
        var detail = await browser.GetStringAsync($"/returns/{id}");
        var order = await browser.GetStringAsync($"/orders/{orderNo}");
        var missing = await browser.GetStringAsync("/returns/987654");

        Assert.Contains(rma, list, StringComparison.Ordinal);
        Assert.Contains(rma, detail, StringComparison.Ordinal);
        Assert.Contains("return-lines", detail, StringComparison.Ordinal);
        // Approving is for Ops and Admin (product.md "refunds: approve"); CustomerService does not get the button.
        Assert.DoesNotContain("return-approve", detail, StringComparison.Ordinal);
        Assert.Contains($"/returns/{id}", order, StringComparison.Ordinal);
        Assert.Contains("order-create-return", order, StringComparison.Ordinal);
        Assert.Contains("return-not-found", missing, StringComparison.Ordinal);
        var tiles = await portal.Factory.GetService<DashboardQueries>().GetTilesAsync();
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var open = await db.Set<ReturnRequest>().LongCountAsync(r => r.Status == ReturnStatus.Requested);
        Assert.Equal(open, tiles.Single(t => t.Key == "ReturnsToReview").Count);
        Assert.True(open >= 1);
    }

    [Fact]
    public async Task Ops_sees_the_approve_button_of_a_return_waiting_for_a_decision()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("return page tests", [ApiScopes.OrdersWrite, ApiScopes.ReturnsWrite], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portal.Factory, api), 1, reason: "NoLongerNeeded"));
        using var browser = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        var response = await browser.GetAsync($"/returns/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("return-approve", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
