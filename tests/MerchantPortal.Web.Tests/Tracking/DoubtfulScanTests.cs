using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using static MerchantPortal.Carriers.ShipmentStatus;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>Scans that contradict the journey, or are dated in the future, are shown to staff but never told to a customer.</summary>
public class DoubtfulScanTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 8, 30, 0, DateTimeKind.Utc);

    private static TimelineCheck.Scan At(long id, double hoursAgo, ShipmentStatus status, bool future = false) => new(id, Now.AddHours(-hoursAgo), status, future);

    [Fact]
    public void A_second_pickup_in_another_city_after_the_delivery_scans_contradicts_the_journey()
    {
        var odd = TimelineCheck.Contradicting([At(1, 40, PickedUp), At(2, 30, InTransit), At(3, 5, OutForDelivery), At(4, 3, Delivered), At(5, 1, PickedUp)]);

        Assert.Equal([5L], odd);
    }

    [Fact]
    public void Movement_after_signing_contradicts_it_but_a_return_after_signing_does_not()
    {
        Assert.Equal([4L], TimelineCheck.Contradicting([At(1, 40, PickedUp), At(2, 30, InTransit), At(3, 3, Delivered), At(4, 1, InTransit)]));
        Assert.Empty(TimelineCheck.Contradicting([At(1, 40, PickedUp), At(2, 30, InTransit), At(3, 3, Delivered), At(4, 1, Returning)]));
    }

    [Fact]
    public void An_ordinary_journey_with_a_failed_attempt_has_nothing_doubtful()
    {
        Assert.Empty(TimelineCheck.Contradicting([At(1, 40, PickedUp), At(2, 30, InTransit), At(3, 20, OutForDelivery), At(4, 18, ShipmentStatus.Exception), At(5, 5, OutForDelivery), At(6, 3, Delivered)]));
    }

    [Fact]
    public void The_customer_answer_and_timeline_leave_doubtful_scans_out()
    {
        var real = new ShipmentEventView(Now.AddHours(-2), "上海市", "【上海市】快件已到达【上海转运中心】", InTransit);
        var future = new ShipmentEventView(Now.AddHours(30), "北京市", "【北京市】已签收，签收人：门卫", Delivered, Doubtful: true);
        var view = new ShipmentView("75123456789", "ZTO", "SO-1", InTransit, null, [future, real], null, null, TrackingSource.Push);

        var answer = CustomerAnswer.Build(view, AnswerLanguage.Chinese, Now);
        var timeline = CustomerSafe.Timeline(view.Events);

        Assert.Contains("上海", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("门卫", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("北京", answer, StringComparison.Ordinal);
        Assert.Equal([real.Description], timeline.Select(e => e.Description));
    }
}
