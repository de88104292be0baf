using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>The built-in rules and which shipment facts trigger which exception type.</summary>
public static class MonitoringRules
{
    /// <summary>
    /// Types opened at once by an event, not by the time sweep: a status change (in the tracking writer's transaction),
    /// or a pickup no-show (in the Returns sweep's, whose own grace after the window decides the timing). Their
    /// threshold is not used.
    /// </summary>
    public static readonly IReadOnlySet<ExceptionType> StatusTriggered = new HashSet<ExceptionType>
    {
        ExceptionType.FailedDelivery, ExceptionType.Rejected, ExceptionType.ReturningToSender, ExceptionType.PickupNoShow,
        ExceptionType.RefundFailed,
    };

    /// <summary>
    /// Whether a rule's threshold delays its case: not for status types (they open at once) nor for the forecast (it
    /// opens as soon as the prediction lands after the promise).
    /// </summary>
    public static bool UsesThreshold(ExceptionType type) => !StatusTriggered.Contains(type) && type != ExceptionType.WillMissPromise;

    private static readonly DateTime Seeded = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Seeded by the migration (HasData) so every database starts with them; Admin edits them afterwards.</summary>
    public static readonly MonitoringRule[] Defaults =
    [
        Default(1, ExceptionType.NoFirstScan, 24, ExceptionSeverity.Medium, 24),
        Default(2, ExceptionType.NoUpdate, 48, ExceptionSeverity.Medium, 24),
        Default(3, ExceptionType.OutForDeliveryStalled, 12, ExceptionSeverity.Medium, 8),
        Default(4, ExceptionType.FailedDelivery, 0, ExceptionSeverity.High, 8),
        Default(5, ExceptionType.Rejected, 0, ExceptionSeverity.High, 8),
        Default(6, ExceptionType.LockerNotCollected, 48, ExceptionSeverity.Low, 24),
        Default(7, ExceptionType.ReturningToSender, 0, ExceptionSeverity.Medium, 24),
        Default(8, ExceptionType.PromisedDateMissed, 0, ExceptionSeverity.High, 8),
        Default(9, ExceptionType.PickupNoShow, 0, ExceptionSeverity.Medium, 8),
        Default(10, ExceptionType.RefundFailed, 0, ExceptionSeverity.High, 8),
        // Opens as soon as the forecast says late (no threshold); due within 8 hours, never after the promise.
        Default(11, ExceptionType.WillMissPromise, 0, ExceptionSeverity.Medium, 8),
    ];

    /// <summary>
    /// How specific a cause is: the parcel's one open case takes the highest-ranked cause seen (ADR 0020). Status
    /// evidence (a failed-delivery, rejection or return scan) says what happened and outranks every silence or date;
    /// a missed promise outranks its forecast; a parcel's own stage (out for delivery, in a locker) outranks a plain
    /// silence. Return cases (no-show, refund) never share a parcel case.
    /// </summary>
    public static int Rank(ExceptionType type) => type switch
    {
        ExceptionType.NoFirstScan => 1,
        ExceptionType.NoUpdate => 2,
        ExceptionType.WillMissPromise => 3,
        ExceptionType.PromisedDateMissed => 4,
        ExceptionType.OutForDeliveryStalled => 5,
        ExceptionType.LockerNotCollected => 6,
        ExceptionType.FailedDelivery => 7,
        ExceptionType.Rejected => 8,
        ExceptionType.ReturningToSender => 9,
        _ => 0,
    };

    /// <summary>The types a case of <paramref name="type"/> must not override: the same or more specific.</summary>
    public static ExceptionType[] AtLeastAsSpecific(ExceptionType type) =>
        [.. Enum.GetValues<ExceptionType>().Where(t => Rank(t) >= Rank(type) && Rank(t) > 0)];

    private static MonitoringRule Default(int id, ExceptionType type, int thresholdHours, ExceptionSeverity severity, int dueWithinHours) => new()
    {
        Id = id,
        Type = type,
        ThresholdHours = thresholdHours,
        Severity = severity,
        DueWithinHours = dueWithinHours,
        Enabled = true,
        IsBuiltIn = true,
        UpdatedAtUtc = Seeded,
    };

    /// <summary>
    /// The exception a status change means, if any. carrier-protocol.md §3.2: 404 拒收 is a rejection; 412 (locker
    /// timeout) is the carrier's own "not collected"; 401/403 (no info / no update) are left to the time rules, which
    /// use the merchant's thresholds; every other problem code (405 派件异常, 416 无法联系, 420 地址不详…) is a failed
    /// delivery. A forward parcel turning back is "returning to sender".
    /// </summary>
    public static ExceptionType? StatusTrigger(ShipmentTransition t)
    {
        if (t.From == t.To)
        {
            return null;
        }
        return t.To switch
        {
            ShipmentStatus.Returning when t.Shipment.Direction == ShipmentDirection.Forward => ExceptionType.ReturningToSender,
            ShipmentStatus.Exception => t.Shipment.RawStateEx switch
            {
                "404" => ExceptionType.Rejected,
                "412" => ExceptionType.LockerNotCollected,
                "401" or "403" => null,
                _ => ExceptionType.FailedDelivery,
            },
            _ => null,
        };
    }

    /// <summary>The rule that decides for this shipment: the most specific matching one (it may be switched off).</summary>
    public static MonitoringRule? Decide(IEnumerable<MonitoringRule> rules, ExceptionType type, string shipperCode, string? origin, string? destination) =>
        rules.Where(r => r.Type == type && Matches(r, shipperCode, origin, destination))
            .OrderByDescending(r => r.Specificity).ThenBy(r => r.Id)
            .FirstOrDefault();

    public static bool Matches(MonitoringRule r, string shipperCode, string? origin, string? destination) =>
        (r.ShipperCode is null || string.Equals(r.ShipperCode, shipperCode, StringComparison.OrdinalIgnoreCase))
        && (r.OriginProvince is null || r.OriginProvince == origin)
        && (r.DestinationProvince is null || r.DestinationProvince == destination);

    /// <summary>True when <paramref name="other"/> would win over <paramref name="rule"/> wherever both match.</summary>
    public static bool Outranks(MonitoringRule other, MonitoringRule rule) =>
        other.Id != rule.Id && (other.Specificity > rule.Specificity || (other.Specificity == rule.Specificity && other.Id < rule.Id));
}
