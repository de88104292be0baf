using MerchantPortal.Web.Features.Handover;

namespace MerchantPortal.Web.Tests.Handover;

/// <summary>The rule at the truck, without a database: what a scanned number becomes on a carrier's pickup.</summary>
public class HandoverRulesTests
{
    [Fact]
    public void A_live_waybill_of_the_pickups_carrier_on_no_pickup_is_accepted()
    {
        var decision = HandoverRules.Decide("ZTO", [new ScannedWaybill(7, "ZTO", Live: true, AcceptedOnHandoverId: null)]);

        Assert.Equal(new HandoverDecision(HandoverScanOutcome.Accepted, 7, null), decision);
    }

    [Fact]
    public void A_parcel_already_on_a_pickup_is_a_duplicate_naming_that_pickup()
    {
        var decision = HandoverRules.Decide("ZTO", [new ScannedWaybill(7, "ZTO", true, AcceptedOnHandoverId: 12)]);

        Assert.Equal(HandoverScanOutcome.Duplicate, decision.Outcome);
        Assert.Equal(7, decision.WaybillId);
        Assert.Equal(12, HandoverRules.DuplicateOf(decision.Outcome, decision.Detail));
    }

    [Fact]
    public void A_live_waybill_of_another_carrier_is_flagged_with_that_carrier()
    {
        var decision = HandoverRules.Decide("ZTO", [new ScannedWaybill(8, "SF", true, null)]);

        Assert.Equal(new HandoverDecision(HandoverScanOutcome.OtherCarrier, 8, "SF"), decision);
    }

    [Fact]
    public void A_voided_waybill_is_flagged_voided()
    {
        var decision = HandoverRules.Decide("ZTO", [new ScannedWaybill(9, "ZTO", Live: false, null)]);

        Assert.Equal(new HandoverDecision(HandoverScanOutcome.Voided, 9, "ZTO"), decision);
    }

    [Fact]
    public void A_number_no_waybill_has_is_unknown()
    {
        Assert.Equal(new HandoverDecision(HandoverScanOutcome.Unknown, null, null), HandoverRules.Decide("ZTO", []));
    }

    [Fact]
    public void When_a_number_names_several_waybills_the_pickups_live_one_wins_then_another_live_one_then_a_voided_one()
    {
        ScannedWaybill voidedOwn = new(1, "ZTO", false, null), liveOther = new(2, "SF", true, null), liveOwn = new(3, "zto", true, null);

        Assert.Equal(HandoverScanOutcome.Accepted, HandoverRules.Decide("ZTO", [voidedOwn, liveOther, liveOwn]).Outcome);
        Assert.Equal(new HandoverDecision(HandoverScanOutcome.OtherCarrier, 2, "SF"), HandoverRules.Decide("ZTO", [voidedOwn, liveOther]));
        Assert.Equal(HandoverScanOutcome.Voided, HandoverRules.Decide("ZTO", [voidedOwn, new ScannedWaybill(4, "SF", false, null)]).Outcome);
        Assert.Equal(1, HandoverRules.Decide("ZTO", [voidedOwn, new ScannedWaybill(4, "SF", false, null)]).WaybillId);
    }

    [Fact]
    public void Only_a_duplicates_detail_names_a_pickup()
    {
        Assert.Null(HandoverRules.DuplicateOf(HandoverScanOutcome.OtherCarrier, "12"));
        Assert.Null(HandoverRules.DuplicateOf(HandoverScanOutcome.Duplicate, "SF"));
    }
}
