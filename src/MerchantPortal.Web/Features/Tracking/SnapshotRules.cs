using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>The newest stored scan that is not dated in the future: the one that decides a status when a snapshot is stale.</summary>
public sealed record NewestScan(DateTime Time, ShipmentStatus Status, string Description, string? Location);

/// <summary>What of a shipment a snapshot can change, and what the decision reads (destination, subscription) to schedule the next poll.</summary>
public sealed record ShipmentState(
    ShipmentStatus Status,
    string? RawState,
    string? RawStateEx,
    string? Location,
    DateTime? FirstScanAtUtc,
    DateTime? OutForDeliveryAtUtc,
    int DeliveryAttempts,
    DateTime? StatusChangedAtUtc,
    DateTime? FinalAtUtc,
    DateTime? DeliveredAtUtc,
    DateTime? LastEventAtUtc,
    DateTime? EstimatedDeliveryUtc,
    DateTime? NextCheckAtUtc,
    string? DestinationProvince,
    bool Subscribed);

/// <summary>A scan to store: truncated, keyed for deduplication, flagged when dated too far ahead of the portal's clock.</summary>
public sealed record NewScan(DateTime TimeUtc, string Description, string? Location, string? RawAction, ShipmentStatus Status, string DedupeKey, bool DatedInFuture);

/// <param name="After">The shipment after the snapshot.</param>
/// <param name="Scans">Scans not stored before (their dedupe keys are not in the known keys).</param>
/// <param name="Newest">The newest non-future scan after the snapshot, null when there is none.</param>
/// <param name="Transition">The status change, with the scan that decided it; null when the status stays.</param>
/// <param name="RefusedReopening">The non-final status a late snapshot suggested for a final shipment (kept final).</param>
public sealed record SnapshotDecision(
    ShipmentState After,
    IReadOnlyList<NewScan> Scans,
    NewestScan? Newest,
    (ShipmentStatus From, ShipmentStatus To, DecidingScan? Scan)? Transition,
    ShipmentStatus? RefusedReopening);

/// <summary>
/// What one tracking snapshot does to one shipment (<see cref="TrackingIngest"/> loads and stores around it): which
/// scans are new, which scan decides the status, whether the carrier's own state is current, when to poll next.
/// </summary>
public static class SnapshotRules
{
    public const int DescriptionMax = 1000;
    public const int LocationMax = 100;
    public const int RawActionMax = 16;

    public static SnapshotDecision Decide(ShipmentState before, TrackingSnapshot snapshot, IReadOnlySet<string> knownKeys, NewestScan? newest, DateTime now, DateTime futureAfter)
    {
        var (s, scans, latest, snapshotNewest, snapshotNewestEvent, snapshotHasFuture) = ReadScans(before, snapshot, knownKeys, newest, futureAfter);

        // The carrier's own State/StateEx is its view now (it carries sticky and computed states such as 403 that
        // no single scan has), but only when this snapshot is current: a push that arrives after a newer poll
        // describes the past, and then the newest stored scan decides. A snapshot with a scan from the future
        // is not current either: its State may already be that scan's.
        var current = !snapshotHasFuture && (latest is null || (snapshotNewest is not null && snapshotNewest >= latest.Time));
        var candidate = latest is null ? (current ? snapshot.Status : s.Status)
            : current && snapshot.Status != ShipmentStatus.Pending ? snapshot.Status
            : latest.Status;
        ShipmentStatus? refused = null;
        if (s.Status.IsFinal() && !candidate.IsFinal())
        {
            // product.md: Delivered/Returned/Expired are final; a late scan never reopens them.
            (refused, candidate) = (candidate, s.Status);
        }
        else if (current)
        {
            s = s with
            {
                RawState = snapshot.RawState ?? s.RawState,
                RawStateEx = snapshot.RawStateEx ?? s.RawStateEx,
                Location = TruncateOrNull(snapshot.Location, LocationMax) ?? s.Location,
            };
        }
        (ShipmentStatus, ShipmentStatus, DecidingScan?)? transition = null;
        if (candidate != s.Status)
        {
            transition = (s.Status, candidate, latest is null ? null : new DecidingScan(latest.Time, latest.Description, latest.Location));
            s = s with
            {
                StatusChangedAtUtc = now,
                FinalAtUtc = candidate.IsFinal() ? s.FinalAtUtc ?? now : s.FinalAtUtc,
                DeliveredAtUtc = candidate == ShipmentStatus.Delivered ? s.DeliveredAtUtc ?? latest?.Time ?? now : s.DeliveredAtUtc,
            };
        }
        s = s with
        {
            Status = candidate,
            LastEventAtUtc = latest?.Time ?? s.LastEventAtUtc,
            EstimatedDeliveryUtc = snapshot.EstimatedDelivery?.UtcDateTime ?? s.EstimatedDeliveryUtc,
        };
        s = s with { NextCheckAtUtc = PollSchedule.NextCheck(ScheduleInput(s, current ? snapshotNewestEvent : null), now, s.Subscribed) };
        return new SnapshotDecision(s, scans, latest, transition, refused);
    }

    /// <summary>The snapshot's scans: which are new, what they say of first scan and delivery attempts, which is newest.</summary>
    private static (ShipmentState State, List<NewScan> Scans, NewestScan? Latest, DateTime? SnapshotNewest, MerchantPortal.Carriers.TrackingEvent? SnapshotNewestEvent, bool SnapshotHasFuture) ReadScans(
        ShipmentState before, TrackingSnapshot snapshot, IReadOnlySet<string> knownKeys, NewestScan? newest, DateTime futureAfter)
    {
        var s = before;
        var latest = newest;
        var scans = new List<NewScan>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        DateTime? snapshotNewest = null;
        MerchantPortal.Carriers.TrackingEvent? snapshotNewestEvent = null;
        var snapshotHasFuture = false;
        foreach (var ev in snapshot.Events)
        {
            var future = ev.TimeUtc > futureAfter;
            snapshotHasFuture |= future;
            if (!future && (snapshotNewest is null || ev.TimeUtc > snapshotNewest))
            {
                (snapshotNewest, snapshotNewestEvent) = (ev.TimeUtc, ev);
            }
            var description = Truncate(ev.Description?.Trim() ?? "", DescriptionMax);
            var key = TrackingEvent.KeyOf(ev.TimeUtc, description);
            if (knownKeys.Contains(key) || !keys.Add(key))
            {
                continue;
            }
            scans.Add(new NewScan(ev.TimeUtc, description, TruncateOrNull(ev.Location, LocationMax), TruncateOrNull(ev.RawAction, RawActionMax), ev.Status, key, future));
            if (future)
            {
                continue;
            }
            s = s with { FirstScanAtUtc = Earliest(s.FirstScanAtUtc, ev.TimeUtc) };
            if (ev.Status == ShipmentStatus.OutForDelivery)
            {
                s = s with { OutForDeliveryAtUtc = Earliest(s.OutForDeliveryAtUtc, ev.TimeUtc), DeliveryAttempts = s.DeliveryAttempts + 1 };
            }
            // Out-of-order scans are stored, but only the newest by carrier time decides the status.
            if (latest is null || ev.TimeUtc >= latest.Time)
            {
                latest = new NewestScan(ev.TimeUtc, ev.Status, description, TruncateOrNull(ev.Location, LocationMax));
            }
        }
        return (s, scans, latest, snapshotNewest, snapshotNewestEvent, snapshotHasFuture);
    }

    /// <summary>
    /// What the schedule needs: the newest scan's kind and place when this snapshot has it (a stale snapshot does not,
    /// and the schedule then goes by the status alone), and the lane's destination for the trunk haul.
    /// </summary>
    private static PollInput ScheduleInput(ShipmentState shipment, MerchantPortal.Carriers.TrackingEvent? newestScan) => new(
        shipment.Status,
        shipment.LastEventAtUtc,
        newestScan is null ? ScanKind.Unknown : PollSchedule.KindOf(newestScan.RawAction, newestScan.Description, newestScan.Status),
        newestScan?.Location ?? newestScan?.Description,
        shipment.DestinationProvince,
        shipment.EstimatedDeliveryUtc);

    private static DateTime Earliest(DateTime? current, DateTime candidate) => current is null || candidate < current ? candidate : current.Value;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? TruncateOrNull(string? value, int max) => string.IsNullOrWhiteSpace(value) ? null : Truncate(value.Trim(), max);
}
