using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking.Prediction;
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
public sealed class TrackingIngest(
    IDbContextFactory<PortalDbContext> dbFactory, ShipmentObservers observers, ShipmentPredictions predictions, TimeProvider clock, IOptions<TrackingOptions> options, ILogger<TrackingIngest> logger)
{
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

    /// <summary>Load (the shipments and their stored scans) → decide per snapshot (<see cref="SnapshotRules"/>) → store.</summary>
    private async Task<IngestResult> IngestOnceAsync(IReadOnlyList<TrackingSnapshot> snapshots, TrackingSource source, IReadOnlySet<int>? senderAccounts, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (shipments, keys, newest) = await LoadAsync(db, snapshots, ct);
        var futureAfter = now + options.Value.FutureScanTolerance;

        var unknown = new List<string>();
        var foreign = new List<string>();
        var transitions = new List<ShipmentTransition>();
        var scanned = new List<Shipment>();
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
            var decision = SnapshotRules.Decide(StateOf(shipment), snapshot, keys[shipment.Id], newest.GetValueOrDefault(shipment.Id), now, futureAfter);
            if (decision.Transition is { } t)
            {
                transitions.Add(new ShipmentTransition(shipment, t.From, t.To, now, source, t.Scan));
            }
            added += Store(db, shipment, decision, keys[shipment.Id], source);
            if (decision.Scans.Any(scan => !scan.DatedInFuture))
            {
                scanned.Add(shipment);
            }
            if (decision.Newest is { } latest)
            {
                newest[shipment.Id] = latest;
            }
            shipment.LastCheckedAtUtc = now;
            shipment.LastSource = source;
            shipment.Version = Guid.NewGuid();
        }

        await PredictAsync(db, scanned, now, ct);
        // Observers add their rows to this context, so their reactions commit with the scans or not at all. They run
        // after the prediction, so they read this scan's prediction (monitoring's "will miss the promise").
        await observers.NotifyAsync(db, transitions, ct);
        await db.SaveChangesAsync(ct);
        if (unknown.Count > 0)
        {
            logger.LogInformation("Tracking for {Count} unknown number(s) ignored, e.g. {TrackingNo}", unknown.Count, unknown[0]);
        }
        return new IngestResult(applied, added, unknown, foreign);
    }

    /// <summary>
    /// Re-predicts the delivery of each shipment that got a new scan and keeps the prediction made
    /// (docs/delivery-prediction.md §5: at every new scan, in the scan's transaction). A parcel that became final keeps
    /// its last prediction.
    /// </summary>
    private async Task PredictAsync(PortalDbContext db, List<Shipment> scanned, DateTime now, CancellationToken ct)
    {
        var open = scanned.Where(s => s.Direction == ShipmentDirection.Forward && s.FinalAtUtc is null).DistinctBy(s => s.Id).ToList();
        if (open.Count == 0)
        {
            return;
        }
        var stats = await predictions.LoadAsync(db, open, ct);
        foreach (var shipment in open)
        {
            if (predictions.Apply(shipment, stats, now) is { } row)
            {
                db.Add(row);
            }
        }
    }

    private static async Task<(List<Shipment> Shipments, Dictionary<long, HashSet<string>> Keys, Dictionary<long, NewestScan> Newest)> LoadAsync(
        PortalDbContext db, IReadOnlyList<TrackingSnapshot> snapshots, CancellationToken ct)
    {
        var numbers = snapshots.Select(s => s.TrackingNo).Distinct(StringComparer.Ordinal).ToList();
        var shipments = await db.Set<Shipment>().Where(s => numbers.Contains(s.TrackingNo)).ToListAsync(ct);
        var ids = shipments.Select(s => s.Id).ToList();
        var stored = await db.Set<TrackingEvent>()
            .Where(e => ids.Contains(e.ShipmentId))
            .Select(e => new { e.ShipmentId, e.DedupeKey, e.TimeUtc, e.Status, e.Description, e.Location, e.DatedInFuture })
            .ToListAsync(ct);
        var keys = ids.ToDictionary(id => id, _ => new HashSet<string>(StringComparer.Ordinal));
        var newest = new Dictionary<long, NewestScan>();
        foreach (var e in stored)
        {
            keys[e.ShipmentId].Add(e.DedupeKey);
            if (!e.DatedInFuture && (!newest.TryGetValue(e.ShipmentId, out var n) || e.TimeUtc >= n.Time))
            {
                newest[e.ShipmentId] = new NewestScan(e.TimeUtc, e.Status, e.Description, e.Location);
            }
        }
        return (shipments, keys, newest);
    }

    private static ShipmentState StateOf(Shipment s) => new(
        s.Status, s.RawState, s.RawStateEx, s.Location, s.FirstScanAtUtc, s.OutForDeliveryAtUtc, s.DeliveryAttempts, s.StatusChangedAtUtc,
        s.FinalAtUtc, s.DeliveredAtUtc, s.LastEventAtUtc, s.EstimatedDeliveryUtc, s.NextCheckAtUtc, s.DestinationProvince, s.SubscribedAtUtc is not null);

    /// <summary>Adds the new scans to the context and copies the decided state onto the shipment; returns the number of scans added.</summary>
    private int Store(PortalDbContext db, Shipment shipment, SnapshotDecision decision, HashSet<string> keys, TrackingSource source)
    {
        foreach (var scan in decision.Scans)
        {
            keys.Add(scan.DedupeKey);
            db.Add(new TrackingEvent
            {
                ShipmentId = shipment.Id, TimeUtc = scan.TimeUtc, Description = scan.Description, Location = scan.Location, RawAction = scan.RawAction,
                Status = scan.Status, Source = source, DedupeKey = scan.DedupeKey, DatedInFuture = scan.DatedInFuture,
            });
            if (scan.DatedInFuture)
            {
                logger.LogWarning("Scan of {TrackingNo} dated {Time:o} is more than {Tolerance} ahead of the portal's clock: stored, flagged, ignored for the status",
                    shipment.TrackingNo, scan.TimeUtc, options.Value.FutureScanTolerance);
            }
        }
        if (decision.RefusedReopening is { } refused)
        {
            logger.LogInformation("Shipment {TrackingNo} stays {Status}: a late scan said {Candidate}", shipment.TrackingNo, shipment.Status, refused);
        }
        var a = decision.After;
        (shipment.Status, shipment.RawState, shipment.RawStateEx, shipment.Location) = (a.Status, a.RawState, a.RawStateEx, a.Location);
        (shipment.FirstScanAtUtc, shipment.OutForDeliveryAtUtc, shipment.DeliveryAttempts) = (a.FirstScanAtUtc, a.OutForDeliveryAtUtc, a.DeliveryAttempts);
        (shipment.StatusChangedAtUtc, shipment.FinalAtUtc, shipment.DeliveredAtUtc) = (a.StatusChangedAtUtc, a.FinalAtUtc, a.DeliveredAtUtc);
        (shipment.LastEventAtUtc, shipment.EstimatedDeliveryUtc, shipment.NextCheckAtUtc) = (a.LastEventAtUtc, a.EstimatedDeliveryUtc, a.NextCheckAtUtc);
        // StateEx 201 (到达派件城市): the destination-city stage starts at its first scan, even one that arrives late.
        foreach (var scan in decision.Scans.Where(scan => !scan.DatedInFuture && scan.RawAction == "201"))
        {
            shipment.AtDestinationCityAtUtc = shipment.AtDestinationCityAtUtc is { } known && known <= scan.TimeUtc ? known : scan.TimeUtc;
        }
        return decision.Scans.Count;
    }

    /// <summary>By carrier and number; by number alone when only one shipment has it (carriers' codes vary in case).</summary>
    private static Shipment? Match(List<Shipment> shipments, TrackingSnapshot snapshot)
    {
        var byNumber = shipments.Where(s => s.TrackingNo == snapshot.TrackingNo).ToList();
        return byNumber.FirstOrDefault(s => string.Equals(s.ShipperCode, snapshot.ShipperCode, StringComparison.OrdinalIgnoreCase))
            ?? (byNumber.Count == 1 ? byNumber[0] : null);
    }

    /// <summary>
    /// A valid sign proves only which aggregator merchant sent the push: it may speak of the parcels subscribed or
    /// issued through its own accounts, for the carrier they were registered with (a number can recur across carriers).
    /// </summary>
    private static bool MaySend(IReadOnlySet<int> senderAccounts, Shipment shipment, TrackingSnapshot snapshot) =>
        senderAccounts.Contains(shipment.CarrierAccountId)
        && (string.IsNullOrWhiteSpace(snapshot.ShipperCode) || string.Equals(snapshot.ShipperCode.Trim(), shipment.ShipperCode, StringComparison.OrdinalIgnoreCase));

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
