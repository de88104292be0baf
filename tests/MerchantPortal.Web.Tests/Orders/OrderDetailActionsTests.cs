using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The order page offers exactly the actions the order's status allows, and none to a reader (bUnit over the shared portal's data).</summary>
public class OrderDetailActionsTests(SharedPortal portal) : BunitTestBase, IClassFixture<SharedPortal>
{
    private static readonly string[] Actions = ["order-approve", "order-hold", "order-cancel"];

    private async Task<string> OrderInAsync(OrderStatus status)
    {
        var service = portal.Factory.GetService<OrderService>();
        var orderNo = "BU-" + status + "-" + Guid.NewGuid().ToString("N")[..8];
        await service.CreateAsync(new NewOrder(orderNo, OrderChannel.Api, "韩梅梅", "13912345678", "广东省", "深圳市", "南山区", "科技园 8 栋", null,
            [new NewOrderLine("SKU-1", "T-shirt", 1, 59m, 0.3m)], null), "test");
        var action = status switch
        {
            OrderStatus.Approved => OrderAction.Approve,
            OrderStatus.OnHold => OrderAction.Hold,
            OrderStatus.Cancelled => OrderAction.Cancel,
            _ => (OrderAction?)null,
        };
        if (action is { } a)
        {
            Assert.True((await service.ApplyAsync(a, [orderNo], "test")).Single().Changed);
        }
        return orderNo;
    }

    private IRenderedComponent<CascadingAuthenticationState> Render(string orderNo, bool operations)
    {
        foreach (var type in new[] { typeof(OrderQueries), typeof(OrderService), typeof(OrderParcelService), typeof(OrderContactService), typeof(OrderAddressService), typeof(OrderStory), typeof(ShipmentQueries), typeof(WaybillService), typeof(ReturnQueries) })
        {
            Context.Services.AddSingleton(type, portal.Factory.Services.GetRequiredService(type));
        }
        var auth = Context.AddAuthorization().SetAuthorized(operations ? "ops@demo.local" : "cs@demo.local").SetRoles(operations ? Roles.Ops : Roles.CustomerService);
        if (operations)
        {
            auth.SetPolicies(Policies.Operations, Policies.SignedIn);
        }
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrderDetailPage>(c => c.Add(x => x.OrderNo, orderNo)));
    }

    private static string[] Offered(IRenderedComponent<CascadingAuthenticationState> page)
    {
        page.WaitForElement("[data-testid=order-status]");
        return [.. Actions.Where(a => page.FindAll($"[data-testid={a}]").Count == 1)];
    }

    [Theory]
    [InlineData(OrderStatus.PendingReview, new[] { "order-approve", "order-hold", "order-cancel" })]
    [InlineData(OrderStatus.Approved, new[] { "order-hold", "order-cancel" })]
    [InlineData(OrderStatus.OnHold, new[] { "order-approve", "order-cancel" })]
    [InlineData(OrderStatus.Cancelled, new string[0])]
    public async Task Operations_are_offered_the_actions_the_status_allows(OrderStatus status, string[] expected)
    {
        var orderNo = await OrderInAsync(status);

        Assert.Equal(expected, Offered(Render(orderNo, operations: true)));
    }

    [Fact]
    public async Task Customer_service_is_offered_no_action_on_an_order_under_review()
    {
        var orderNo = await OrderInAsync(OrderStatus.PendingReview);

        Assert.Empty(Offered(Render(orderNo, operations: false)));
    }
}
