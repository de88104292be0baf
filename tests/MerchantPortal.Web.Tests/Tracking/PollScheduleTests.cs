using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

public class PollScheduleTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(ShipmentStatus.Delivered)]
    [InlineData(ShipmentStatus.Returned)]
    [InlineData(ShipmentStatus.Expired)]
    public void The_schedule_never_polls_a_final_shipment(ShipmentStatus status)
    {
        Assert.Null(PollSchedule.NextCheck(status, Now.AddHours(-1), Now, subscribed: false));
        Assert.Null(PollSchedule.NextCheck(status, Now.AddHours(-1), Now, subscribed: true));
    }

    [Theory]
    [InlineData(ShipmentStatus.OutForDelivery, 1, 0.5)]
    [InlineData(ShipmentStatus.Exception, 1, 0.5)]
    [InlineData(ShipmentStatus.InTransit, 1, 2)]
    [InlineData(ShipmentStatus.InTransit, 80, 12)]
    public void The_schedule_polls_often_when_urgent_and_rarely_when_quiet(ShipmentStatus status, int hoursSinceLastScan, double expectedHours)
    {
        var next = PollSchedule.NextCheck(status, Now.AddHours(-hoursSinceLastScan), Now, subscribed: false);
        Assert.Equal(Now.AddHours(expectedHours), next);
    }

    [Fact]
    public void A_shipment_without_a_scan_is_polled_every_four_hours_and_a_subscribed_one_is_reconciled_every_six()
    {
        Assert.Equal(Now.AddHours(4), PollSchedule.NextCheck(ShipmentStatus.Pending, null, Now, subscribed: false));
        Assert.Equal(Now.AddHours(6), PollSchedule.NextCheck(ShipmentStatus.OutForDelivery, Now.AddHours(-1), Now, subscribed: true));
    }
}
