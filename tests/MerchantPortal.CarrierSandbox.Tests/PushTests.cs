using System.Diagnostics;
using System.Text.Json;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class PushTests
{
    [Fact]
    public async Task An_8008_subscription_pushes_the_signed_full_history_once_it_is_final()
    {
        await using var receiver = await PushReceiver.StartAsync();
        await using var sandbox = await SandboxApp.StartAsync();
        var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill("PUSH-1", "JD"), "/api/EOrderService");
        var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString()!;

        var subscribed = await sandbox.CallOkAsync("8008", $$"""{"ShipperCode":"JD","LogisticCode":"{{number}}","OrderCode":"PUSH-1","Callback":"{{receiver.CallbackUrl}}"}""");
        Assert.Equal("JD", subscribed.GetProperty("ShipperCode").GetString());
        Assert.Equal(number, subscribed.GetProperty("LogisticCode").GetString());
        Assert.False(string.IsNullOrEmpty(subscribed.GetProperty("UpdateTime").GetString()));

        // Nothing scanned yet: nothing to push.
        var idle = await sandbox.AdminPostAsync("push-now");
        Assert.Equal(0, idle.GetProperty("batches").GetInt32());

        await sandbox.AdvanceHoursAsync(24 * 40);
        var pass = await sandbox.AdminPostAsync("push-now");
        Assert.Equal(1, pass.GetProperty("succeeded").GetInt32());

        var push = Assert.Single(receiver.Received);
        Assert.True(push.SignValid, "DataSign did not verify with the merchant's AppKey");
        Assert.Equal("102", push.RequestType);
        Assert.Equal(SandboxApp.MerchantId, push.EBusinessId);
        var body = JsonDocument.Parse(push.RequestData).RootElement;
        Assert.Equal("1", body.GetProperty("Count").GetString());
        var item = body.GetProperty("Data")[0];
        Assert.Equal(number, item.GetProperty("LogisticCode").GetString());
        Assert.Equal("PUSH-1", item.GetProperty("OrderCode").GetString());
        Assert.Equal(receiver.CallbackUrl, item.GetProperty("CallBack").GetString());

        var tracked = await sandbox.CallOkAsync("8001", Payloads.Track("JD", number));
        Assert.Equal(tracked.GetProperty("Traces").GetRawText(), item.GetProperty("Traces").GetRawText());
        Assert.Equal(tracked.GetProperty("StateEx").GetString(), item.GetProperty("StateEx").GetString());
        Assert.Equal(tracked.GetProperty("State").GetString(), item.GetProperty("State").GetString());
        Assert.Equal("1", item.GetProperty("Traces")[0].GetProperty("Action").GetString());

        // A final (or dead-end) journey gets no second push.
        await sandbox.AdvanceHoursAsync(24 * 10);
        var after = await sandbox.AdminPostAsync("push-now");
        Assert.Equal(0, after.GetProperty("batches").GetInt32());
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_receiver_that_refuses_or_fails_is_retried_until_it_accepts()
    {
        await using var receiver = await PushReceiver.StartAsync();
        receiver.Answer = call => call switch
        {
            1 => (200, """{"EBusinessID":"test1617571","Success":false,"Reason":"busy"}"""),
            2 => (500, "oops"),
            _ => (200, """{"EBusinessID":"test1617571","UpdateTime":"2026-01-01 00:00:00","Success":"true","Reason":""}"""),
        };
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["PushRetryBaseSeconds"] = "3600" });
        await sandbox.CallOkAsync("1008", $$"""{"ShipperCode":"ZTO","LogisticCode":"73100000000777","Callback":"{{receiver.CallbackUrl}}"}""");
        await sandbox.AdvanceHoursAsync(24 * 3);

        var first = await sandbox.AdminPostAsync("push-now");
        Assert.Equal(1, first.GetProperty("failed").GetInt32());

        // The back-off (1 h real time) is recorded: an ordinary pass leaves the subscription alone…
        var waiting = await sandbox.AdminPostAsync("push-now");
        Assert.Equal(0, waiting.GetProperty("batches").GetInt32());

        // …and forced passes retry it until the receiver says Success.
        var stopwatch = Stopwatch.StartNew();
        while (receiver.Received.Count < 3 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await sandbox.AdminPostAsync("push-now?force=true");
        }

        Assert.Equal(3, receiver.Received.Count);
        Assert.All(receiver.Received, p => Assert.Equal("101", p.RequestType));
        Assert.All(receiver.Received, p => Assert.True(p.SignValid));
        var plainItem = JsonDocument.Parse(receiver.Received.Last().RequestData).RootElement.GetProperty("Data")[0];
        Assert.False(plainItem.TryGetProperty("StateEx", out _));

        var stats = await sandbox.StatsAsync();
        Assert.Equal(1, stats.GetProperty("pushesSent").GetInt64());
        Assert.Equal(2, stats.GetProperty("pushesFailed").GetInt64());
    }

    [Fact]
    public async Task The_dispatcher_pushes_on_its_own_and_groups_subscriptions_per_callback()
    {
        await using var receiver = await PushReceiver.StartAsync();
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["PushIntervalSeconds"] = "0.2" });
        // Freshly issued waybills have no scans yet, so the timer cannot push one before the other is subscribed.
        foreach (var orderCode in new[] { "GROUP-1", "GROUP-2" })
        {
            var issued = await sandbox.CallOkAsync("1007", Payloads.Waybill(orderCode, "YTO"), "/api/EOrderService");
            var number = issued.GetProperty("Order").GetProperty("LogisticCode").GetString();
            await sandbox.CallOkAsync("1008", $$"""{"ShipperCode":"YTO","LogisticCode":"{{number}}","Callback":"{{receiver.CallbackUrl}}"}""");
        }

        await sandbox.AdvanceHoursAsync(24 * 40);

        var stopwatch = Stopwatch.StartNew();
        while (receiver.Received.IsEmpty && stopwatch.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }

        var push = Assert.Single(receiver.Received.Take(1));
        var body = JsonDocument.Parse(push.RequestData).RootElement;
        Assert.Equal("2", body.GetProperty("Count").GetString());
        Assert.Equal(2, body.GetProperty("Data").GetArrayLength());
    }
}
