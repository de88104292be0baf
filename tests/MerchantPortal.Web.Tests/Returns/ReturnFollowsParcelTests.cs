using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Returns;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>What each status of a return's parcel means for the return (the flow itself: ReturnFlowTests).</summary>
public class ReturnFollowsParcelTests
{
    [Theory]
    [InlineData(ShipmentStatus.Pending, null)]
    [InlineData(ShipmentStatus.PickedUp, ReturnStatus.PickedUp)]
    [InlineData(ShipmentStatus.InTransit, ReturnStatus.InTransit)]
    [InlineData(ShipmentStatus.OutForDelivery, ReturnStatus.InTransit)]
    [InlineData(ShipmentStatus.AvailableForPickup, ReturnStatus.InTransit)]
    [InlineData(ShipmentStatus.Delivered, ReturnStatus.Received)]
    // A push can bring a problem or a trip back as the parcel's first status: the courier has had it all the same.
    [InlineData(ShipmentStatus.Exception, ReturnStatus.PickedUp)]
    [InlineData(ShipmentStatus.Returning, ReturnStatus.PickedUp)]
    [InlineData(ShipmentStatus.Returned, ReturnStatus.PickedUp)]
    // Expired without a scan: nobody came.
    [InlineData(ShipmentStatus.Expired, null)]
    public void A_parcel_status_moves_its_return_to_what_it_shows_of_the_pickup(ShipmentStatus parcel, ReturnStatus? expected) =>
        Assert.Equal(expected, ReturnShipmentObserver.Target(parcel));
}
