using System.Text.RegularExpressions;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class PickupTests
{
    [Fact]
    public async Task A_door_pickup_is_booked_once_and_a_duplicate_is_refused_with_105()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var booked = await sandbox.CallOkAsync("1801", Payloads.Pickup("RET-1", now.AddHours(2), now.AddHours(4)), "/api/OOrderService");

        Assert.Equal("100", booked.GetProperty("ResultCode").GetString());
        var order = booked.GetProperty("Order");
        Assert.Equal("RET-1", order.GetProperty("OrderCode").GetString());
        Assert.Equal("SF", order.GetProperty("ShipperCode").GetString());
        Assert.Matches(new Regex(@"^SF\d{12}$"), order.GetProperty("LogisticCode").GetString()!);
        Assert.Matches(new Regex(@"^\d{6}$"), booked.GetProperty("PickupCode").GetString()!);

        var duplicate = await sandbox.CallAsync("1801", Payloads.Pickup("RET-1", now.AddHours(2), now.AddHours(4)), "/api/OOrderService");
        Assert.False(duplicate.Success);
        Assert.Equal("105", duplicate.ResultCode);
        Assert.Equal("该订单已经存在,请勿重复操作", duplicate.Str("Reason"));

        var sameRuleFor1001 = await sandbox.CallAsync("1001", Payloads.Pickup("RET-1", now.AddHours(2), now.AddHours(4)), "/api/OOrderService");
        Assert.Equal("105", sameRuleFor1001.ResultCode);
        Assert.Equal(1, (await sandbox.StatsAsync()).GetProperty("pickupsBooked").GetInt64());
    }

    [Fact]
    public async Task A_pickup_can_be_cancelled_before_collection_but_not_after()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await sandbox.CallOkAsync("1801", Payloads.Pickup("RET-2", now.AddHours(2), now.AddHours(4)), "/api/OOrderService");
        var cancelled = await sandbox.CallOkAsync("1802", """{"ShipperCode":"SF","OrderCode":"RET-2","Reason":"客户取消退货"}""", "/api/OOrderService");
        Assert.Equal("100", cancelled.GetProperty("ResultCode").GetString());

        var booked = await sandbox.CallOkAsync("1801", Payloads.Pickup("RET-3", now.AddHours(1), now.AddHours(3)), "/api/OOrderService");
        var number = booked.GetProperty("Order").GetProperty("LogisticCode").GetString()!;
        await sandbox.AdvanceHoursAsync(8);

        var tracked = await sandbox.CallOkAsync("8001", Payloads.Track("SF", number));
        var actions = tracked.GetProperty("Traces").EnumerateArray().Select(t => t.GetProperty("Action").GetString()).ToList();
        Assert.Equal("10", actions[0]);
        Assert.Contains("1", actions);
        Assert.False(string.IsNullOrEmpty(tracked.GetProperty("PickerInfo").GetProperty("PersonTel").GetString()));
        TrackingTests.AssertConsistent(tracked);

        var late = await sandbox.CallAsync("1802", """{"ShipperCode":"SF","OrderCode":"RET-3"}""", "/api/OOrderService");
        Assert.False(late.Success);
        Assert.Equal("105", late.ResultCode);
    }

    [Fact]
    public async Task A_pickup_window_in_the_past_or_missing_is_refused_with_103()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var past = await sandbox.CallAsync("1801", Payloads.Pickup("RET-4", now.AddDays(-1), now.AddDays(-1).AddHours(2)), "/api/OOrderService");
        Assert.False(past.Success);
        Assert.Equal("103", past.ResultCode);

        var backwards = await sandbox.CallAsync("1001", Payloads.Pickup("RET-5", now.AddHours(5), now.AddHours(3)), "/api/OOrderService");
        Assert.Equal("103", backwards.ResultCode);

        var noWindow = await sandbox.CallAsync("1001", Payloads.Pickup("RET-6", now, now).Replace("StartDate", "Start", StringComparison.Ordinal), "/api/OOrderService");
        Assert.Equal("103", noWindow.ResultCode);
        Assert.Equal(0, (await sandbox.StatsAsync()).GetProperty("pickupsBooked").GetInt64());
    }
}
