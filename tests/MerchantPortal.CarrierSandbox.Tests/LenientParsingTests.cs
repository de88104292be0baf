using System.Net;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class LenientParsingTests
{
    [Fact]
    public async Task Double_encoded_single_quoted_RequestData_is_accepted()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        const string data = "{'OrderCode':'','ShipperCode':'ZTO','LogisticCode':'73100000000042','Sort':'0'}";

        var reply = await sandbox.CallAsync("8001", data, "/Ebusiness/EbusinessOrderHandle.aspx", doubleEncode: true);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Success, reply.Body.GetRawText());
        Assert.Equal("73100000000042", reply.Str("LogisticCode"));
        Assert.Equal("ZTO", reply.Str("ShipperCode"));
    }

    [Fact]
    public async Task Lower_and_odd_case_keys_and_numbers_as_strings_are_accepted()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        const string data = """
            {"orderCode":"ODDCASE-1","SHIPPERCODE":"YTO","payType":"1","exptype":1,"isReturnPrintTemplate":1,
             "sender":{"name":"李仓管","mobile":13800001111,"provinceName":"浙江省","cityName":"杭州市","expAreaName":"西湖区","address":"文三路100号"},
             "receiver":{"NAME":"王小明","Tel":"010-88886666","ProvinceName":"北京","CityName":"北京市","ExpAreaName":"朝阳区","Address":"建国路88号"},
             "commodity":[{"goodsName":"T恤","goodsquantity":"1"}]}
            """;

        var body = await sandbox.CallOkAsync("1007", data, "/api/eorderservice");

        Assert.Equal("100", body.GetProperty("ResultCode").GetString());
        Assert.StartsWith("YT", body.GetProperty("Order").GetProperty("LogisticCode").GetString(), StringComparison.Ordinal);
        Assert.Contains("<html>", body.GetProperty("PrintTemplate").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/dist")]
    [InlineData("/API/DIST")]
    [InlineData("/api/EOrderService2")]
    [InlineData("/api/OOrderService")]
    [InlineData("/api/oorderservice2")]
    [InlineData("/kdniaosandbox/gateway/exterfaceInvoke.json")]
    [InlineData("/Ebusiness/EbusinessOrderHandle.aspx")]
    public async Task Every_protocol_path_accepts_any_RequestType(string path)
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var reply = await sandbox.CallAsync("2002", "{\"LogisticCode\":\"SF123456789012\"}", path);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Success, reply.Body.GetRawText());
        Assert.Equal("SF", reply.Body.GetProperty("Shippers")[0].GetProperty("ShipperCode").GetString());
    }
}
