using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Tracking;

/// <param name="Applied">Snapshots that matched a shipment.</param>
/// <param name="EventsAdded">Scans stored that were not stored before.</param>
/// <param name="Unknown">Tracking numbers no shipment has (ignored, never created).</param>
/// <param name="Foreign">Tracking numbers of shipments the sender may not move (another account's or carrier's): ignored.</param>
public sealed record IngestResult(int Applied, int EventsAdded, IReadOnlyList<string> Unknown, IReadOnlyList<string> Foreign);

/// <summary>
/// Applies tracking snapshots (from a push or a poll) to shipments, many per SaveChanges, in one transaction.
/// Idempotent: a replayed push or an overlapping poll stores nothing new (dedupe key + unique index), and a snapshot
/// older than what is stored (a push delivered late) cannot move the status backwards.
/// </summary>
public sealed class TrackingIngest(IDbContextFactory<PortalDbContext> dbFactory, ShipmentObservers observers, TimeProvider clock, IOptions<TrackingOptions> options, ILogger<TrackingIngest> logger)
{
    private const int DescriptionMax = 1000;
    private const int LocationMax = 100;

    /// <param name="senderAccounts">
    /// The carrier accounts the snapshots' sender proved to be (a push: the accounts whose AppKey verified its sign).
    /// Only their shipments, and only of the carrier each snapshot names, are moved; null = the portal's own poll.
    /// </param>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<TrackingSnapshot> snapshots, TrackingSource source, CancellationToken ct = default, IReadOnlySet<int>? senderAccounts = null)
    {
        if (snapshots.Count == 0)
        {
            return new IngestResult(0, 0, [], []);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(snapshots, source, senderAccounts, ct);
            }
            catch (DbUpdateException ex) when (attempt < 4)
            {
                // A push and a poll of the same shipment raced (Version token or the event unique index). Snapshots
                // carry the full history, so re-reading and applying again loses nothing.
                logger.LogInformation(ex, "Tracking ingest raced with another writer; retrying (attempt {Attempt})", attempt);
            }
        }
    }

    private async Task<IngestResult> IngestOnceAsync(IReadOnlyList<TrackingSnapshot> snapshots, TrackingSource source, IReadOnlySet<int>? senderAccounts, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var numbers = snapshots.Select(s => s.TrackingNo).Distinct(StringComparer.Ordinal).ToList();
        var shipments = await db.Set<Shipment>().Where(s => numbers.Contains(s.TrackingNo)).ToListAsync(ct);
        var ids = shipments.Select(s => s.Id).ToList();
        var stored = await db.Set<TrackingEvent>()
            .Where(e => ids.Contains(e.ShipmentId))
            .Select(e => new { e.ShipmentId, e.DedupeKey, e.TimeUtc, e.Status, e.Description, e.Location, e.DatedInFuture })
            .ToListAsync(ct);
        var keys = ids.ToDictionary(id => id, _ => new HashSet<string>(StringComparer.Ordinal));
        var newest = new Dictionary<long, Newest>();
        foreach (var e in stored)
        {
            keys[e.ShipmentId].Add(e.DedupeKey);
            if (!e.DatedInFuture && (!newest.TryGetValue(e.ShipmentId, out var n) || e.TimeUtc >= n.Time))
            {
                newest[e.ShipmentId] = new Newest(e.TimeUtc, e.Status, e.Description, e.Location);
            }
        }
        var futureAfter = now + options.Value.FutureScanTolerance;

        var unknown = new List<string>();
        var foreign = new List<string>();
        var transitions = new List<ShipmentTransition>();
        var applied = 0;
        var added = 0;
        foreach (var snapshot in snapshots)
        {
            var shipment = Match(shipments, snapshot);
            if (shipment is null)
            {
                unknown.Add(snapshot.TrackingNo);
                continue;
            }
            if (senderAccounts is not null && !MaySend(senderAccounts, shipment, snapshot))
            {
                foreign.Add(snapshot.TrackingNo);
                continue;
            }
            applied++;
            var shipmentKeys = keys[shipment.Id];
            var hasNewest = newest.TryGetValue(shipment.Id, out var latest);
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
                if (!shipmentKeys.Add(key))
                {
                    continue;
                }
                db.Add(new TrackingEvent
                {
                    ShipmentId = shipment.Id,
                    TimeUtc = ev.TimeUtc,
                    Description = description,
                    Location = TruncateOrNull(ev.Location, LocationMax),
                    RawAction = TruncateOrNull(ev.RawAction, 16),
                    Status = ev.Status,
                    Source = source,
                    DedupeKey = key,
                    DatedInFuture = future,
                });
                added++;
                if (future)
                {
                    logger.LogWarning("Scan of {TrackingNo} dated {Time:o} is more than {Tolerance} ahead of the portal's clock: stored, flagged, ignored for the status",
                        shipment.TrackingNo, ev.TimeUtc, options.Value.FutureScanTolerance);
                    continue;
                }
                shipment.FirstScanAtUtc = Earliest(shipment.FirstScanAtUtc, ev.TimeUtc);
                if (ev.Status == ShipmentStatus.OutForDelivery)
                {
                    shipment.OutForDeliveryAtUtc = Earliest(shipment.OutForDeliveryAtUtc, ev.TimeUtc);
                    shipment.DeliveryAttempts++;
                }
                // Out-of-order scans are stored, but only the newest by carrier time decides the status.
                if (!hasNewest || ev.TimeUtc >= latest.Time)
                {
                    latest = new Newest(ev.TimeUtc, ev.Status, description, TruncateOrNull(ev.Location, LocationMax));
                    hasNewest = true;
                }
            }
            if (hasNewest)
            {
                newest[shipment.Id] = latest;
            }

            // The carrier's own State/StateEx is its view now (it carries sticky and computed states such as 403 that
            // no single scan has), but only when this snapshot is current: a push that arrives after a newer poll
            // describes the past, and then the newest stored scan decides. A snapshot with a scan from the future
            // is not current either: its State may already be that scan's.
            var current = !snapshotHasFuture && (!hasNewest || (snapshotNewest is not null && snapshotNewest >= latest.Time));
            var candidate = !hasNewest ? (current ? snapshot.Status : shipment.Status)
                : current && snapshot.Status != ShipmentStatus.Pending ? snapshot.Status
                : latest.Status;
            if (shipment.Status.IsFinal() && !candidate.IsFinal())
            {
                // product.md: Delivered/Returned/Expired are final; a late scan never reopens them.
                logger.LogInformation("Shipment {TrackingNo} stays {Status}: a late scan said {Candidate}", shipment.TrackingNo, shipment.Status, candidate);
                candidate = shipment.Status;
            }
            else if (current)
            {
                shipment.RawState = snapshot.RawState ?? shipment.RawState;
                shipment.RawStateEx = snapshot.RawStateEx ?? shipment.RawStateEx;
                shipment.Location = TruncateOrNull(snapshot.Location, LocationMax) ?? shipment.Location;
            }
            if (candidate != shipment.Status)
            {
                transitions.Add(new ShipmentTransition(shipment, shipment.Status, candidate, now, source,
                    hasNewest ? new DecidingScan(latest.Time, latest.Description, latest.Location) : null));
                shipment.StatusChangedAtUtc = now;
                if (candidate.IsFinal())
                {
                    shipment.FinalAtUtc ??= now;
                }
                if (candidate == ShipmentStatus.Delivered)
                {
                    shipment.DeliveredAtUtc ??= hasNewest ? latest.Time : now;
                }
            }
            shipment.Status = candidate;
            shipment.LastEventAtUtc = hasNewest ? latest.Time : shipment.LastEventAtUtc;
            shipment.EstimatedDeliveryUtc = snapshot.EstimatedDelivery?.UtcDateTime ?? shipment.EstimatedDeliveryUtc;
            shipment.LastCheckedAtUtc = now;
            shipment.LastSource = source;
            shipment.NextCheckAtUtc = PollSchedule.NextCheck(ScheduleInput(shipment, current ? snapshotNewestEvent : null), now, shipment.SubscribedAtUtc is not null);
            shipment.Version = Guid.NewGuid();
        }

        // Observers add their rows to this context, so their reactions commit with the scans or not at all.
        await observers.NotifyAsync(db, transitions, ct);
        await db.SaveChangesAsync(ct);
        if (unknown.Count > 0)
        {
            logger.LogInformation("Tracking for {Count} unknown number(s) ignored, e.g. {TrackingNo}", unknown.Count, unknown[0]);
        }
        return new IngestResult(applied, added, unknown, foreign);
    }

    /// <summary>
    /// What the schedule needs: the newest scan's kind and place when this snapshot has it (a stale snapshot does not,
    /// and the schedule then goes by the status alone), and the lane's destination for the trunk haul.
    /// </summary>
    private static PollInput ScheduleInput(Shipment shipment, MerchantPortal.Carriers.TrackingEvent? newestScan) => new(
        shipment.Status,
        shipment.LastEventAtUtc,
        newestScan is null ? ScanKind.Unknown : PollSchedule.KindOf(newestScan.RawAction, newestScan.Description, newestScan.Status),
        newestScan?.Location ?? newestScan?.Description,
        shipment.DestinationProvince,
        shipment.EstimatedDeliveryUtc);

    /// <summary>By carrier and number; by number alone when only one shipment has it (carriers' codes vary in case).</summary>
    private static Shipment? Match(List<Shipment> shipments, TrackingSnapshot snapshot)
    {
        var byNumber = shipments.Where(s => s.TrackingNo == snapshot.TrackingNo).ToList();
        return byNumber.FirstOrDefault(s => string.Equals(s.ShipperCode, snapshot.ShipperCode, StringComparison.OrdinalIgnoreCase))
            ?? (byNumber.Count == 1 ? byNumber[0] : null);
    }

    private readonly record struct Newest(DateTime Time, ShipmentStatus Status, string Description, string? Location);

    /// <summary>
    /// A valid sign proves only which aggregator merchant sent the push: it may speak of the parcels subscribed or
    /// issued through its own accounts, for the carrier they were registered with (a number can recur across carriers).
    /// </summary>
    private static bool MaySend(IReadOnlySet<int> senderAccounts, Shipment shipment, TrackingSnapshot snapshot) =>
        senderAccounts.Contains(shipment.CarrierAccountId)
        && (string.IsNullOrWhiteSpace(snapshot.ShipperCode) || string.Equals(snapshot.ShipperCode.Trim(), shipment.ShipperCode, StringComparison.OrdinalIgnoreCase));

    private static DateTime Earliest(DateTime? current, DateTime candidate) => current is null || candidate < current ? candidate : current.Value;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? TruncateOrNull(string? value, int max) => string.IsNullOrWhiteSpace(value) ? null : Truncate(value.Trim(), max);
}

/// <summary>The <c>Tracking</c> settings.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>
    /// A scan dated further ahead of the portal's clock than this is a carrier's clock or data error: it is stored
    /// (staff see it, flagged) but never decides a status, a first-scan time or what a customer is told.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Tracking:FutureScanTolerance must be between 0 and 3650 days.")]
    public TimeSpan FutureScanTolerance { get; set; } = TimeSpan.FromMinutes(10);
}
