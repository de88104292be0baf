using MerchantPortal.Carriers.Tests.Support;

namespace MerchantPortal.Carriers.Tests;

public sealed class ResponseParsingTests
{
    [Fact]
    public async Task A_string_success_numeric_codes_and_lower_case_keys_are_understood()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""
            {"ebusinessid":"1237100","success":"true","resultcode":100,"unknownField":{"x":1},
             "order":{"ordercode":"SO-1001","logisticcode":"ZT1001","shippercode":"ZTO","markdestination":"沪 浦东","sortingcode":"300-12","destinatioName":"上海分拨"},
             "printtemplate":"<html></html>"}
            """);
        using var host = new TestGateway();

        var result = await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        Assert.True(result.Success);
        Assert.Equal("100", result.ResultCode);
        Assert.Equal(200, result.HttpStatus);
        var w = result.Value!;
        Assert.Equal("ZT1001", w.TrackingNo);
        Assert.Equal("沪 浦东", w.MarkDestination);
        Assert.Equal("300-12", w.SortingCode);
        Assert.Equal("上海分拨", w.DestinationName);
        Assert.Equal("<html></html>", w.PrintTemplate);
        Assert.False(w.Replayed);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")] // Go/JS clients accept 106 whatever Success says (§2.6)
    public async Task ResultCode_106_is_a_success_marked_as_replayed(string success)
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson($$$"""{"Success":{{{success}}},"ResultCode":106,"Reason":"该订单号已下单成功","Order":{"OrderCode":"SO-1001","LogisticCode":"ZT1001"}}""");
        using var host = new TestGateway();

        var result = await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        Assert.True(result.Success);
        Assert.True(result.Value!.Replayed);
        Assert.Equal("ZT1001", result.Value.TrackingNo);
    }

    [Fact]
    public async Task A_business_refusal_is_rejected_and_not_retriable()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":false,"ResultCode":"105","Reason":"收件人地址不详细"}""");
        using var host = new TestGateway();

        var result = await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.False(result.Retriable);
        Assert.Equal("105", result.ResultCode);
        Assert.Equal("收件人地址不详细", result.Reason);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task ResultCode_405_inside_a_200_answer_is_rate_limited_and_retriable()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":false,"ResultCode":405,"Reason":"超出查询次数限制"}""");
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.Equal(CarrierErrorKind.RateLimited, result.Error);
        Assert.True(result.Retriable);
        Assert.Equal(200, result.HttpStatus);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task An_unreadable_answer_is_an_invalid_response_not_an_exception(string body)
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => new ServerReply(200, body));
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.InvalidResponse, result.Error);
    }

    [Fact]
    public async Task A_waybill_success_without_a_number_is_an_invalid_response()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"ResultCode":"100","Order":{"OrderCode":"SO-1001"}}""");
        using var host = new TestGateway();

        var result = await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        Assert.Equal(CarrierErrorKind.InvalidResponse, result.Error);
    }

    [Fact]
    public async Task A_value_added_tracking_answer_becomes_a_snapshot_with_events_oldest_first()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""
            {"EBusinessID":"1237100","ShipperCode":"ZTO","LogisticCode":"ZT1","Success":true,"State":2,"StateEx":"202","Location":"上海市",
             "Traces":[
               {"AcceptTime":"2024-01-02 08:00:00","AcceptStation":"【杭州】已揽收","Location":"杭州市","Action":"1"},
               {"AcceptTime":"2024-01-03 07:30:00","AcceptStation":"【上海】派件中","Location":"上海市","Action":202},
               {"AcceptTime":"2024-01-02 20:00:00","AcceptStation":"【杭州】已发出","Location":"杭州市","Action":"2"}]}
            """);
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.True(result.Success);
        var s = result.Value!;
        Assert.Equal(ShipmentStatus.OutForDelivery, s.Status);
        Assert.Equal("2", s.RawState);
        Assert.Equal("202", s.RawStateEx);
        Assert.Equal("上海市", s.Location);
        Assert.Equal(
            [ShipmentStatus.PickedUp, ShipmentStatus.InTransit, ShipmentStatus.OutForDelivery],
            s.Events.Select(e => e.Status));
        Assert.Equal(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), s.Events[0].TimeUtc);
        Assert.Equal("【上海】派件中", s.Events[2].Description);
    }

    [Fact]
    public async Task Tracking_falls_back_to_the_plain_query_when_the_value_added_one_is_not_opened()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(r => r.RequestType == "8001"
            ? ServerReply.Json("""{"Success":false,"Reason":"没有开通此服务"}""")
            : ServerReply.Json("""{"Success":"true","State":"3","Traces":[{"AcceptTime":"2024-01-02 08:00:00","AcceptStation":"已揽收"},{"AcceptTime":"2024-01-03 10:00:00","AcceptStation":"已签收"}]}"""));
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.True(result.Success);
        Assert.Equal(["8001", "1002"], server.Received.Select(r => r.RequestType));
        Assert.Equal("/Ebusiness/EbusinessOrderHandle.aspx", server.Received[1].Path);
        Assert.Equal(server.Received[0].RequestData, server.Received[1].RequestData);
        Assert.Equal(ShipmentStatus.Delivered, result.Value!.Status);
        Assert.Equal("ZT1", result.Value.TrackingNo);
        Assert.Equal([ShipmentStatus.InTransit, ShipmentStatus.Delivered], result.Value.Events.Select(e => e.Status));
    }

    [Fact]
    public async Task Tracking_does_not_fall_back_when_the_value_added_query_refuses_for_another_reason()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":false,"ResultCode":"404","Reason":"快递单号长度不符"}""");
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "1");

        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_number_without_traces_yet_is_pending_rather_than_a_failure()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":false,"Reason":"暂无轨迹信息","State":"0"}""");
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.True(result.Success);
        Assert.Equal(ShipmentStatus.Pending, result.Value!.Status);
        Assert.Empty(result.Value.Events);
    }

    [Fact]
    public async Task A_duplicate_pickup_booking_is_recognised_and_returns_what_the_answer_carries()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":false,"ResultCode":"105","Reason":"该订单已经存在,请勿重复操作","Order":{"OrderCode":"RT-2001","ShipperCode":"SF","LogisticCode":"SF1234"}}""");
        using var host = new TestGateway();

        var result = await host.Gateway.BookPickupAsync(TestGateway.Account(server), Samples.Pickup());

        Assert.True(result.Success);
        Assert.True(result.Value!.AlreadyExisted);
        Assert.Equal("SF1234", result.Value.TrackingNo);
        Assert.Equal("RT-2001", result.Value.OrderCode);
    }

    [Fact]
    public async Task A_new_pickup_booking_is_not_marked_as_already_existing()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"ResultCode":"100","Order":{"OrderCode":"RT-2001","LogisticCode":"SF999","PickupCode":"8842"}}""");
        using var host = new TestGateway();

        var result = await host.Gateway.BookPickupAsync(TestGateway.Account(server), Samples.Pickup());

        Assert.True(result.Success);
        Assert.False(result.Value!.AlreadyExisted);
        Assert.Equal("SF999", result.Value.TrackingNo);
        Assert.Equal("8842", result.Value.PickupCode);
    }

    [Fact]
    public async Task Carrier_recognition_lists_every_candidate_with_a_numeric_code()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"Code":100,"LogisticCode":"ZT1","Shippers":[{"ShipperCode":"ZTO","ShipperName":"中通快递"},{"shipperCode":"YTO","shipperName":"圆通速递"}]}""");
        using var host = new TestGateway();

        var result = await host.Gateway.RecogniseCarrierAsync(TestGateway.Account(server), "ZT1");

        Assert.Equal("100", result.ResultCode);
        Assert.Equal([new CarrierCandidate("ZTO", "中通快递"), new CarrierCandidate("YTO", "圆通速递")], result.Value!);
    }

    [Fact]
    public async Task Address_parsing_reads_the_data_object()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"Data":{"ProvinceName":"浙江省","CityName":"杭州市","ExpAreaName":"西湖区","StreetName":"文新街道","Address":"文三路100号","Name":"张三","Mobile":"13800138000"}}""");
        using var host = new TestGateway();

        var result = await host.Gateway.ParseAddressAsync(TestGateway.Account(server), "浙江省杭州市西湖区文三路100号 张三 13800138000");

        Assert.Equal(new ParsedAddress("浙江省", "杭州市", "西湖区", "文新街道", "文三路100号", "张三", "13800138000"), result.Value);
    }

    [Fact]
    public async Task A_subscription_reports_the_estimated_delivery_in_utc()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"EBusinessID":"1237100","UpdateTime":"2024-01-02 08:00:00","Success":true,"EstimatedDeliveryTime":"2024-01-04 18:00:00"}""");
        using var host = new TestGateway();

        var result = await host.Gateway.SubscribeAsync(TestGateway.Account(server), "ZTO", "ZT1", new Uri("https://portal.example/push"), "SO-1");

        Assert.True(result.Success);
        Assert.Equal(new DateTimeOffset(2024, 1, 4, 10, 0, 0, TimeSpan.Zero), result.Value!.EstimatedDelivery);
    }
}
