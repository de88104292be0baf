using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>The one formatter of delivery dates: Beijing dates, both languages, a day or a window, and plainly none.</summary>
public class DeliveryDateWordsTests
{
    // Saturday 5 Dec 2026, 22:30 in Beijing: still Saturday there although it is 14:30 UTC.
    private static readonly DateTime SaturdayEvening = new(2026, 12, 5, 14, 30, 0, DateTimeKind.Utc);
    // 01:00 on Sunday 6 Dec in Beijing, which is still Saturday in UTC.
    private static readonly DateTime SundayAfterMidnight = new(2026, 12, 5, 17, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_day_is_the_Beijing_date_with_its_weekday_in_both_languages()
    {
        Assert.Equal("12月5日 周六", DeliveryDateWords.Day(SaturdayEvening, DeliveryDateWords.Chinese));
        Assert.Equal("Sat 5 Dec", DeliveryDateWords.Day(SaturdayEvening, DeliveryDateWords.English));
        Assert.Equal("12月6日 周日", DeliveryDateWords.Day(SundayAfterMidnight, DeliveryDateWords.Chinese));
        Assert.Equal("Sun 6 Dec", DeliveryDateWords.Day(SundayAfterMidnight, DeliveryDateWords.English));
    }

    [Fact]
    public void The_expected_day_and_the_window_read_as_the_customer_reads_them()
    {
        var window = new DeliveryWindow(SaturdayEvening, SaturdayEvening.AddHours(-6), SundayAfterMidnight);

        Assert.Equal("预计 12月5日 周六 送达", DeliveryDateWords.Expected(window, DeliveryDateWords.Chinese));
        Assert.Equal("Expected Sat 5 Dec", DeliveryDateWords.Expected(window, DeliveryDateWords.English));
        Assert.Equal("预计 12月5日–12月6日 送达", DeliveryDateWords.Window(window, DeliveryDateWords.Chinese));
        Assert.Equal("Expected 5–6 Dec", DeliveryDateWords.Window(window, DeliveryDateWords.English));
        Assert.Equal("预计 12月5日 周六 送达（12月5日–12月6日）", DeliveryDateWords.ForCustomer(window, DeliveryDateWords.Chinese));
        Assert.Equal("Expected Sat 5 Dec (5–6 Dec)", DeliveryDateWords.ForCustomer(window, DeliveryDateWords.English));
    }

    [Fact]
    public void A_window_inside_one_day_is_that_day_and_one_across_months_names_both_months()
    {
        var oneDay = new DeliveryWindow(SaturdayEvening, SaturdayEvening.AddHours(-8), SaturdayEvening.AddHours(1));
        var acrossMonths = new DeliveryWindow(new(2026, 11, 30, 4, 0, 0, DateTimeKind.Utc), new(2026, 11, 30, 1, 0, 0, DateTimeKind.Utc), new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc));

        Assert.Equal("预计 12月5日 周六 送达", DeliveryDateWords.ForCustomer(oneDay, DeliveryDateWords.Chinese));
        Assert.Equal("Expected Sat 5 Dec", DeliveryDateWords.Window(oneDay, DeliveryDateWords.English));
        Assert.Equal("Expected 30 Nov – 1 Dec", DeliveryDateWords.Window(acrossMonths, DeliveryDateWords.English));
        Assert.Equal("预计 11月30日–12月1日 送达", DeliveryDateWords.Window(acrossMonths, DeliveryDateWords.Chinese));
    }

    [Fact]
    public void Without_a_prediction_the_words_say_so_and_the_carriers_estimate_is_labelled_as_the_carriers()
    {
        Assert.Equal("暂无预计送达日期", DeliveryDateWords.ForCustomer(null, DeliveryDateWords.Chinese));
        Assert.Equal("No estimate yet", DeliveryDateWords.Expected(null, DeliveryDateWords.English));
        Assert.Equal("快递公司预计：12月5日 周六", DeliveryDateWords.Carrier(SaturdayEvening, DeliveryDateWords.Chinese));
        Assert.Equal("Carrier's estimate: Sat 5 Dec", DeliveryDateWords.Carrier(SaturdayEvening, DeliveryDateWords.English));
        Assert.Equal("The carrier gave no estimate", DeliveryDateWords.Carrier(null, DeliveryDateWords.English));
    }

    [Theory]
    [InlineData(ShipmentStatus.InTransit, 30, true)]
    [InlineData(ShipmentStatus.InTransit, -1, false)]
    [InlineData(ShipmentStatus.Delivered, 30, false)]
    public void A_parcel_will_be_late_when_the_window_ends_after_the_promise_and_it_is_not_final(ShipmentStatus status, int latestMinutesAfterPromise, bool late)
    {
        var promise = SaturdayEvening;
        var expected = new ExpectedDelivery(promise.AddHours(-3), promise.AddHours(-6), promise.AddMinutes(latestMinutesAfterPromise), DeliveryStage.InTransit, LaneLevel.CarrierLane);

        Assert.Equal(late, expected.WillBeLate(promise, status));
        Assert.False(expected.WillBeLate(null, status));
    }

    [Fact]
    public void The_customer_service_answer_gives_the_portals_expected_date_in_the_readers_language()
    {
        var now = new DateTime(2026, 12, 3, 6, 0, 0, DateTimeKind.Utc);
        var left = new ShipmentEventView(now.AddHours(-2), "杭州市", "【杭州市】快件已从【杭州转运中心】发出,准备发往【北京转运中心】", ShipmentStatus.InTransit);
        var expected = new ExpectedDelivery(SaturdayEvening, SaturdayEvening.AddHours(-4), SaturdayEvening.AddHours(1), DeliveryStage.InTransit, LaneLevel.CarrierLane);
        // The carrier says Friday; ours (Saturday) is the one told.
        var shipment = new ShipmentView("75123456789", "ZTO", "SO-1", ShipmentStatus.InTransit, null, [left], null, null, TrackingSource.Push,
            SaturdayEvening.AddDays(-1), ExpectedDelivery: expected);

        Assert.Equal("您的包裹已离开杭州转运中心（今天12:00），预计 12月5日 周六 送达。", CustomerAnswer.Build(shipment, AnswerLanguage.Chinese, now));
        Assert.Equal("Your parcel left the Hangzhou hub at 12:00 and is expected Sat 5 Dec.", CustomerAnswer.Build(shipment, AnswerLanguage.English, now));
    }
}
