using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Finds scans that contradict the journey before them, so staff are warned and customers are not told them as fact:
/// a pickup after the parcel was already moving or delivered, or movement after it was signed for (carriers' data
/// errors, a number reused by another parcel). Scans dated in the future are judged apart (<see cref="TrackingEvent.DatedInFuture"/>).
/// </summary>
public static class TimelineCheck
{
    public sealed record Scan(long Id, DateTime TimeUtc, ShipmentStatus Status, bool DatedInFuture);

    public static IReadOnlySet<long> Contradicting(IEnumerable<TrackingEvent> events) =>
        Contradicting(events.Select(e => new Scan(e.Id, e.TimeUtc, e.Status, e.DatedInFuture)));

    public static IReadOnlySet<long> Contradicting(IEnumerable<Scan> scans)
    {
        var odd = new HashSet<long>();
        var furthest = 0;
        var delivered = false;
        foreach (var scan in scans.Where(s => !s.DatedInFuture).OrderBy(s => s.TimeUtc).ThenBy(s => s.Id))
        {
            var stage = Stage(scan.Status);
            var contradicts = (scan.Status == ShipmentStatus.PickedUp && furthest >= Stage(ShipmentStatus.InTransit))
                || (delivered && stage is > 0 and < 4);
            if (contradicts)
            {
                odd.Add(scan.Id);
                continue;
            }
            furthest = Math.Max(furthest, stage);
            delivered |= scan.Status == ShipmentStatus.Delivered;
        }
        return odd;
    }

    /// <summary>How far along the forward journey a scan is; 0 for the side exits (exception, return, expiry).</summary>
    private static int Stage(ShipmentStatus status) => status switch
    {
        ShipmentStatus.PickedUp => 1,
        ShipmentStatus.InTransit => 2,
        ShipmentStatus.OutForDelivery or ShipmentStatus.AvailableForPickup => 3,
        ShipmentStatus.Delivered => 4,
        _ => 0,
    };
}
