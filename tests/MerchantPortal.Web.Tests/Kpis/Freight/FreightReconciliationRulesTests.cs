using MerchantPortal.Web.Features.Kpis.Freight;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>The reconciliation's decisions from records alone: no portal, no database, no bill file.</summary>
public class FreightReconciliationRulesTests
{
    // 12 yuan for the first kilogram, 3 per further started kilogram; Xinjiang has its own, dearer row.
    private static readonly RateCardRow[] Card =
    [
        new() { DestinationProvince = "", FirstWeightKg = 1m, FirstPrice = 12m, AdditionalPerKg = 3m },
        new() { DestinationProvince = "新疆维吾尔自治区", FirstWeightKg = 1m, FirstPrice = 20m, AdditionalPerKg = 8m },
    ];

    private static ReconciliationInput Input(
        IReadOnlyList<BillRow> rows,
        IReadOnlyList<ShippedParcel>? shipped = null,
        IReadOnlyDictionary<string, long>? earlier = null,
        IReadOnlyList<ShippedParcel>? issued = null,
        IReadOnlyList<BillRowError>? errors = null,
        IReadOnlyList<RateCardRow>? card = null) =>
        new(7, rows, errors ?? [], (shipped ?? []).ToDictionary(s => s.TrackingNo), earlier ?? new Dictionary<string, long>(), issued ?? [], card ?? Card, 0.5m);

    private static IEnumerable<(FreightDiscrepancyKind, string, decimal)> Found(Reconciliation r) =>
        r.Discrepancies.Select(d => (d.Kind, d.TrackingNo, d.Difference));

    [Fact]
    public void A_row_priced_as_the_card_says_for_our_weight_is_no_discrepancy_and_counts_towards_the_expected_total()
    {
        var result = FreightReconciliation.Decide(Input([new(2, "T1", 1.8m, 15m)], shipped: [new("T1", 1.8m, "浙江省")]));

        Assert.Empty(result.Discrepancies);
        Assert.Equal(15m, result.ExpectedTotal);
        Assert.Equal(0m, result.AtStake);
    }

    [Fact]
    public void A_heavier_billed_weight_is_an_overcharged_weight_worth_the_price_difference()
    {
        var result = FreightReconciliation.Decide(Input([new(2, "T1", 3.2m, 21m)], shipped: [new("T1", 1.5m, "浙江省")]));

        var d = Assert.Single(result.Discrepancies);
        Assert.Equal((FreightDiscrepancyKind.OverchargedWeight, 6m, 15m, 1.5m), (d.Kind, d.Difference, d.ExpectedAmount, d.OurWeightKg));
        Assert.Equal(6m, result.AtStake);
    }

    [Fact]
    public void An_amount_above_the_billed_weights_price_by_more_than_the_tolerance_is_overcharged_and_not_counted_twice()
    {
        var withinTolerance = FreightReconciliation.Decide(Input([new(2, "T1", 1m, 12.5m)], shipped: [new("T1", 1m, "浙江省")]));
        var both = FreightReconciliation.Decide(Input([new(2, "T1", 2m, 20m)], shipped: [new("T1", 1m, "浙江省")]));

        Assert.Empty(withinTolerance.Discrepancies);
        Assert.Equal([(FreightDiscrepancyKind.OverchargedWeight, "T1", 3m), (FreightDiscrepancyKind.OverchargedAmount, "T1", 5m)], Found(both));
        Assert.Equal(8m, both.AtStake);
    }

    [Fact]
    public void A_number_billed_twice_in_the_bill_or_in_an_earlier_bill_is_billed_twice_with_where()
    {
        var result = FreightReconciliation.Decide(Input(
            [new(2, "T1", 1m, 12m), new(3, "T1", 1m, 12m), new(4, "T2", 1m, 12m)],
            shipped: [new("T1", 1m, "浙江省"), new("T2", 1m, "浙江省")],
            earlier: new Dictionary<string, long> { ["T2"] = 3 }));

        Assert.Equal([(FreightDiscrepancyKind.BilledTwice, "row 2"), (FreightDiscrepancyKind.BilledTwice, "bill 3")],
            result.Discrepancies.Select(d => (d.Kind, d.Detail)));
        Assert.Equal(24m, result.AtStake);
        Assert.Equal(12m, result.ExpectedTotal);
    }

    [Fact]
    public void A_billed_number_we_never_shipped_is_not_shipped_and_one_we_cannot_price_has_no_rate()
    {
        var noDefault = Card.Where(r => r.DestinationProvince.Length > 0).ToArray();
        var result = FreightReconciliation.Decide(Input([new(2, "X9", 1m, 12m), new(3, "T1", 1m, 12m)], shipped: [new("T1", 1m, "浙江省")], card: noDefault));

        Assert.Equal([(FreightDiscrepancyKind.NotShipped, "X9", 12m), (FreightDiscrepancyKind.NoRate, "T1", 0m)], Found(result));
        Assert.Equal(12m, result.AtStake);
    }

    [Fact]
    public void A_waybill_of_the_period_the_bill_never_names_is_never_billed_unless_a_rejected_row_names_it()
    {
        var result = FreightReconciliation.Decide(Input(
            [new(2, "T1", 1m, 12m)],
            shipped: [new("T1", 1m, "浙江省")],
            issued: [new("T1", 1m, "浙江省"), new("T3", 2m, "新疆维吾尔自治区"), new("T2", 1m, "浙江省"), new("T4", 1m, "浙江省")],
            errors: [new BillRowError(5, "amount", "x", "number_invalid", "T4")]));

        Assert.Equal([(FreightDiscrepancyKind.NeverBilled, "T2", 12m), (FreightDiscrepancyKind.NeverBilled, "T3", 28m)], Found(result));
        Assert.Equal(0m, result.AtStake);
    }

    [Fact]
    public void Without_a_rate_card_2_kg_billed_for_a_parcel_packed_at_0_8_kg_is_heavier_than_packed_and_still_shown()
    {
        var result = FreightReconciliation.Decide(Input([new(2, "T1", 2.0m, 18m)], shipped: [new("T1", 0.8m, "浙江省", 0.8m)], card: []));

        var heavier = Assert.Single(result.Discrepancies, d => d.Kind == FreightDiscrepancyKind.HeavierThanPacked);
        Assert.Equal((2.0m, 0.8m, 0.8m, 0m), (heavier.BilledWeightKg, heavier.PackedWeightKg, heavier.OurWeightKg, heavier.Difference));
        // The row also cannot be priced: that is said once, as before, and neither puts money at stake.
        Assert.Equal([FreightDiscrepancyKind.HeavierThanPacked, FreightDiscrepancyKind.NoRate], result.Discrepancies.Select(d => d.Kind));
        Assert.Equal(0m, result.AtStake);
    }

    [Fact]
    public void One_kg_billed_for_0_8_kg_packed_is_within_the_charging_step_and_not_flagged_nor_is_a_step_plus_the_tolerance()
    {
        var noCard = FreightReconciliation.Decide(Input([new(2, "T1", 1.0m, 12m), new(3, "T2", 2.05m, 15m)],
            shipped: [new("T1", 0.8m, "浙江省", 0.8m), new("T2", 1.5m, "浙江省", 1.5m)], card: []));
        var withCard = FreightReconciliation.Decide(Input([new(2, "T1", 1.0m, 12m)], shipped: [new("T1", 0.8m, "浙江省", 0.8m)]));

        Assert.DoesNotContain(noCard.Discrepancies, d => d.Kind == FreightDiscrepancyKind.HeavierThanPacked);
        Assert.Empty(withCard.Discrepancies);
    }

    [Fact]
    public void With_a_rate_card_heavier_than_packed_is_priced_at_the_difference_between_the_billed_and_the_packed_weight()
    {
        var result = FreightReconciliation.Decide(Input([new(2, "T1", 2.0m, 15m)], shipped: [new("T1", 0.8m, "浙江省", 0.8m)]));

        var d = Assert.Single(result.Discrepancies);
        Assert.Equal((FreightDiscrepancyKind.HeavierThanPacked, 3m, 12m, 0.8m), (d.Kind, d.Difference, d.ExpectedAmount, d.PackedWeightKg));
        Assert.Equal((3m, 12m), (result.AtStake, result.ExpectedTotal));
    }

    [Fact]
    public void A_packed_parcel_is_judged_on_its_packed_weight_not_its_declared_one_so_a_row_is_never_flagged_for_weight_twice()
    {
        // Declared 0.5 kg, packed 1.9 kg, billed 2.0: the carrier is right, though the declared weight says otherwise.
        var heavierThanDeclared = FreightReconciliation.Decide(Input([new(2, "T1", 2.0m, 15m)], shipped: [new("T1", 0.5m, "浙江省", 1.9m)]));
        // Declared 0.8, packed 0.8, billed 3.0: one weight discrepancy (against the packed weight), not two.
        var both = FreightReconciliation.Decide(Input([new(2, "T2", 3.0m, 18m)], shipped: [new("T2", 0.8m, "浙江省", 0.8m)]));
        // Never packed at a station: the declared weight decides, as before.
        var unpacked = FreightReconciliation.Decide(Input([new(2, "T3", 3.0m, 18m)], shipped: [new("T3", 0.8m, "浙江省")]));

        Assert.Empty(heavierThanDeclared.Discrepancies);
        Assert.Equal([(FreightDiscrepancyKind.HeavierThanPacked, "T2", 6m)], Found(both));
        Assert.Equal([(FreightDiscrepancyKind.OverchargedWeight, "T3", 6m)], Found(unpacked));
    }
}
