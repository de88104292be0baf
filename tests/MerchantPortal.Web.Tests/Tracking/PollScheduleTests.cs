using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

public class PollScheduleTests
{
    /// <summary>20:00 in Beijing.</summary>
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

    [Fact]
    public void A_subscribed_shipment_is_only_reconciled_every_six_hours()
    {
        Assert.Equal(Now.AddHours(6), PollSchedule.NextCheck(ShipmentStatus.OutForDelivery, Now.AddHours(-1), Now, subscribed: true));
    }

    [Fact]
    public void A_shipment_silent_for_more_than_three_days_is_polled_twice_a_day()
    {
        Assert.Equal(Now.AddHours(12), PollSchedule.NextCheck(ShipmentStatus.InTransit, Now.AddDays(-4), Now, subscribed: false));
    }

    [Fact]
    public void A_parcel_that_left_Hangzhou_for_Urumqi_is_not_polled_until_its_trunk_haul_is_nearly_over()
    {
        var input = new PollInput(ShipmentStatus.InTransit, Now, ScanKind.LeftHub, "杭州市", "65");
        var next = PollSchedule.NextCheck(input, Now, subscribed: false)!.Value;
        Assert.InRange((next - Now).TotalHours, 40, 60);
        // Once inside the window the next scan is due any moment: every 30 minutes.
        Assert.Equal(next + PollSchedule.Step, PollSchedule.NextCheck(input, next, subscribed: false));
    }

    [Fact]
    public void An_outlet_arrival_at_night_waits_for_the_morning_delivery_run()
    {
        // 23:00 Beijing: the courier goes out at 07:30 the next morning at the earliest.
        var arrived = new DateTime(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc);
        var next = PollSchedule.NextCheck(new PollInput(ShipmentStatus.InTransit, arrived, ScanKind.ArrivedOutlet, "北京市", "11"), arrived, subscribed: false);
        Assert.Equal(new DateTime(2026, 11, 28, 23, 30, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public void A_shipment_awaiting_pickup_is_polled_during_collection_hours_only()
    {
        // 02:00 Beijing → next poll when the afternoon collection starts, 13:00 Beijing.
        var night = new DateTime(2026, 11, 27, 18, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 11, 28, 5, 0, 0, DateTimeKind.Utc), PollSchedule.NextCheck(ShipmentStatus.Pending, null, night, subscribed: false));
        // 14:00 Beijing → inside collection hours.
        var afternoon = new DateTime(2026, 11, 28, 6, 0, 0, DateTimeKind.Utc);
        Assert.Equal(afternoon + PollSchedule.Step, PollSchedule.NextCheck(ShipmentStatus.Pending, null, afternoon, subscribed: false));
    }

    [Fact]
    public void Out_for_delivery_is_polled_every_30_minutes_and_backs_off_when_overdue()
    {
        var ofd = new DateTime(2026, 11, 28, 1, 0, 0, DateTimeKind.Utc); // 09:00 Beijing
        var input = new PollInput(ShipmentStatus.OutForDelivery, ofd, ScanKind.OutForDelivery);
        Assert.Equal(ofd.AddHours(2) + PollSchedule.Step, PollSchedule.NextCheck(input, ofd.AddHours(2), subscribed: false));
        var overdue = ofd.AddHours(9); // 18:00 Beijing, 2 h after the window closed: wait half of that
        Assert.Equal(overdue.AddHours(1), PollSchedule.NextCheck(input, overdue, subscribed: false));
        var evening = ofd.AddHours(11); // 20:00 Beijing: the next try would fall after the outlet closes, so 05:30
        Assert.Equal(new DateTime(2026, 11, 28, 21, 30, 0, DateTimeKind.Utc), PollSchedule.NextCheck(input, evening, subscribed: false));
    }

    [Theory]
    [InlineData("2", "【杭州市】快件已从【杭州城东营业部】发出,准备发往【杭州转运中心】", ScanKind.LeftOutlet)]
    [InlineData("2", "【杭州市】快件已从【杭州转运中心】发出,准备发往【北京转运中心】", ScanKind.LeftHub)]
    [InlineData("204", "【北京市】快件已到达【北京转运中心】", ScanKind.ArrivedHub)]
    [InlineData("2", "【北京市】快件已经到达 北京中转部", ScanKind.ArrivedHub)]
    [InlineData("201", "【北京市】快件已到达【北京朝阳营业部】", ScanKind.ArrivedOutlet)]
    [InlineData("202", "【北京市】派件员 张师傅 13800000000 正在为您派件", ScanKind.OutForDelivery)]
    [InlineData("1", "【杭州市】已揽收", ScanKind.PickedUp)]
    [InlineData("405", "派件异常,原因: 电话无人接听", ScanKind.FailedAttempt)]
    public void A_scan_kind_is_read_from_its_action_and_wording(string action, string description, ScanKind expected)
    {
        Assert.Equal(expected, PollSchedule.KindOf(action, description, ShipmentStatus.InTransit));
    }
}
