using System.Text.RegularExpressions;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class WaybillTests
{
    [Fact]
    public async Task Issuing_twice_with_one_OrderCode_gives_one_number_and_counts_one_waybill()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var first = await sandbox.CallOkAsync("1007", Payloads.Waybill("ORDER-1001", template: true), "/api/EOrderService");
        var second = await sandbox.CallOkAsync("1007", Payloads.Waybill("ORDER-1001"), "/api/EOrderService");

        Assert.Equal("100", first.GetProperty("ResultCode").GetString());
        Assert.Equal("106", second.GetProperty("ResultCode").GetString());
        Assert.Equal("该订单号已下单成功", second.GetProperty("Reason").GetString());
        var number = first.GetProperty("Order").GetProperty("LogisticCode").GetString();
        Assert.Equal(number, second.GetProperty("Order").GetProperty("LogisticCode").GetString());
        Assert.Matches(new Regex(@"^7\d{13}$"), number!);

        var order = first.GetProperty("Order");
        Assert.Equal("ORDER-1001", order.GetProperty("OrderCode").GetString());
        Assert.Equal("北京 朝阳", order.GetProperty("MarkDestination").GetString());
        foreach (var field in new[] { "KDNOrderCode", "OriginCode", "OriginName", "DestinatioCode", "DestinatioName", "SortingCode", "PackageName" })
        {
            Assert.False(string.IsNullOrEmpty(order.GetProperty(field).GetString()), field);
        }

        Assert.True(Guid.TryParse(first.GetProperty("UniquerRequestNumber").GetString(), out _));
        Assert.Contains(number!, first.GetProperty("PrintTemplate").GetString(), StringComparison.Ordinal);
        Assert.False(second.TryGetProperty("PrintTemplate", out _));

        var stats = await sandbox.StatsAsync();
        Assert.Equal(1, stats.GetProperty("waybillsIssued").GetInt64());
        Assert.Equal(2, stats.GetProperty("callsByRequestType").GetProperty("1007").GetInt64());
    }

    [Fact]
    public async Task Twenty_concurrent_issues_with_one_OrderCode_give_one_number()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => sandbox.CallOkAsync("1007", Payloads.Waybill("RACE-1", "SF"), "/api/EOrderService")));

        var numbers = replies.Select(r => r.GetProperty("Order").GetProperty("LogisticCode").GetString()).Distinct().ToList();
        Assert.Single(numbers);
        Assert.Single(replies, r => r.GetProperty("ResultCode").GetString() == "100");
        Assert.Equal(19, replies.Count(r => r.GetProperty("ResultCode").GetString() == "106"));
        Assert.Equal(1, (await sandbox.StatsAsync()).GetProperty("waybillsIssued").GetInt64());
    }

    [Fact]
    public async Task With_a_data_file_state_survives_a_restart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kdniao-sandbox-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?> { ["DataFile"] = file };
        try
        {
            string? number;
            await using (var first = await SandboxApp.StartAsync(settings))
            {
                var issued = await first.CallOkAsync("1007", Payloads.Waybill("PERSIST-1", "JD"), "/api/EOrderService");
                number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString();
                await first.AdvanceHoursAsync(30);
            }

            await using var second = await SandboxApp.StartAsync(settings);
            var replay = await second.CallOkAsync("1007", Payloads.Waybill("PERSIST-1", "JD"), "/api/EOrderService");
            Assert.Equal("106", replay.GetProperty("ResultCode").GetString());
            Assert.Equal(number, replay.GetProperty("Order").GetProperty("LogisticCode").GetString());

            var stats = await second.StatsAsync();
            Assert.Equal(1, stats.GetProperty("waybillsIssued").GetInt64());
            Assert.Equal(2, stats.GetProperty("callsByRequestType").GetProperty("1007").GetInt64());
            // The simulated clock resumes where it was (30 h ahead), so the parcel has moved on.
            var track = await second.CallOkAsync("8001", Payloads.Track("JD", number!));
            Assert.NotEqual("0", track.GetProperty("State").GetString());
        }
        finally
        {
            foreach (var f in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public async Task A_waybill_can_be_cancelled_before_pickup_and_its_OrderCode_stays_burned()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill("CANCEL-1", "YTO"), "/api/EOrderService");
        var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString();

        var cancel = await sandbox.CallOkAsync("1147", $$"""{"ShipperCode":"YTO","OrderCode":"CANCEL-1","ExpNo":"{{number}}"}""", "/api/EOrderService");
        Assert.Equal("100", cancel.GetProperty("ResultCode").GetString());

        var again = await sandbox.CallAsync("1007", Payloads.Waybill("CANCEL-1", "YTO"), "/api/EOrderService");
        Assert.False(again.Success);
        Assert.Equal("105", again.ResultCode);
        Assert.Equal("该订单已取消", again.Str("Reason"));

        var stats = await sandbox.StatsAsync();
        Assert.Equal(1, stats.GetProperty("waybillsIssued").GetInt64());
        Assert.Equal(1, stats.GetProperty("waybillsCancelled").GetInt64());
    }

    [Fact]
    public async Task Cancelling_a_waybill_is_refused_after_its_first_scan()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill("CANCEL-2", "STO"), "/api/EOrderService");
        var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString();

        // As the sandbox simulates a carrier: the first scan comes 1–8 simulated hours after issue.
        await sandbox.AdvanceHoursAsync(9);
        var track = await sandbox.CallOkAsync("8001", Payloads.Track("STO", number!));
        Assert.Equal("1", track.GetProperty("Traces")[0].GetProperty("Action").GetString());

        var cancel = await sandbox.CallAsync("1147", $$"""{"ShipperCode":"STO","OrderCode":"CANCEL-2","ExpNo":"{{number}}"}""", "/api/EOrderService");
        Assert.False(cancel.Success);
        Assert.Equal("105", cancel.ResultCode);
        Assert.Equal(0, (await sandbox.StatsAsync()).GetProperty("waybillsCancelled").GetInt64());
    }

    [Fact]
    public async Task An_incomplete_waybill_request_is_refused_with_a_reason_and_issues_nothing()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var noReceiverAddress = Payloads.Waybill("BAD-1").Replace("\"Address\":\"建国路88号\"", "\"Address\":\"\"", StringComparison.Ordinal);
        var missing = await sandbox.CallAsync("1007", noReceiverAddress, "/api/EOrderService");
        Assert.Equal("101", missing.ResultCode);
        Assert.Contains("Receiver.Address", missing.Str("Reason"), StringComparison.Ordinal);

        var unknownCarrier = await sandbox.CallAsync("1007", Payloads.Waybill("BAD-2", "NOPE"), "/api/EOrderService");
        Assert.Equal("105", unknownCarrier.ResultCode);

        var forbidden = await sandbox.CallAsync("1007", Payloads.Waybill("BAD-3").Replace("文三路100号", "文三路100号#3", StringComparison.Ordinal), "/api/EOrderService");
        Assert.Equal("105", forbidden.ResultCode);

        Assert.Equal(0, (await sandbox.StatsAsync()).GetProperty("waybillsIssued").GetInt64());
    }
}
