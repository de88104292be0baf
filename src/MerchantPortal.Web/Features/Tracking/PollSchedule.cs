using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>What the newest scan says happened, which tells when the next scan is due.</summary>
public enum ScanKind
{
    Unknown,
    AwaitingPickup,
    PickedUp,
    LeftOutlet,
    ArrivedHub,
    LeftHub,
    ArrivedOutlet,
    OutForDelivery,
    Locker,
    FailedAttempt,
    Exception,
}

/// <summary>What the schedule knows about a shipment after its newest scan.</summary>
/// <param name="LastLocation">Where the newest scan was (a city or province name), to tell a trunk departure from the last leg.</param>
/// <param name="DestinationProvince">Province code or name of the receiver; with <paramref name="LastLocation"/> it estimates the trunk haul.</param>
/// <param name="EstimatedDeliveryUtc">The carrier's ETA: the trunk haul estimate when the lane is unknown.</param>
public sealed record PollInput(
    ShipmentStatus Status,
    DateTime? LastEventAtUtc,
    ScanKind LastKind = ScanKind.Unknown,
    string? LastLocation = null,
    string? DestinationProvince = null,
    DateTime? EstimatedDeliveryUtc = null);

/// <summary>
/// When a shipment should be polled next (docs/targets.md P7, docs/decisions/0010-tracking-schedule.md).
/// Staleness is the time between a scan existing at the carrier and the portal knowing it, so polls are spent only
/// where the next scan can happen: every <see cref="Step"/> inside the window in which the next scan is expected
/// (from the kind of the newest scan, the lane's trunk haul and the outlets' working hours in China), none before
/// it, backing off after it. Never after a final state. A subscribed shipment gets its news by push, so polling only
/// reconciles every 6 h in case a push was lost. Pure, so the P7 simulation and the ingest use the same rules.
/// </summary>
public static class PollSchedule
{
    /// <summary>The polling step inside a window: the staleness bound of a scan that happens where it is expected.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Quiet = TimeSpan.FromHours(12);
    public static readonly TimeSpan QuietAfter = TimeSpan.FromDays(3);
    public static readonly TimeSpan Reconciliation = TimeSpan.FromHours(6);
    /// <summary>Backing off after a missed window never waits longer than this (outside the night).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(4);
    public static readonly TimeSpan UnknownBackoff = TimeSpan.FromHours(1);

    /// <summary>China Standard Time, no daylight saving: outlets open and couriers deliver by the Beijing clock.</summary>
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // Outlet hours (local): couriers collect in the afternoon, deliver in a morning and an afternoon run; nothing at outlets at night.
    private static readonly (TimeSpan From, TimeSpan To) CollectionHours = (TimeSpan.FromHours(13), TimeSpan.FromHours(20.5));
    private static readonly (TimeSpan From, TimeSpan To)[] DeliveryRuns = [(TimeSpan.FromHours(7.5), TimeSpan.FromHours(11)), (TimeSpan.FromHours(13), TimeSpan.FromHours(16))];
    private static readonly TimeSpan EveningTruck = TimeSpan.FromHours(18);
    private static readonly (TimeSpan From, TimeSpan To) OutletHours = (TimeSpan.FromHours(5.5), TimeSpan.FromHours(21.5));

    /// <summary>Compatibility overload: what is known without the newest scan's kind.</summary>
    public static DateTime? NextCheck(ShipmentStatus status, DateTime? lastEventAtUtc, DateTime nowUtc, bool subscribed) =>
        NextCheck(new PollInput(status, lastEventAtUtc), nowUtc, subscribed);

    /// <returns>Null when the shipment must never be polled again.</returns>
    public static DateTime? NextCheck(PollInput input, DateTime nowUtc, bool subscribed)
    {
        if (input.Status.IsFinal())
        {
            return null;
        }
        if (subscribed)
        {
            return nowUtc + Reconciliation;
        }
        if (input.LastEventAtUtc is { } last && nowUtc - last > QuietAfter)
        {
            return nowUtc + Quiet;
        }
        var (from, to, outletOnly) = ExpectedNextScan(input, nowUtc);
        if (nowUtc < from)
        {
            return from;
        }
        if (nowUtc < to)
        {
            return nowUtc + Step;
        }
        // Overdue: the scan is late, so each poll is less likely to find it; back off with the time overdue.
        var overdue = nowUtc - to;
        // A scan we cannot read says nothing about the next one: stay close to fixed polling then.
        var cap = EffectiveKind(input) == ScanKind.Unknown ? UnknownBackoff : MaxBackoff;
        var wait = TimeSpan.FromTicks(Math.Clamp(overdue.Ticks / 2, Step.Ticks, cap.Ticks));
        var next = nowUtc + wait;
        return outletOnly ? IntoHours(next, OutletHours) : next;
    }

    /// <summary>The window in which the next scan is expected, and whether it can only happen in outlet hours.</summary>
    public static (DateTime From, DateTime To, bool OutletOnly) ExpectedNextScan(PollInput input, DateTime nowUtc)
    {
        var kind = EffectiveKind(input);
        if (input.LastEventAtUtc is not { } last || kind == ScanKind.AwaitingPickup)
        {
            return NextLocalWindow(nowUtc, CollectionHours, outletOnly: true);
        }
        switch (kind)
        {
            case ScanKind.PickedUp:
                // Outlets send the day's parcels to the hub with an evening truck.
                var truck = (last + Beijing).Date + EveningTruck - Beijing;
                var from = truck > last + TimeSpan.FromMinutes(30) ? truck : last + TimeSpan.FromMinutes(30);
                return (from, from + TimeSpan.FromHours(3.5), false);
            case ScanKind.LeftOutlet:
            case ScanKind.ArrivedHub:
                // Hubs sort around the clock: the next scan comes within hours, night or day.
                return (last + TimeSpan.FromMinutes(15), last + TimeSpan.FromHours(3), false);
            case ScanKind.LeftHub:
                return AfterHubDeparture(input, last);
            case ScanKind.ArrivedOutlet:
                return NextDeliveryRun(last + TimeSpan.FromMinutes(30));
            case ScanKind.FailedAttempt:
                // Tried and failed today: the next try is on a later run.
                return NextDeliveryRun(last + TimeSpan.FromHours(4));
            case ScanKind.OutForDelivery:
            case ScanKind.Locker:
                // Delivered (or taken from the locker) the same day, before the outlet closes.
                var close = (last + Beijing).Date + OutletHours.To - Beijing;
                var end = last + TimeSpan.FromHours(7) < close ? last + TimeSpan.FromHours(7) : close;
                return (last + TimeSpan.FromMinutes(15), end > last ? end : last + TimeSpan.FromHours(1), true);
            case ScanKind.Exception:
                return (last, last + TimeSpan.FromHours(2), false);
            default:
                return (last, last + TimeSpan.FromHours(2), false);
        }
    }

    private static ScanKind EffectiveKind(PollInput input) => input.LastKind != ScanKind.Unknown ? input.LastKind : KindOf(input.Status);

    /// <summary>
    /// After a hub departure the next scan is the arrival at the next hub (a trunk haul of many hours, estimated from
    /// the distance to the destination province or the ETA) or, within the destination province, at the outlet.
    /// </summary>
    private static (DateTime From, DateTime To, bool OutletOnly) AfterHubDeparture(PollInput input, DateTime last)
    {
        var here = ChinaProvinces.Locate(input.LastLocation);
        var destination = ChinaProvinces.ByCode(input.DestinationProvince) ?? ChinaProvinces.Locate(input.DestinationProvince)?.Province;
        if (here is not null && destination is not null)
        {
            if (here.Province.Code == destination.Code)
            {
                var arrive = IntoHours(last + TimeSpan.FromMinutes(30), OutletHours);
                return (arrive, arrive + TimeSpan.FromHours(4), true);
            }
            var destinationPoint = new Place(destination, destination.CapitalZh, destination.CapitalEn, destination.Lat, destination.Lon);
            var haul = TrunkHaul(Distance(here, destinationPoint));
            return (last + haul * 0.8, last + haul * 1.25, false);
        }
        if (input.EstimatedDeliveryUtc is { } eta && eta > last)
        {
            // The ETA includes the last mile and a delivery run; the trunk arrival comes well before it.
            var haul = TimeSpan.FromTicks(Math.Max(TimeSpan.FromHours(3).Ticks, (eta - last - TimeSpan.FromHours(12)).Ticks));
            return (last + haul * 0.5, last + haul * 1.2, false);
        }
        return (last + TimeSpan.FromMinutes(30), last + TimeSpan.FromHours(3), false);
    }

    /// <summary>Trucks average ~65 km/h over road distance (~1.25× the great circle), plus loading.</summary>
    public static TimeSpan TrunkHaul(double greatCircleKm) => TimeSpan.FromHours(1.5 + greatCircleKm * 1.25 / 65);

    private static double Distance(Place a, Place b) =>
        ChinaProvinces.DistanceKm(a.Province with { Lat = a.Lat, Lon = a.Lon }, b.Province with { Lat = b.Lat, Lon = b.Lon });

    /// <summary>What the status alone says; rhythm rules (the evening truck, hubs) need the scan itself.</summary>
    public static ScanKind KindOf(ShipmentStatus status) => status switch
    {
        ShipmentStatus.Pending => ScanKind.AwaitingPickup,
        ShipmentStatus.OutForDelivery => ScanKind.OutForDelivery,
        ShipmentStatus.AvailableForPickup => ScanKind.Locker,
        ShipmentStatus.Exception => ScanKind.Exception,
        _ => ScanKind.Unknown,
    };

    /// <summary>
    /// The kind of a scan from its StateEx (carrier-protocol.md §3.2) and, for the plain "2 in transit", its wording:
    /// "快件已从【杭州转运中心】发出" left a hub, "…【城东营业部】发出" left an outlet, "已到达【…转运中心】" arrived at a hub.
    /// </summary>
    public static ScanKind KindOf(string? action, string? description, ShipmentStatus status)
    {
        switch (action)
        {
            case "10": return ScanKind.AwaitingPickup;
            case "1": return ScanKind.PickedUp;
            case "204": return ScanKind.ArrivedHub;
            case "201" or "205": return ScanKind.ArrivedOutlet;
            case "206": return ScanKind.LeftOutlet;
            case "202": return ScanKind.OutForDelivery;
            case "211": return ScanKind.Locker;
            case "405": return ScanKind.FailedAttempt;
        }
        var text = description ?? "";
        var departed = IndexOfAny(text, "发出", "离开", "发往");
        var arrived = IndexOfAny(text, "到达");
        if (departed >= 0 && (arrived < 0 || departed < arrived))
        {
            return IsHub(text[..departed]) ? ScanKind.LeftHub : ScanKind.LeftOutlet;
        }
        if (arrived >= 0)
        {
            return IsHub(text[arrived..]) ? ScanKind.ArrivedHub : ScanKind.ArrivedOutlet;
        }
        if (text.Contains("揽收", StringComparison.Ordinal))
        {
            return ScanKind.PickedUp;
        }
        if (text.Contains("派件", StringComparison.Ordinal) || text.Contains("派送中", StringComparison.Ordinal))
        {
            return ScanKind.OutForDelivery;
        }
        return KindOf(status);
    }

    private static bool IsHub(string text) =>
        text.Contains("转运", StringComparison.Ordinal) || text.Contains("中转", StringComparison.Ordinal)
        || text.Contains("分拨", StringComparison.Ordinal) || text.Contains("集散", StringComparison.Ordinal);

    private static int IndexOfAny(string text, params string[] words) =>
        words.Select(w => text.IndexOf(w, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    /// <summary>The first delivery run (Beijing time) that is still open at <paramref name="fromUtc"/>.</summary>
    private static (DateTime From, DateTime To, bool OutletOnly) NextDeliveryRun(DateTime fromUtc)
    {
        var local = fromUtc + Beijing;
        for (var day = 0; day < 3; day++)
        {
            foreach (var (start, end) in DeliveryRuns)
            {
                var runStart = local.Date.AddDays(day) + start;
                var runEnd = local.Date.AddDays(day) + end;
                if (runEnd > local)
                {
                    return ((runStart > local ? runStart : local) - Beijing, runEnd - Beijing, true);
                }
            }
        }
        return (fromUtc, fromUtc + MaxBackoff, true);
    }

    private static (DateTime From, DateTime To, bool OutletOnly) NextLocalWindow(DateTime nowUtc, (TimeSpan From, TimeSpan To) hours, bool outletOnly)
    {
        var local = nowUtc + Beijing;
        var start = local.Date + hours.From;
        var end = local.Date + hours.To;
        if (local >= end)
        {
            (start, end) = (start.AddDays(1), end.AddDays(1));
        }
        return ((start > local ? start : local) - Beijing, end - Beijing, outletOnly);
    }

    /// <summary>Moves a time that falls outside the given local hours to their next opening.</summary>
    private static DateTime IntoHours(DateTime utc, (TimeSpan From, TimeSpan To) hours)
    {
        var local = utc + Beijing;
        if (local.TimeOfDay >= hours.From && local.TimeOfDay < hours.To)
        {
            return utc;
        }
        var opening = local.TimeOfDay < hours.From ? local.Date + hours.From : local.Date.AddDays(1) + hours.From;
        return opening - Beijing;
    }
}
