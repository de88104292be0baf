using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// The recurring re-prediction between scans (tracking:predict, every 15 minutes). A parcel that stays silent as its
/// expected time comes near is re-predicted conditionally on the time it has spent at its stage, and never sooner
/// than the stage still ahead takes, so a parcel stuck at a hub sees its window slide later as the hours pass (what
/// "will miss the promise" reads) while there is still time to act. Only parcels expected within
/// <see cref="Ahead"/> (or already late) are read (an index seek on PredictedDeliveryUtc), each at most once every
/// <see cref="Every"/>, and a <see cref="DeliveryPrediction"/> row is kept only when the expected Beijing day changes,
/// so the table is not flooded. Safe to run twice: a second run finds the re-predicted parcels not due yet.
/// docs/delivery-prediction.md §5.
/// </summary>
public sealed class PredictionSweepJob(IDbContextFactory<PortalDbContext> dbFactory, ShipmentPredictions predictions, JobGate gate, TimeProvider clock, ILogger<PredictionSweepJob> logger)
{
    public const int BatchSize = 500;
    public const int MaxBatchesPerRun = 20;

    /// <summary>Parcels expected within this time are watched: a silent one's forecast moves before its day comes.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromHours(12);

    /// <summary>A watched silent parcel is re-predicted at most this often.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter("tracking:predict");
        if (held is null)
        {
            return 0;
        }
        return await SweepAsync(ct);
    }

    /// <summary>Re-predicts the silent parcels expected soon or already late; returns how many were re-predicted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (soon, predictedBefore) = (now + Ahead, now - Every);
        var done = 0;
        long after = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var due = await db.Set<Shipment>()
                // A parcel going back keeps its last prediction and is never due (else it would be re-read every run).
                .Where(s => s.PredictedDeliveryUtc < soon && s.PredictedAtUtc < predictedBefore && s.FinalAtUtc == null && s.Direction == ShipmentDirection.Forward && s.Status != ShipmentStatus.Returning && s.Id > after)
                .OrderBy(s => s.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                break;
            }
            after = due[^1].Id;
            var stats = await predictions.LoadAsync(db, due, ct);
            foreach (var shipment in due)
            {
                var dayBefore = shipment.PredictedDeliveryUtc is { } before ? BeijingTime.DateOf(before) : (DateOnly?)null;
                if (predictions.Apply(shipment, stats, now) is not { } row)
                {
                    continue;
                }
                shipment.Version = Guid.NewGuid();
                if (BeijingTime.DateOf(row.ExpectedUtc) != dayBefore)
                {
                    db.Add(row);
                }
                done++;
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A scan was ingested meanwhile and re-predicted these parcels itself; the next run reads them again.
                logger.LogInformation("Prediction sweep raced with tracking ingest; the batch is left to the scan's prediction");
            }
            if (due.Count < BatchSize)
            {
                break;
            }
        }
        return done;
    }
}
