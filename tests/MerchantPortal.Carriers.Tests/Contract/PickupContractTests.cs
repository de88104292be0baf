using System.Text.RegularExpressions;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>1801 / 1802 through the gateway against the sandbox (carrier-protocol.md §2.8).</summary>
[Collection(ContractCollection.Name)]
public sealed class PickupContractTests(ContractSandbox sandbox) : ContractTestBase(sandbox)
{

    [Fact]
    public async Task A_pickup_is_booked_with_a_tracking_number_and_a_pickup_code()
    {
        var request = ContractSamples.Pickup();

        var result = await Gateway.BookPickupAsync(Sandbox.Account(), request);

        Assert.True(result.Success, result.Reason);
        var booked = result.Value!;
        Assert.Equal(request.OrderCode, booked.OrderCode);
        Assert.Matches(new Regex(@"^SF\d{12}$"), booked.TrackingNo);
        Assert.Matches(new Regex(@"^\d{6}$"), booked.PickupCode);
        Assert.False(booked.AlreadyExisted);
        Assert.Equal(1, (await Sandbox.StatsAsync()).PickupsBooked);
    }

    [Fact]
    public async Task Booking_the_same_order_again_answers_already_existed_and_books_nothing_more()
    {
        var account = Sandbox.Account();
        var request = ContractSamples.Pickup();
        var first = await Gateway.BookPickupAsync(account, request);

        var again = await Gateway.BookPickupAsync(account, request);

        Assert.True(first.Success, first.Reason);
        Assert.True(again.Success, again.Reason);
        Assert.True(again.Value!.AlreadyExisted);
        Assert.Equal("105", again.ResultCode);
        var stats = await Sandbox.StatsAsync();
        Assert.Equal(1, stats.PickupsBooked);
        Assert.Equal(2, stats.Calls("1801"));
    }

    [Fact]
    public async Task A_pickup_window_in_the_past_is_rejected()
    {
        var request = ContractSamples.Pickup(windowStartUtc: DateTime.UtcNow.AddDays(-1));

        var result = await Gateway.BookPickupAsync(Sandbox.Account(), request);

        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Equal("103", result.ResultCode);
        Assert.False(result.Retriable);
        Assert.Equal(0, (await Sandbox.StatsAsync()).PickupsBooked);
    }

    [Fact]
    public async Task A_pickup_can_be_cancelled_before_the_courier_collects()
    {
        var account = Sandbox.Account();
        var booked = (await Gateway.BookPickupAsync(account, ContractSamples.Pickup())).Value!;

        var cancel = await Gateway.CancelPickupAsync(account, "SF", booked.OrderCode, booked.TrackingNo, "客户取消");

        Assert.True(cancel.Success, cancel.Reason);
        Assert.Equal("100", cancel.ResultCode);
        var again = await Gateway.CancelPickupAsync(account, "SF", booked.OrderCode, booked.TrackingNo, "客户取消");
        Assert.Equal(CarrierErrorKind.Rejected, again.Error);
    }

    [Fact]
    public async Task A_pickup_cannot_be_cancelled_after_the_courier_collected()
    {
        var account = Sandbox.Account();
        var booked = (await Gateway.BookPickupAsync(account, ContractSamples.Pickup())).Value!;
        await Sandbox.AdvanceAsync(24); // the window is two to four hours from now

        var cancel = await Gateway.CancelPickupAsync(account, "SF", booked.OrderCode, booked.TrackingNo, null);

        Assert.False(cancel.Success);
        Assert.Equal(CarrierErrorKind.Rejected, cancel.Error);
        Assert.Equal("105", cancel.ResultCode);
        Assert.Contains("揽收", cancel.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booked_pickup_tracks_as_waiting_for_the_courier_then_as_picked_up()
    {
        var account = Sandbox.Account();
        var booked = (await Gateway.BookPickupAsync(account, ContractSamples.Pickup())).Value!;

        await Sandbox.AdvanceAsync(1.6); // the courier is assigned 0.5–1.5 h after booking
        var waiting = await Gateway.TrackAsync(account, "SF", booked.TrackingNo!, customerName: "9000");
        await Sandbox.AdvanceAsync(24);
        var collected = await Gateway.TrackAsync(account, "SF", booked.TrackingNo!, customerName: "9000");

        Assert.True(waiting.Success, waiting.Reason);
        Assert.Equal(ShipmentStatus.Pending, waiting.Value!.Status); // StateEx 10 待揽件
        Assert.Equal("10", waiting.Value.RawStateEx);
        Assert.All(waiting.Value.Events, e => Assert.Equal(ShipmentStatus.Pending, e.Status));
        Assert.True(collected.Success, collected.Reason);
        Assert.Contains(collected.Value!.Events, e => e.Status == ShipmentStatus.PickedUp);
        Assert.NotEqual(ShipmentStatus.Pending, collected.Value.Status);
    }
}
