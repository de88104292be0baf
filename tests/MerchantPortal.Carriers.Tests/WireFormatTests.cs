using System.Text.Json;
using MerchantPortal.Carriers.Tests.Support;

namespace MerchantPortal.Carriers.Tests;

public sealed class WireFormatTests
{
    [Fact]
    public async Task Each_form_value_is_encoded_once_and_the_sign_verifies_against_the_RequestData_received()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"ResultCode":"100","Order":{"OrderCode":"SO-1001","LogisticCode":"ZT1"}}""");
        using var host = new TestGateway();

        await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        var r = Assert.Single(server.Received);
        Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("charset=utf-8", r.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("{", r.RequestData, StringComparison.Ordinal); // one decode gives JSON: not double-encoded
        Assert.Equal(KdniaoSigner.Sign(r.RequestData, TestGateway.AppKey), r.Form["DataSign"]);
        Assert.True(KdniaoPush.VerifySign(r.RequestData, r.Form["DataSign"], TestGateway.AppKey));
        Assert.Contains("%3D", r.RawBody, StringComparison.Ordinal);      // the sign's "=" encoded once…
        Assert.DoesNotContain("%253D", r.RawBody, StringComparison.Ordinal); // …not twice
        Assert.Equal(TestGateway.EBusinessId, r.Form["EBusinessID"]);
        Assert.Equal("1007", r.RequestType);
        Assert.Equal("2", r.Form["DataType"]);
    }

    [Fact]
    public async Task RequestData_is_strict_json_with_pascal_case_keys_and_unescaped_chinese()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.AnswerJson("""{"Success":true,"Order":{"LogisticCode":"ZT1"}}""");
        using var host = new TestGateway();

        await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        var json = Assert.Single(server.Received).RequestData;
        Assert.Contains("张三", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json); // strict parser: double quotes, no trailing commas
        var root = doc.RootElement;
        Assert.Equal(
            ["OrderCode", "ShipperCode", "CustomerName", "CustomerPwd", "MonthCode", "SendSite", "PayType", "ExpType", "Weight", "Quantity", "Remark", "IsReturnPrintTemplate", "Sender", "Receiver", "Commodity"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ZTO", root.GetProperty("ShipperCode").GetString());
        Assert.Equal(1, root.GetProperty("IsReturnPrintTemplate").GetInt32());
        Assert.Equal("浙江省", root.GetProperty("Sender").GetProperty("ProvinceName").GetString());
        Assert.Equal("西湖区", root.GetProperty("Sender").GetProperty("ExpAreaName").GetString());
        var goods = root.GetProperty("Commodity")[0];
        Assert.Equal("保温杯", goods.GetProperty("GoodsName").GetString());
        Assert.Equal(2, goods.GetProperty("Goodsquantity").GetInt32()); // §2.6 spelling
    }

    public static TheoryData<string, string> PathByRequestType => new()
    {
        { "1007", "/sandbox/kdniao/api/EOrderService" },
        { "1147", "/sandbox/kdniao/api/EOrderService" },
        { "8001", "/sandbox/kdniao/api/dist" },
        { "8008", "/sandbox/kdniao/api/dist" },
        { "6001", "/sandbox/kdniao/api/dist" },
        { "2002", "/sandbox/kdniao/Ebusiness/EbusinessOrderHandle.aspx" },
        { "1801", "/sandbox/kdniao/api/OOrderService" },
        { "1802", "/sandbox/kdniao/api/OOrderService" },
    };

    [Theory]
    [MemberData(nameof(PathByRequestType))]
    public async Task Every_call_goes_to_its_request_type_path_below_the_base_url_prefix(string requestType, string expectedPath)
    {
        await using var server = await ScriptedKdniaoServer.StartAsync("/sandbox/kdniao");
        using var host = new TestGateway();
        var account = TestGateway.Account(server);
        var g = host.Gateway;

        await (requestType switch
        {
            "1007" => (Task)g.CreateWaybillAsync(account, Samples.Waybill()),
            "1147" => g.CancelWaybillAsync(account, "SO-1", "ZT1"),
            "8001" => g.TrackAsync(account, "ZTO", "ZT1"),
            "8008" => g.SubscribeAsync(account, "ZTO", "ZT1", new Uri("https://portal.example/kdniao/push")),
            "6001" => g.ParseAddressAsync(account, "浙江省杭州市西湖区文三路100号 张三 13800138000"),
            "2002" => g.RecogniseCarrierAsync(account, "ZT1"),
            "1801" => g.BookPickupAsync(account, Samples.Pickup()),
            "1802" => g.CancelPickupAsync(account, "SF", "RT-1", null, "客户取消"),
            _ => throw new ArgumentOutOfRangeException(nameof(requestType)),
        });

        var r = Assert.Single(server.Received);
        Assert.Equal(requestType, r.RequestType);
        Assert.Equal(expectedPath, r.Path);
        Assert.Equal(KdniaoSigner.Sign(r.RequestData, TestGateway.AppKey), r.Form["DataSign"]);
    }

    [Fact]
    public async Task Tracking_and_pickup_bodies_carry_the_documented_fields()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        using var host = new TestGateway();
        var account = TestGateway.Account(server);

        await host.Gateway.TrackAsync(account, " SF ", "SF1000", customerName: "5678");
        await host.Gateway.CancelWaybillAsync(account, "SO-1", "ZT1");
        await host.Gateway.BookPickupAsync(account, Samples.Pickup());

        var bodies = server.Received.Select(r => JsonDocument.Parse(r.RequestData).RootElement).ToList();
        Assert.Equal("SF", bodies[0].GetProperty("ShipperCode").GetString());
        Assert.Equal("SF1000", bodies[0].GetProperty("LogisticCode").GetString());
        Assert.Equal("5678", bodies[0].GetProperty("CustomerName").GetString());
        Assert.Equal("ZT1", bodies[1].GetProperty("ExpNo").GetString()); // §2.7: ExpNo, not LogisticCode
        Assert.Equal("2024-01-02 09:00:00", bodies[2].GetProperty("StartDate").GetString()); // Beijing time
        Assert.Equal("2024-01-02 13:00:00", bodies[2].GetProperty("EndDate").GetString());
        Assert.Equal(3, bodies[2].GetProperty("PayType").GetInt32()); // the account has a MonthCode
    }
}
