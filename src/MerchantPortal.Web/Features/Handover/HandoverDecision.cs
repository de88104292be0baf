namespace MerchantPortal.Web.Features.Handover;

/// <summary>A waybill whose number a scanner typed: its carrier, whether it is live, and the pickup it is already on (if any).</summary>
public sealed record ScannedWaybill(long Id, string ShipperCode, bool Live, long? AcceptedOnHandoverId);

/// <summary>What a scan becomes: the outcome, the waybill it names (null when unknown), and the detail the page shows.</summary>
public sealed record HandoverDecision(HandoverScanOutcome Outcome, long? WaybillId, string? Detail);

/// <summary>
/// The rule at the truck, with no database: a number can name several waybills (carriers number independently, and a
/// voided label keeps its number), so the live waybill of the pickup's own carrier wins, then a live one of another
/// carrier, then a voided one.
/// </summary>
public static class HandoverRules
{
    public static HandoverDecision Decide(string handoverCarrier, IReadOnlyCollection<ScannedWaybill> matches)
    {
        if (matches.FirstOrDefault(m => m.Live && string.Equals(m.ShipperCode, handoverCarrier, StringComparison.OrdinalIgnoreCase)) is { } own)
        {
            // Detail names the pickup that already has the parcel (its id), so the page can say "this pickup" or "pickup #12".
            return own.AcceptedOnHandoverId is { } on
                ? new HandoverDecision(HandoverScanOutcome.Duplicate, own.Id, DuplicateDetail(on))
                : new HandoverDecision(HandoverScanOutcome.Accepted, own.Id, null);
        }
        if (matches.FirstOrDefault(m => m.Live) is { } other)
        {
            return new HandoverDecision(HandoverScanOutcome.OtherCarrier, other.Id, other.ShipperCode);
        }
        if (matches.OrderByDescending(m => string.Equals(m.ShipperCode, handoverCarrier, StringComparison.OrdinalIgnoreCase)).ThenByDescending(m => m.Id)
            .FirstOrDefault() is { } voided)
        {
            return new HandoverDecision(HandoverScanOutcome.Voided, voided.Id, voided.ShipperCode);
        }
        return new HandoverDecision(HandoverScanOutcome.Unknown, null, null);
    }

    /// <summary>The detail of a duplicate: the id of the pickup that has the parcel, as text.</summary>
    public static string DuplicateDetail(long handoverId) => handoverId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The pickup a duplicate's detail names, or null.</summary>
    public static long? DuplicateOf(HandoverScanOutcome outcome, string? detail) =>
        outcome == HandoverScanOutcome.Duplicate && long.TryParse(detail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
