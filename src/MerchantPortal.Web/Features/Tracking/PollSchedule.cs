using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// When a shipment should be polled next (issue 5 §3, targets.md P7): often while it moves, more often when the
/// customer is about to be affected (out for delivery, at a locker, an exception), rarely when quiet, never after a
/// final state. A subscribed shipment gets its news by push, so polling only reconciles every 6 h in case a push was
/// lost. Pure, so the P7 simulation and the ingest use the same rules.
/// </summary>
public static class PollSchedule
{
    public static readonly TimeSpan Urgent = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Moving = TimeSpan.FromHours(2);
    public static readonly TimeSpan NoScanYet = TimeSpan.FromHours(4);
    public static readonly TimeSpan Quiet = TimeSpan.FromHours(12);
    public static readonly TimeSpan QuietAfter = TimeSpan.FromDays(3);
    public static readonly TimeSpan Reconciliation = TimeSpan.FromHours(6);

    /// <returns>Null when the shipment must never be polled again.</returns>
    public static DateTime? NextCheck(ShipmentStatus status, DateTime? lastEventAtUtc, DateTime nowUtc, bool subscribed)
    {
        if (status.IsFinal())
        {
            return null;
        }
        var interval = Interval(status, lastEventAtUtc, nowUtc);
        if (subscribed && interval < Reconciliation)
        {
            interval = Reconciliation;
        }
        return nowUtc + interval;
    }

    public static TimeSpan Interval(ShipmentStatus status, DateTime? lastEventAtUtc, DateTime nowUtc)
    {
        if (lastEventAtUtc is null || status == ShipmentStatus.Pending)
        {
            return NoScanYet;
        }
        if (status is ShipmentStatus.OutForDelivery or ShipmentStatus.AvailableForPickup or ShipmentStatus.Exception)
        {
            return Urgent;
        }
        return nowUtc - lastEventAtUtc.Value > QuietAfter ? Quiet : Moving;
    }
}
