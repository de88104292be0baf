namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// What the queue works on first (product.md §3, ADR 0020). Urgency is a time, <see cref="Key"/>: the case's due time
/// brought forward by what makes it worse, so "most urgent" is "earliest key" and the order never changes as the clock
/// runs (a stored column sorts in SQL on every provider):
/// <list type="bullet">
/// <item>due time: overdue cases come first, then the next due; the due time is the opening plus the rule's handling
/// time, so among equal rules the older case (age) comes first, and equal keys fall back to the older case;</item>
/// <item>the customer can already see the problem (<see cref="VisibleToCustomer"/>): 12 hours earlier;</item>
/// <item>order value: one hour earlier per ¥100, at most 24 hours.</item>
/// </list>
/// </summary>
public static class CaseUrgency
{
    public static readonly TimeSpan VisibleBonus = TimeSpan.FromHours(12);
    public static readonly TimeSpan MaxValueBonus = TimeSpan.FromHours(24);
    public const decimal ValuePerHour = 100m;

    /// <summary>
    /// Types the customer already sees: the tracking page and the messages show a failed delivery, a rejection, a parcel
    /// going back, a locker notice, a stalled "out for delivery", a date gone by, a courier who never came. A silence, a
    /// missing first scan, a refund failure (the customer hears only of success) and a forecast are not seen yet.
    /// </summary>
    public static bool VisibleToCustomer(ExceptionType type) => type is ExceptionType.FailedDelivery or ExceptionType.Rejected
        or ExceptionType.ReturningToSender or ExceptionType.LockerNotCollected or ExceptionType.OutForDeliveryStalled
        or ExceptionType.PromisedDateMissed or ExceptionType.PickupNoShow;

    public static DateTime Key(DateTime dueAtUtc, bool customerVisible, decimal? orderValue)
    {
        var valueHours = Math.Min((double)((orderValue ?? 0m) / ValuePerHour), MaxValueBonus.TotalHours);
        return dueAtUtc - (customerVisible ? VisibleBonus : TimeSpan.Zero) - TimeSpan.FromHours(Math.Max(0, valueHours));
    }

    /// <summary>Sets the case's visibility and urgency from its type, due time and order value.</summary>
    public static void Apply(ExceptionCase c)
    {
        c.CustomerVisible = VisibleToCustomer(c.Type);
        c.UrgentAtUtc = Key(c.DueAtUtc, c.CustomerVisible, c.OrderValue);
    }
}
