using System.Globalization;
using Xunit.Abstractions;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class NetworkTests(ITestOutputHelper output)
{
    private static readonly (string Code, string Prefix, int Digits)[] Carriers =
    [
        ("SF", "SF", 12), ("ZTO", "7", 13), ("YTO", "YT", 13), ("STO", "77", 11), ("YD", "43", 13), ("JD", "JD", 13),
        ("EMS", "1", 12), ("YZPY", "9", 12), ("JTSD", "JT", 13), ("DBL", "DPK", 12), ("HTKY", "55", 11), ("UC", "UC", 12),
    ];

    [Fact]
    public async Task Every_carrier_produces_journeys_and_500_parcels_mix_delivered_exception_and_returned_outcomes()
    {
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["RateLimitPerSecond"] = "1000000" });
        var random = new Random(20261128);
        var parcels = new List<(string Code, string Number)>();
        for (var i = 0; i < 504; i++)
        {
            var (code, prefix, digits) = Carriers[i % Carriers.Length];
            var number = prefix + string.Concat(Enumerable.Range(0, digits).Select(_ => random.Next(10).ToString(CultureInfo.InvariantCulture)));
            parcels.Add((code, number));
        }

        await Task.WhenAll(parcels.Chunk(42).Select(async chunk =>
        {
            foreach (var (code, number) in chunk)
            {
                await sandbox.CallOkAsync("8001", Payloads.Track(code, number));
            }
        }));
        await sandbox.AdvanceHoursAsync(24 * 45);

        var outcomes = new Dictionary<string, int>();
        var perCarrier = new Dictionary<string, int>();
        var results = await Task.WhenAll(parcels.Chunk(42).Select(async chunk =>
        {
            var list = new List<(string Code, System.Text.Json.JsonElement Reply)>();
            foreach (var (code, number) in chunk)
            {
                list.Add((code, await sandbox.CallOkAsync("8001", Payloads.Track(code, number))));
            }

            return list;
        }));

        foreach (var (code, reply) in results.SelectMany(r => r))
        {
            TrackingTests.AssertConsistent(reply);
            var actions = reply.GetProperty("Traces").EnumerateArray().Select(t => t.GetProperty("Action").GetString()!).ToList();
            perCarrier[code] = perCarrier.GetValueOrDefault(code) + (actions.Count > 0 ? 1 : 0);
            var stateEx = reply.GetProperty("StateEx").GetString()!;
            var outcome = stateEx == "406" ? "returned"
                : actions.Any(a => a.StartsWith('4')) || stateEx == "403" ? "exception"
                : stateEx.StartsWith('3') ? "delivered"
                : "other";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        var sample = results.SelectMany(r => r).First(r => r.Reply.GetProperty("Traces").GetArrayLength() > 8).Reply;
        foreach (var trace in sample.GetProperty("Traces").EnumerateArray())
        {
            output.WriteLine($"{trace.GetProperty("AcceptTime").GetString()} [{trace.GetProperty("Action").GetString()}] {trace.GetProperty("AcceptStation").GetString()}");
        }

        Assert.All(Carriers, c => Assert.Equal(42, perCarrier.GetValueOrDefault(c.Code)));
        Assert.True(outcomes.GetValueOrDefault("delivered") > 300, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("exception") > 10, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("returned") > 3, string.Join(", ", outcomes));
        Assert.Equal(0, outcomes.GetValueOrDefault("other"));
    }

    [Fact]
    public async Task Recognition_names_the_carrier_of_every_issued_number_and_an_empty_list_for_nonsense()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        foreach (var code in new[] { "SF", "ZTO", "YTO", "STO", "YD", "JD", "EMS", "YZPY", "JTSD", "DBL", "HTKY", "UC" })
        {
            var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill("RECOG-" + code, code), "/api/EOrderService");
            var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString();
            var recognised = await sandbox.CallOkAsync("2002", $$"""{"LogisticCode":"{{number}}"}""", "/Ebusiness/EbusinessOrderHandle.aspx");
            Assert.Contains(recognised.GetProperty("Shippers").EnumerateArray(), s => s.GetProperty("ShipperCode").GetString() == code);
        }

        var deppon = await sandbox.CallOkAsync("2002", """{"LogisticCode":"DPK123456789012"}""");
        Assert.Equal(2, deppon.GetProperty("Shippers").GetArrayLength());

        var nonsense = await sandbox.CallOkAsync("2002", """{"LogisticCode":"QQ123456789"}""");
        Assert.Equal(0, nonsense.GetProperty("Shippers").GetArrayLength());
    }

    [Theory]
    [InlineData("北京 朝阳区 建国路88号 李四 13900001111", "北京市", "北京市", "朝阳区", "建国路88号", "李四", "13900001111")]
    [InlineData("浙江省杭州市西湖区文三路100号 张三 13800001111", "浙江省", "杭州市", "西湖区", "文三路100号", "张三", "13800001111")]
    [InlineData("上海市浦东新区世纪大道1号", "上海市", "上海市", "浦东新区", "世纪大道1号", "", "")]
    [InlineData("王五 13700003333 广东省深圳市南山区科技园街道科苑路15号", "广东省", "深圳市", "南山区", "科技园街道科苑路15号", "王五", "13700003333")]
    public async Task Address_parsing_splits_free_text_into_fields(string content, string province, string city, string area, string address, string name, string mobile)
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var reply = await sandbox.CallOkAsync("6001", System.Text.Json.JsonSerializer.Serialize(new { Content = content }));
        var data = reply.GetProperty("Data");
        Assert.Equal(province, data.GetProperty("ProvinceName").GetString());
        Assert.Equal(city, data.GetProperty("CityName").GetString());
        Assert.Equal(area, data.GetProperty("ExpAreaName").GetString());
        Assert.Equal(address, data.GetProperty("Address").GetString());
        Assert.Equal(name, data.GetProperty("Name").GetString());
        Assert.Equal(mobile, data.GetProperty("Mobile").GetString());
    }
}
