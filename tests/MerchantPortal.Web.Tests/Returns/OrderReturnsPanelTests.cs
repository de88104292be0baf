using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>The returns panel of the order page (bUnit over the shared portal's data): when it offers "Create return".</summary>
public class OrderReturnsPanelTests(SharedPortal portal) : BunitTestBase, IClassFixture<SharedPortal>
{
    private IRenderedComponent<OrderReturnsPanel> Render(OrderStatus status)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<ReturnQueries>());
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        // The order page passes whether the order has shipped; an order id no return has keeps the list empty.
        return Context.Render<OrderReturnsPanel>(p => p
            .Add(x => x.OrderId, -1)
            .Add(x => x.OrderNo, "NO-RETURNS")
            .Add(x => x.Actor, "ops@demo.local")
            .Add(x => x.Empty, "No returns")
            .Add(x => x.CanCreate, ReturnService.ShippedStatuses.Contains(status)));
    }

    [Theory]
    [InlineData(OrderStatus.Shipped)]
    [InlineData(OrderStatus.Delivered)]
    [InlineData(OrderStatus.Exception)]
    [InlineData(OrderStatus.Returned)]
    public void A_shipped_order_offers_a_return(OrderStatus status)
    {
        var panel = Render(status);

        panel.WaitForAssertion(() => Assert.Contains("No returns", panel.Markup));
        Assert.Single(panel.FindAll("[data-testid=order-create-return]"));
    }

    [Theory]
    [InlineData(OrderStatus.PendingReview)]
    [InlineData(OrderStatus.Approved)]
    [InlineData(OrderStatus.WaybillIssued)]
    [InlineData(OrderStatus.Cancelled)]
    public void An_order_the_customer_does_not_have_yet_offers_no_return(OrderStatus status)
    {
        var panel = Render(status);

        panel.WaitForAssertion(() => Assert.Contains("No returns", panel.Markup));
        Assert.Empty(panel.FindAll("[data-testid=order-create-return]"));
    }
}
