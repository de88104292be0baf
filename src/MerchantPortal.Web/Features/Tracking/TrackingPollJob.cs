using System.Collections.Concurrent;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// The recurring poll sweep (tracking:poll): reads the shipments due for a check, asks the carrier per account
/// (<see cref="CarrierClient"/> keeps each account within its rate limit) and ingests the answers in batches.
/// Safe to run twice or concurrently: it re-reads what is due, and ingest is idempotent.
/// </summary>
public sealed class TrackingPollJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierClient carriers,
    TrackingIngest ingest,
    ShipmentService shipments,
    JobGate gate,
    TimeProvider clock,
    ILogger<TrackingPollJob> logger)
{
    public const int BatchSize = 200;
    /// <summary>Bounds one run so a backlog is worked off over several runs instead of one endless job.</summary>
    public const int MaxBatchesPerRun = 20;
    /// <summary>After a failed call the shipment waits this long, so a carrier outage is not hammered every minute.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(15);

    /// <summary>A failed 8008 is tried again this long after the last attempt (the aggregator may have been down).</summary>
    public static readonly TimeSpan ResubscribeAfter = TimeSpan.FromHours(1);
    public const int MaxResubscribesPerRun = 100;

    private const int ParallelCallsPerAccount = 8;

    /// <param name="PhoneLast4">SF answers only with the receiver's phone tail as CustomerName (carrier-protocol.md §2.2).</param>
    private sealed record Due(long Id, int CarrierAccountId, string ShipperCode, string TrackingNo, string? PhoneLast4);

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        // One sweep at a time across servers; a second run returns at once instead of parking a worker (JobGate).
        using var held = gate.TryEnter("tracking:poll");
        if (held is null)
        {
            return 0;
        }
        var polled = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var due = await ReadDueAsync(ct);
            if (due.Count == 0)
            {
                break;
            }
            polled += await PollAsync(due, ct);
            if (due.Count < BatchSize)
            {
                break;
            }
        }
        await ResubscribeAsync(ct);
        return polled;
    }

    /// <summary>
    /// Every followed parcel should be pushed to us (every shipment is subscribed). A subscription that failed
    /// at registration is retried here, at most once per <see cref="ResubscribeAfter"/> per shipment; polling covers
    /// the parcel meanwhile. The attempt is claimed with a conditional update, so two runs never both call.
    /// </summary>
    private async Task ResubscribeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now - ResubscribeAfter;
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ids = await db.Set<Shipment>().AsNoTracking()
                .Where(s => s.SubscribedAtUtc == null && s.NextCheckAtUtc != null && (s.SubscribeAttemptedAtUtc == null || s.SubscribeAttemptedAtUtc < before))
                .Where(s => db.Set<CarrierAccount>().Any(a => a.Id == s.CarrierAccountId && !a.IsDisabled))
                .OrderBy(s => s.Id)
                .Take(MaxResubscribesPerRun)
                .Select(s => s.Id)
                .ToListAsync(ct);
        }
        foreach (var id in ids)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var claimed = await db.Set<Shipment>()
                .Where(s => s.Id == id && s.SubscribedAtUtc == null && (s.SubscribeAttemptedAtUtc == null || s.SubscribeAttemptedAtUtc < before))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.SubscribeAttemptedAtUtc, now), ct) == 1;
            if (claimed)
            {
                await shipments.SubscribeAsync(id, ct);
            }
        }
    }

    private async Task<List<Due>> ReadDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Final shipments have no NextCheckAtUtc (PollSchedule), so the index on it alone finds the work.
        return await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.NextCheckAtUtc != null && s.NextCheckAtUtc <= now)
            // An Admin disabled the account: no calls on it; its shipments wait, due, until it is enabled again.
            .Where(s => db.Set<CarrierAccount>().Any(a => a.Id == s.CarrierAccountId && !a.IsDisabled))
            .OrderBy(s => s.NextCheckAtUtc)
            .Take(BatchSize)
            .Select(ToDue(db))
            .ToListAsync(ct);
    }

    private static System.Linq.Expressions.Expression<Func<Shipment, Due>> ToDue(PortalDbContext db) => s => new Due(
        s.Id, s.CarrierAccountId, s.ShipperCode, s.TrackingNo,
        db.Set<Orders.Order>().Where(o => o.Id == s.OrderId).Select(o => o.PhoneLast4).FirstOrDefault());

    private async Task<int> PollAsync(IReadOnlyCollection<Due> due, CancellationToken ct)
    {
        var snapshots = new ConcurrentBag<TrackingSnapshot>();
        var failed = new ConcurrentBag<long>();
        foreach (var account in due.GroupBy(d => d.CarrierAccountId))
        {
            await Parallel.ForEachAsync(account, new ParallelOptions { MaxDegreeOfParallelism = ParallelCallsPerAccount, CancellationToken = ct }, async (d, token) =>
            {
                var result = await carriers.CallAsync(d.CarrierAccountId, (gateway, context, c) => gateway.TrackAsync(context, d.ShipperCode, d.TrackingNo, d.PhoneLast4, c), token);
                if (result.Success && result.Value is { } snapshot)
                {
                    // The answer names the number as asked; keep ours so ingest matches the shipment exactly.
                    snapshots.Add(snapshot with { ShipperCode = d.ShipperCode, TrackingNo = d.TrackingNo });
                }
                else
                {
                    failed.Add(d.Id);
                    logger.LogInformation("Poll of {TrackingNo} failed: {Error} {Reason}", d.TrackingNo, result.Error, result.Reason);
                }
            });
        }
        await ingest.IngestAsync([.. snapshots], TrackingSource.Poll, ct);
        if (!failed.IsEmpty)
        {
            var ids = failed.ToList();
            var retryAt = clock.GetUtcNow().UtcDateTime + RetryAfterFailure;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // A push may have made one final meanwhile (no NextCheckAtUtc): that one stays unscheduled.
            await db.Set<Shipment>().Where(s => ids.Contains(s.Id) && s.NextCheckAtUtc != null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.NextCheckAtUtc, retryAt).SetProperty(s => s.Version, Guid.NewGuid()), ct);
        }
        return snapshots.Count;
    }
}
