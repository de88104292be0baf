using System.Text.Json;

namespace MerchantPortal.CarrierSandbox.Tests;

/// <summary>Strict PascalCase request bodies, the way a well-behaved client sends them.</summary>
internal static class Payloads
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Waybill(string orderCode, string shipperCode = "ZTO", bool template = false) => JsonSerializer.Serialize(new
    {
        OrderCode = orderCode,
        ShipperCode = shipperCode,
        PayType = 1,
        ExpType = 1,
        IsReturnPrintTemplate = template ? "1" : "0",
        Sender = new { Name = "李仓管", Mobile = "13800001111", ProvinceName = "浙江省", CityName = "杭州市", ExpAreaName = "西湖区", Address = "文三路100号" },
        Receiver = new { Name = "王小明", Mobile = "13900002222", ProvinceName = "北京市", CityName = "北京市", ExpAreaName = "朝阳区", Address = "建国路88号" },
        Commodity = new[] { new { GoodsName = "T恤", Goodsquantity = 1 } },
        Quantity = 1,
    }, Options);

    public static string Track(string shipperCode, string logisticCode, int sort = 0) => JsonSerializer.Serialize(new
    {
        OrderCode = "",
        ShipperCode = shipperCode,
        LogisticCode = logisticCode,
        CustomerName = "2222",
        Sort = sort,
    }, Options);

    public static string Pickup(string orderCode, DateTimeOffset startUtc, DateTimeOffset endUtc, string shipperCode = "SF") => JsonSerializer.Serialize(new
    {
        OrderCode = orderCode,
        ShipperCode = shipperCode,
        PayType = 1,
        ExpType = 1,
        StartDate = Beijing(startUtc),
        EndDate = Beijing(endUtc),
        Sender = new { Name = "王小明", Mobile = "13900002222", ProvinceName = "北京市", CityName = "北京市", ExpAreaName = "朝阳区", Address = "建国路88号" },
        Receiver = new { Name = "退货仓", Mobile = "13800001111", ProvinceName = "浙江省", CityName = "杭州市", ExpAreaName = "西湖区", Address = "文三路100号" },
        Commodity = new[] { new { GoodsName = "T恤" } },
    }, Options);

    public static string Beijing(DateTimeOffset utc) =>
        utc.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
