using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Orders;
using static MerchantPortal.Carriers.ShipmentStatus;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The lifecycle's rules without a database: what an order's parcels and cases make of its status.</summary>
public class OrderLifecycleRulesTests
{
    private static ParcelPicture Parcels(params ShipmentStatus[] forward) => new(forward, ReturnReceived: false, CaseOpen: false, SevereCaseOpen: false);

    [Theory]
    [InlineData(OrderStatus.WaybillIssued, new[] { PickedUp }, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Approved, new[] { InTransit }, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Shipped, new[] { Delivered }, OrderStatus.Delivered)]
    [InlineData(OrderStatus.Approved, new[] { Delivered }, OrderStatus.Delivered)]
    [InlineData(OrderStatus.Shipped, new[] { ShipmentStatus.Exception }, OrderStatus.Exception)]
    [InlineData(OrderStatus.Exception, new[] { OutForDelivery }, OrderStatus.Shipped)]
    [InlineData(OrderStatus.Shipped, new[] { Returning }, OrderStatus.Exception)]
    public void A_single_parcel_moves_its_order(OrderStatus current, ShipmentStatus[] parcels, OrderStatus expected) =>
        Assert.Equal(expected, OrderLifecycle.Derive(current, Parcels(parcels)));

    [Fact]
    public void An_order_is_delivered_only_when_every_parcel_is()
    {
        Assert.Equal(OrderStatus.Shipped, OrderLifecycle.Derive(OrderStatus.WaybillIssued, Parcels(Delivered, InTransit, Pending)));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(Delivered, InTransit)));
        Assert.Equal(OrderStatus.Delivered, OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(Delivered, Delivered)));
    }

    [Fact]
    public void A_parcel_not_scanned_yet_leaves_the_order_where_it_is()
    {
        Assert.Null(OrderLifecycle.Derive(OrderStatus.WaybillIssued, Parcels(Pending)));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Approved, Parcels()));
    }

    [Fact]
    public void A_delivered_order_stays_delivered_whatever_a_late_scan_or_case_says()
    {
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Delivered, Parcels(InTransit)));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Delivered, Parcels(ShipmentStatus.Exception) with { SevereCaseOpen = true }));
    }

    [Fact]
    public void A_high_severity_case_holds_the_order_in_exception_until_it_is_resolved()
    {
        Assert.Equal(OrderStatus.Exception, OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(InTransit) with { CaseOpen = true, SevereCaseOpen = true }));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(InTransit) with { CaseOpen = true }));
        Assert.Equal(OrderStatus.Shipped, OrderLifecycle.Derive(OrderStatus.Exception, Parcels(InTransit)));
        Assert.Equal(OrderStatus.WaybillIssued, OrderLifecycle.Derive(OrderStatus.Exception, Parcels(Pending)));
    }

    [Fact]
    public void A_return_parcel_at_the_warehouse_makes_the_order_returned()
    {
        Assert.Equal(OrderStatus.Returned, OrderLifecycle.Derive(OrderStatus.Delivered, Parcels(Delivered) with { ReturnReceived = true }));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Returned, Parcels(Delivered)));
    }

    [Theory]
    [InlineData(OrderStatus.PendingReview)]
    [InlineData(OrderStatus.OnHold)]
    [InlineData(OrderStatus.Cancelled)]
    public void Parcels_never_move_an_order_that_people_hold_back(OrderStatus current) =>
        Assert.Null(OrderLifecycle.Derive(current, Parcels(Delivered) with { ReturnReceived = true }));

    [Fact]
    public void A_split_order_is_shipped_at_the_first_scan_of_any_parcel_and_delivered_only_when_all_its_parcels_are()
    {
        var twoExpected = Parcels(Delivered) with { Expected = 2 };
        // The second parcel has no number yet: it counts as not delivered.
        Assert.Equal(OrderStatus.Shipped, OrderLifecycle.Derive(OrderStatus.Approved, twoExpected));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Shipped, twoExpected));
        Assert.Null(OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(Delivered, InTransit) with { Expected = 2 }));
        Assert.Equal(OrderStatus.Delivered, OrderLifecycle.Derive(OrderStatus.Shipped, Parcels(Delivered, Delivered) with { Expected = 2 }));
        Assert.Equal(new ParcelProgress(2, 1, 1), ParcelProgress.Of(twoExpected));
        Assert.True(ParcelProgress.Of(twoExpected).IsPartial);
    }
}
