using System.Text.RegularExpressions;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>1007 / 1147 through the gateway against the sandbox (carrier-protocol.md §2.6, §2.7, §4).</summary>
[Collection(ContractCollection.Name)]
public sealed class WaybillContractTests(ContractSandbox sandbox) : ContractTestBase(sandbox)
{

    [Fact]
    public async Task A_waybill_is_issued_with_a_number_in_the_carriers_format_and_a_label_carrying_it()
    {
        var account = Sandbox.Account();
        var request = ContractSamples.Waybill();

        var result = await Gateway.CreateWaybillAsync(account, request);

        Assert.True(result.Success, result.Reason);
        var issued = result.Value!;
        Assert.Equal(request.OrderCode, issued.OrderCode);
        Assert.Equal("ZTO", issued.ShipperCode);
        Assert.Matches(new Regex(@"^7\d{13}$"), issued.TrackingNo);
        Assert.False(issued.Replayed);
        Assert.StartsWith("上海", issued.MarkDestination);
        Assert.False(string.IsNullOrEmpty(issued.DestinationName)); // the protocol's "DestinatioName" (sic) is read
        Assert.Contains(issued.TrackingNo, issued.PrintTemplate, StringComparison.Ordinal);
        Assert.Equal("100", result.ResultCode);
        Assert.Equal(1, (await Sandbox.StatsAsync()).WaybillsIssued);
    }

    [Fact]
    public async Task A_waybill_without_a_receiver_district_is_rejected_with_the_sandboxs_code_and_reason()
    {
        var receiver = ContractSamples.Receiver with { ExpAreaName = "" };

        var result = await Gateway.CreateWaybillAsync(Sandbox.Account(), ContractSamples.Waybill(receiver: receiver));

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.False(result.Retriable);
        Assert.Equal("101", result.ResultCode);
        Assert.Contains("Receiver.ExpAreaName", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await Sandbox.StatsAsync()).WaybillsIssued);
    }

    [Fact]
    public async Task A_waybill_for_a_carrier_the_sandbox_does_not_know_is_rejected_with_its_reason()
    {
        var result = await Gateway.CreateWaybillAsync(Sandbox.Account(), ContractSamples.Waybill(shipperCode: "NOSUCH"));

        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Equal("105", result.ResultCode);
        Assert.Contains("NOSUCH", result.Reason, StringComparison.Ordinal);
        Assert.False(result.Retriable);
    }

    [Fact]
    public async Task An_address_with_a_character_kdniao_forbids_is_rejected_with_the_field_named()
    {
        // §1.4: Kdniao asks callers not to send ' " # & + < > % \ in field values; the gateway passes the text as is
        // (it does not rewrite a merchant's address), so the refusal must say which field to correct.
        var receiver = ContractSamples.Receiver with { Address = "世纪大道1号3#楼" };

        var result = await Gateway.CreateWaybillAsync(Sandbox.Account(), ContractSamples.Waybill(receiver: receiver));

        Assert.Equal(CarrierErrorKind.Rejected, result.Error);
        Assert.Equal("105", result.ResultCode);
        Assert.Contains("Receiver.Address", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await Sandbox.StatsAsync()).WaybillsIssued);
    }

    [Fact]
    public async Task The_same_order_sent_twice_gives_one_number_and_the_second_answer_is_a_replay()
    {
        var account = Sandbox.Account();
        var request = ContractSamples.Waybill();

        var first = await Gateway.CreateWaybillAsync(account, request);
        var second = await Gateway.CreateWaybillAsync(account, request);

        Assert.True(first.Success, first.Reason);
        Assert.True(second.Success, second.Reason);
        Assert.False(first.Value!.Replayed);
        Assert.True(second.Value!.Replayed);
        Assert.Equal("106", second.ResultCode);
        Assert.Equal(first.Value.TrackingNo, second.Value.TrackingNo);
        var stats = await Sandbox.StatsAsync();
        Assert.Equal(1, stats.WaybillsIssued);
        Assert.Equal(2, stats.Calls("1007"));
    }

    [Fact]
    public async Task The_same_order_sent_concurrently_still_gives_one_number()
    {
        var account = Sandbox.Account();
        var request = ContractSamples.Waybill();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Gateway.CreateWaybillAsync(account, request)));

        Assert.All(results, r => Assert.True(r.Success, r.Reason));
        Assert.Single(results.Select(r => r.Value!.TrackingNo).Distinct());
        Assert.Equal(7, results.Count(r => r.Value!.Replayed));
        Assert.Equal(1, (await Sandbox.StatsAsync()).WaybillsIssued);
    }

    [Fact]
    public async Task A_waybill_can_be_cancelled_before_its_first_scan_and_then_never_moves()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;

        var cancel = await Gateway.CancelWaybillAsync(account, issued.OrderCode, issued.TrackingNo);

        Assert.True(cancel.Success, cancel.Reason);
        Assert.Equal(1, (await Sandbox.StatsAsync()).WaybillsCancelled);
        await Sandbox.AdvanceAsync(72);
        var track = await Gateway.TrackAsync(account, "ZTO", issued.TrackingNo);
        Assert.True(track.Success, track.Reason);
        Assert.Empty(track.Value!.Events);
        Assert.Equal(ShipmentStatus.Pending, track.Value.Status);
    }

    [Fact]
    public async Task A_waybill_issued_for_another_carrier_than_the_accounts_can_be_cancelled()
    {
        // WaybillRequest.ShipperCode may name another carrier than the account's; 1147 must then send that one (§2.7).
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill(shipperCode: "YTO"))).Value!;

        var withAccountsCarrier = await Gateway.CancelWaybillAsync(account, issued.OrderCode, issued.TrackingNo);
        var cancel = await Gateway.CancelWaybillAsync(account, issued.OrderCode, issued.TrackingNo, issued.ShipperCode);

        Assert.Equal("105", withAccountsCarrier.ResultCode); // the sandbox checks the carrier against the waybill
        Assert.True(cancel.Success, cancel.Reason);
        Assert.Equal(1, (await Sandbox.StatsAsync()).WaybillsCancelled);
    }

    [Fact]
    public async Task A_cancelled_order_code_cannot_issue_a_waybill_again()
    {
        var account = Sandbox.Account();
        var request = ContractSamples.Waybill();
        var issued = (await Gateway.CreateWaybillAsync(account, request)).Value!;
        Assert.True((await Gateway.CancelWaybillAsync(account, issued.OrderCode, issued.TrackingNo)).Success);

        var again = await Gateway.CreateWaybillAsync(account, request);

        Assert.Equal(CarrierErrorKind.Rejected, again.Error);
        Assert.Equal("105", again.ResultCode);
        Assert.Equal(1, (await Sandbox.StatsAsync()).WaybillsIssued);
    }

    [Fact]
    public async Task A_waybill_cannot_be_cancelled_after_its_first_scan()
    {
        var account = Sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;
        await Sandbox.AdvanceAsync(9); // the first scan comes 1–8 simulated hours after issue (sandbox README)

        var cancel = await Gateway.CancelWaybillAsync(account, issued.OrderCode, issued.TrackingNo);

        Assert.False(cancel.Success);
        Assert.Equal(CarrierErrorKind.Rejected, cancel.Error);
        Assert.Equal("105", cancel.ResultCode);
        Assert.Contains("揽收", cancel.Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await Sandbox.StatsAsync()).WaybillsCancelled);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_app_key_is_refused_with_102_and_nothing_is_done()
    {
        var account = Sandbox.Account(appKey: "not-the-right-key");

        var waybill = await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill());
        var track = await Gateway.TrackAsync(account, "ZTO", "73100000000001");
        var pickup = await Gateway.BookPickupAsync(account, ContractSamples.Pickup());

        foreach (var result in new CarrierResult[] { waybill, track, pickup })
        {
            Assert.False(result.Success);
            Assert.Equal(CarrierErrorKind.Rejected, result.Error);
            Assert.Equal("102", result.ResultCode);
            Assert.False(result.Retriable);
        }

        var stats = await Sandbox.StatsAsync();
        Assert.Equal(0, stats.WaybillsIssued);
        Assert.Equal(0, stats.PickupsBooked);
        Assert.Empty(stats.CallsByRequestType);
        // One attempt each: a refused sign is not retried (and 8001 does not fall back to 1002 for it).
        Assert.Equal(3, Sandbox.Calls.Count);
    }
}
