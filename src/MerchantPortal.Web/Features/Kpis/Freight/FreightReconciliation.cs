using System.Globalization;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>
/// One of our waybills as reconciliation sees it: the order's (declared) weight, its destination already by catalogue
/// name, and the weight it was packed at when the packing station weighed it.
/// </summary>
public sealed record ShippedParcel(string TrackingNo, decimal WeightKg, string Province, decimal? PackedWeightKg = null);

/// <summary>
/// Everything a bill's reconciliation decides from, loaded by <see cref="FreightBillJob"/>.
/// <paramref name="Shipped"/>: our live waybills for the bill's numbers; <paramref name="EarlierBill"/>: the first other
/// completed bill of the account that already billed a number; <paramref name="IssuedInPeriod"/>: our live waybills issued in the bill's period.
/// </summary>
public sealed record ReconciliationInput(
    long BillId,
    IReadOnlyList<BillRow> Rows,
    IReadOnlyList<BillRowError> Errors,
    IReadOnlyDictionary<string, ShippedParcel> Shipped,
    IReadOnlyDictionary<string, long> EarlierBill,
    IReadOnlyList<ShippedParcel> IssuedInPeriod,
    IReadOnlyList<RateCardRow> Card,
    decimal Tolerance);

/// <param name="ExpectedTotal">What the billed parcels we shipped and can price should have cost at our weights.</param>
/// <param name="AtStake">The money in the discrepancies the carrier owes us (never-billed and unpriced ones are not).</param>
public sealed record Reconciliation(IReadOnlyList<FreightDiscrepancy> Discrepancies, decimal ExpectedTotal, decimal AtStake);

/// <summary>The rules of freight reconciliation (docs/kpis.md "Freight reconciliation"), without a database.</summary>
public static class FreightReconciliation
{
    /// <summary>A scale's error and the carrier's rounding to 0.1 kg: a billed weight this close over the packed step is not flagged.</summary>
    public const decimal PackedWeightToleranceKg = 0.05m;

    /// <summary>
    /// Whether a billed weight is heavier than the packed weight allows: above the packed weight rounded up to the carrier's
    /// charging step (the rate card's chargeable weight, or the next whole kilogram without one) plus <see cref="PackedWeightToleranceKg"/>.
    /// </summary>
    public static bool HeavierThanPacked(decimal billedKg, decimal packedKg, RateCardRow? rate) =>
        billedKg > (rate is null ? Math.Ceiling(packedKg) : RateCardService.ChargeableKg(rate, packedKg)) + PackedWeightToleranceKg;

    public static Reconciliation Decide(ReconciliationInput input)
    {
        var found = new List<FreightDiscrepancy>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        var expectedTotal = 0m;
        foreach (var r in input.Rows)
        {
            expectedTotal += DecideRow(input, r, firstRow, found);
        }
        found.AddRange(NeverBilled(input));
        var atStake = found.Where(d => d.Kind is not (FreightDiscrepancyKind.NeverBilled or FreightDiscrepancyKind.NoRate)).Sum(d => d.Difference);
        return new Reconciliation(found, expectedTotal, atStake);
    }

    /// <summary>Adds the row's discrepancies; returns what the row should have cost at our weight (0 when it cannot be priced).</summary>
    private static decimal DecideRow(ReconciliationInput input, BillRow r, Dictionary<string, int> firstRow, List<FreightDiscrepancy> found)
    {
        FreightDiscrepancy D(FreightDiscrepancyKind kind, decimal difference, string? detail = null) =>
            new() { BillId = input.BillId, Kind = kind, TrackingNo = r.TrackingNo, Row = r.Row, BilledWeightKg = r.BilledWeightKg, BilledAmount = r.Amount, Difference = difference, Detail = detail };

        if (firstRow.TryGetValue(r.TrackingNo, out var first))
        {
            found.Add(D(FreightDiscrepancyKind.BilledTwice, r.Amount, "row " + first.ToString(CultureInfo.InvariantCulture)));
            return 0m;
        }
        firstRow[r.TrackingNo] = r.Row;
        if (input.EarlierBill.TryGetValue(r.TrackingNo, out var otherBill))
        {
            found.Add(D(FreightDiscrepancyKind.BilledTwice, r.Amount, "bill " + otherBill.ToString(CultureInfo.InvariantCulture)));
            return 0m;
        }
        if (!input.Shipped.TryGetValue(r.TrackingNo, out var ours))
        {
            found.Add(D(FreightDiscrepancyKind.NotShipped, r.Amount));
            return 0m;
        }
        var province = ours.Province;
        FreightDiscrepancy Ours(FreightDiscrepancyKind kind, decimal difference, decimal? expected)
        {
            var d = D(kind, difference);
            (d.OurWeightKg, d.PackedWeightKg, d.ExpectedAmount, d.DestinationProvince) = (ours.WeightKg, ours.PackedWeightKg, expected, province);
            return d;
        }

        var rate = RateCardService.RateFor(input.Card, province);
        // A parcel weighed at the packing station is judged on that weight; one never packed here on the order's declared weight.
        if (ours.PackedWeightKg is { } packed && HeavierThanPacked(r.BilledWeightKg, packed, rate))
        {
            // Without a rate card the money cannot be priced, but the row is still shown: the carrier weighed a parcel we did not send.
            found.Add(rate is null
                ? Ours(FreightDiscrepancyKind.HeavierThanPacked, 0m, null)
                : Ours(FreightDiscrepancyKind.HeavierThanPacked, RateCardService.Price(rate, r.BilledWeightKg) - RateCardService.Price(rate, packed), RateCardService.Price(rate, packed)));
        }
        if (rate is null)
        {
            found.Add(Ours(FreightDiscrepancyKind.NoRate, 0m, null));
            return 0m;
        }
        var ourWeight = ours.PackedWeightKg ?? ours.WeightKg;
        var expectedOurs = RateCardService.Price(rate, ourWeight);
        var expectedAtBilled = RateCardService.Price(rate, r.BilledWeightKg);
        if (ours.PackedWeightKg is null && RateCardService.ChargeableKg(rate, r.BilledWeightKg) > RateCardService.ChargeableKg(rate, ours.WeightKg))
        {
            found.Add(Ours(FreightDiscrepancyKind.OverchargedWeight, expectedAtBilled - expectedOurs, expectedOurs));
        }
        if (r.Amount > expectedAtBilled + input.Tolerance)
        {
            // Measured against the price of the billed weight, so a row overcharged on both counts is not counted twice.
            found.Add(Ours(FreightDiscrepancyKind.OverchargedAmount, r.Amount - expectedAtBilled, expectedAtBilled));
        }
        return expectedOurs;
    }

    /// <summary>Waybills of the account issued in the bill's period that the bill never mentions, by tracking number.</summary>
    private static IEnumerable<FreightDiscrepancy> NeverBilled(ReconciliationInput input)
    {
        var billed = new HashSet<string>(input.Rows.Select(r => r.TrackingNo), StringComparer.Ordinal);
        // A rejected row still names its number: the carrier did bill it, the row needs fixing, not the shipment.
        billed.UnionWith(input.Errors.Where(e => e.TrackingNo is not null).Select(e => e.TrackingNo!));
        foreach (var w in input.IssuedInPeriod.Where(w => !billed.Contains(w.TrackingNo)).DistinctBy(w => w.TrackingNo).OrderBy(w => w.TrackingNo, StringComparer.Ordinal))
        {
            var expected = RateCardService.RateFor(input.Card, w.Province) is { } rate ? RateCardService.Price(rate, w.WeightKg) : (decimal?)null;
            yield return new FreightDiscrepancy
            {
                BillId = input.BillId, Kind = FreightDiscrepancyKind.NeverBilled, TrackingNo = w.TrackingNo, OurWeightKg = w.WeightKg, PackedWeightKg = w.PackedWeightKg,
                ExpectedAmount = expected, Difference = expected ?? 0m, DestinationProvince = w.Province,
            };
        }
    }
}
