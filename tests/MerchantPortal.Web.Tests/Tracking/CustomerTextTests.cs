using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

public class CustomerTextTests
{
    /// <summary>16:30 in Beijing on 28 Nov.</summary>
    private static readonly DateTime Now = new(2026, 11, 28, 8, 30, 0, DateTimeKind.Utc);

    private static ShipmentView Shipment(ShipmentStatus status, DateTime? eta, params ShipmentEventView[] newestFirst) =>
        new("75123456789", "ZTO", "SO-1", status, null, newestFirst, null, null, TrackingSource.Push, eta);

    [Theory]
    [InlineData("【北京市】派件员 王师傅 13912345678 正在为您派件", "【北京市】派件员 *** 正在为您派件")]
    [InlineData("揽投员: 李四 +86 139-1234-5678", "揽投员 ***")]
    [InlineData("快件已放入【丰巢】,取件码 886612,请及时取件", "快件已放入【丰巢】,取件码 ***,请及时取件")]
    [InlineData("如有疑问请致电 0571-88886666", "如有疑问请致电 ***")]
    [InlineData("【杭州市】快件已到达【杭州转运中心】", "【杭州市】快件已到达【杭州转运中心】")]
    public void A_customer_safe_description_has_no_courier_names_phone_numbers_or_pickup_codes(string raw, string expected)
    {
        Assert.Equal(expected, CustomerSafe.Describe(raw));
    }

    [Fact]
    public void The_answer_says_where_the_parcel_left_and_when_it_is_expected_in_both_languages()
    {
        var left = new ShipmentEventView(new DateTime(2026, 11, 28, 6, 2, 0, DateTimeKind.Utc), "杭州市", "【杭州市】快件已从【杭州转运中心】发出,准备发往【北京转运中心】", ShipmentStatus.InTransit);
        var shipment = Shipment(ShipmentStatus.InTransit, new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc), left);

        Assert.Equal("Your parcel left the Hangzhou hub at 14:02 and is expected tomorrow.", CustomerAnswer.Build(shipment, AnswerLanguage.English, Now));
        Assert.Equal("您的包裹已离开杭州转运中心（今天14:02），预计明天送达。", CustomerAnswer.Build(shipment, AnswerLanguage.Chinese, Now));
    }

    [Fact]
    public void The_answer_for_a_parcel_out_for_delivery_never_repeats_the_couriers_number()
    {
        var ofd = new ShipmentEventView(new DateTime(2026, 11, 28, 1, 15, 0, DateTimeKind.Utc), "北京市", "【北京市】派件员 王师傅 13912345678 正在为您派件", ShipmentStatus.OutForDelivery);
        var answer = CustomerAnswer.Build(Shipment(ShipmentStatus.OutForDelivery, null, ofd), AnswerLanguage.English, Now);

        Assert.Equal("Your parcel has been out for delivery in Beijing since 09:15 and should arrive today.", answer);
    }

    [Fact]
    public void The_answer_for_a_parcel_without_scans_says_it_waits_for_pickup_and_a_delivered_one_when_it_was_delivered()
    {
        Assert.Contains("waiting to be picked up", CustomerAnswer.Build(Shipment(ShipmentStatus.Pending, null), AnswerLanguage.English, Now), StringComparison.Ordinal);
        var delivered = new ShipmentEventView(new DateTime(2026, 11, 27, 5, 40, 0, DateTimeKind.Utc), "北京市", "【北京市】已签收,签收人: 本人", ShipmentStatus.Delivered);
        Assert.Equal("您的包裹已于昨天13:40签收。", CustomerAnswer.Build(Shipment(ShipmentStatus.Delivered, null, delivered), AnswerLanguage.Chinese, Now));
    }

    [Fact]
    public void The_route_runs_from_the_first_scan_through_the_hubs_to_the_destination()
    {
        var events = new[]
        {
            new ShipmentEventView(Now, "北京市", "【北京市】快件已到达【北京转运中心】", ShipmentStatus.InTransit),
            new ShipmentEventView(Now.AddHours(-20), "郑州市", "【郑州市】快件已从【郑州转运中心】发出", ShipmentStatus.InTransit),
            new ShipmentEventView(Now.AddHours(-22), "郑州市", "【郑州市】快件已到达【郑州转运中心】", ShipmentStatus.InTransit),
            new ShipmentEventView(Now.AddHours(-30), "苏州市", "【苏州市】已揽收", ShipmentStatus.PickedUp),
        };

        var stops = RouteStops.From(events, null, "北京", delivered: false);

        Assert.Equal(["苏州", "郑州", "北京"], stops.Select(s => s.Place.NameZh));
        Assert.Equal([RouteStopKind.Origin, RouteStopKind.Hub, RouteStopKind.Destination], stops.Select(s => s.Kind));
        Assert.False(stops[^1].Reached);
    }

    [Fact]
    public void A_second_pickup_scan_starts_the_route_again_instead_of_doubling_back()
    {
        var events = new[]
        {
            new ShipmentEventView(Now, "北京市", "【北京市】快件已到达【北京转运中心】", ShipmentStatus.InTransit),
            new ShipmentEventView(Now.AddHours(-20), "成都市", "【成都市】已揽收", ShipmentStatus.PickedUp),
            new ShipmentEventView(Now.AddHours(-30), "杭州市", "【杭州市】快件已到达【杭州转运中心】", ShipmentStatus.InTransit),
            new ShipmentEventView(Now.AddHours(-40), "上海市", "【上海市】已揽收", ShipmentStatus.PickedUp),
        };

        var stops = RouteStops.From(events, null, "北京", delivered: false);

        Assert.Equal(["成都", "北京"], stops.Select(s => s.Place.NameZh));
        Assert.Equal(RouteStopKind.Origin, stops[0].Kind);
    }

    [Fact]
    public void Every_provincial_unit_is_on_the_map_and_places_are_found_by_city_or_province()
    {
        Assert.Equal(34, ChinaProvinces.All.Count);
        Assert.Equal("32", ChinaProvinces.Locate("【苏州市】快件已揽收")!.Province.Code);
        Assert.Equal("15", ChinaProvinces.Locate("内蒙古自治区")!.Province.Code);
        Assert.Equal("65", ChinaProvinces.Locate("Urumqi")!.Province.Code);
        Assert.Null(ChinaProvinces.Locate("somewhere"));
    }
}
