using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

public sealed class WaybillOptions
{
    public const string Section = "Waybills";
    /// <summary>How long a runner's claim on a batch lasts without a heartbeat; after that the sweeper's job takes over.</summary>
    public int LeaseSeconds { get; set; } = 60;
    /// <summary>Carrier calls in flight per batch; null = from the account's rate (enough to fill it at ~100 ms per call).</summary>
    public int? Parallelism { get; set; }
    /// <summary>Engine-level attempts of a retriable failure (the gateway already retries each call 4 times).</summary>
    public int MaxAttempts { get; set; } = 4;
    public int RetryBaseDelayMs { get; set; } = 500;
}

/// <summary>
/// Runs one batch (Hangfire job, takes the batch id). Safe to lose: the batch keeps a lease that the job renews;
/// when it lapses, the sweeper enqueues a new job that takes over. Safe to run twice: a second job finds the lease
/// held and leaves; items are claimed with conditional updates; the 1007 OrderCode is the same on every retry of
/// an order (ResultCode 106 answers with the same waybill); and the unique live-waybill index stops any second
/// waybill row for an order whatever happens concurrently.
/// </summary>
public sealed class WaybillBatchJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierClient carriers,
    WaybillRegistration registration,
    WaybillOptions options,
    TimeProvider clock,
    ILogger<WaybillBatchJob> logger)
{
    private const int ChunkSize = 200;

    private sealed record Work(WaybillBatchItem Item, Order Order, Warehouse? Warehouse, Waybill? Live, int Generation);

    private sealed class Run(WaybillBatch batch, Guid token)
    {
        public WaybillBatch Batch { get; } = batch;
        public Guid Token { get; } = token;
        /// <summary>Set by the heartbeat when the batch was paused, cancelled or taken over: claim nothing more.</summary>
        public volatile bool Stopped;
        public Dictionary<int, Warehouse> Warehouses { get; set; } = [];
        public int PayType { get; set; } = 3;
        public int RequestsPerSecond { get; set; } = 1;
    }

    [Hangfire.AutomaticRetry(Attempts = 0)]
    [Hangfire.Queue("default")]
    public async Task RunAsync(long batchId, CancellationToken ct)
    {
        var run = await ClaimAsync(batchId, ct);
        if (run is not null)
        {
            using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var heartbeat = HeartbeatAsync(run, heartbeatStop.Token);
            try
            {
                await ProcessAsync(run, ct);
            }
            finally
            {
                await heartbeatStop.CancelAsync();
                await heartbeat;
                await ReleaseAsync(run);
            }
        }
        // Also for a finished batch (the sweeper enqueues those whose shipments were never registered).
        await registration.RegisterBatchAsync(batchId, ct);
    }

    private async Task<Run?> ClaimAsync(long batchId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.Set<WaybillBatch>()
            .Where(b => b.Id == batchId && (b.Status == WaybillBatchStatus.Queued || (b.Status == WaybillBatchStatus.Running && (b.LeaseUntilUtc == null || b.LeaseUntilUtc < now))))
            .ExecuteUpdateAsync(u => u
                .SetProperty(b => b.Status, WaybillBatchStatus.Running)
                .SetProperty(b => b.RunnerToken, token)
                .SetProperty(b => b.LeaseUntilUtc, now.AddSeconds(options.LeaseSeconds))
                .SetProperty(b => b.StartedAtUtc, b => b.StartedAtUtc ?? now), ct);
        if (claimed == 0)
        {
            return null;
        }
        // We hold the lease, so items still InProgress belong to a runner that died or lost it: they go back to
        // Pending. Redoing one is safe: same OrderCode, so the carrier answers 106 with the same waybill.
        await db.Set<WaybillBatchItem>().Where(i => i.BatchId == batchId && i.Status == WaybillItemStatus.InProgress)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, WaybillItemStatus.Pending).SetProperty(i => i.ClaimToken, (Guid?)null), ct);
        var batch = await db.Set<WaybillBatch>().AsNoTracking().SingleAsync(b => b.Id == batchId, ct);
        var account = await db.Set<CarrierAccount>().AsNoTracking().Where(a => a.Id == batch.CarrierAccountId)
            .Select(a => new { a.DefaultPayType, a.RequestsPerSecond }).SingleAsync(ct);
        return new Run(batch, token)
        {
            Warehouses = await WaybillPreflight.WarehousesAsync(db, ct),
            PayType = account.DefaultPayType,
            RequestsPerSecond = account.RequestsPerSecond,
        };
    }

    private async Task HeartbeatAsync(Run run, CancellationToken ct)
    {
        // Every second (one cheap UPDATE): the renewal is also how a pause or cancel reaches items already claimed.
        var interval = TimeSpan.FromSeconds(Math.Clamp(options.LeaseSeconds / 4.0, 0.5, 1));
        try
        {
            while (!run.Stopped)
            {
                await Task.Delay(interval, clock, ct);
                var now = clock.GetUtcNow().UtcDateTime;
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var renewed = await db.Set<WaybillBatch>()
                    .Where(b => b.Id == run.Batch.Id && b.RunnerToken == run.Token && b.Status == WaybillBatchStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.LeaseUntilUtc, now.AddSeconds(options.LeaseSeconds)), ct);
                run.Stopped = renewed == 0;
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task ProcessAsync(Run run, CancellationToken ct)
    {
        var parallelism = options.Parallelism ?? Math.Clamp(run.RequestsPerSecond / 4, 4, 64);
        // A few passes: "retry failed" may put items back to Pending while the last ones run.
        for (var pass = 0; pass < 3 && !run.Stopped; pass++)
        {
            // One continuous stream of claimed items, so a slow call (a timeout) never holds up the next chunk.
            await Parallel.ForEachAsync(ClaimedAsync(run, ct), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
                async (w, token) =>
                {
                    try
                    {
                        await ProcessItemAsync(run, w, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One order's failure (a database hiccup) must not stop the batch; the item stays claimed
                        // and goes back to Pending when the run ends (the next runner does it).
                        logger.LogError(ex, "Waybill for {OrderNo} in batch {BatchId} failed", w.Item.OrderNo, run.Batch.Id);
                    }
                });
            if (await TryFinishAsync(run, ct))
            {
                return;
            }
        }
    }

    private async IAsyncEnumerable<Work> ClaimedAsync(Run run, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (!run.Stopped)
        {
            var chunk = await ClaimChunkAsync(run, ct);
            if (chunk.Count == 0)
            {
                yield break;
            }
            foreach (var work in chunk)
            {
                yield return work;
            }
        }
    }

    private async Task<List<Work>> ClaimChunkAsync(Run run, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Checked per chunk (about a second of work) so a pause or cancel takes effect before the next heartbeat.
        if (!await db.Set<WaybillBatch>().AnyAsync(b => b.Id == run.Batch.Id && b.RunnerToken == run.Token && b.Status == WaybillBatchStatus.Running, ct))
        {
            run.Stopped = true;
            return [];
        }
        var ids = await db.Set<WaybillBatchItem>().Where(i => i.BatchId == run.Batch.Id && i.Status == WaybillItemStatus.Pending)
            .OrderBy(i => i.Id).Select(i => i.Id).Take(ChunkSize).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return [];
        }
        await db.Set<WaybillBatchItem>().Where(i => ids.Contains(i.Id) && i.Status == WaybillItemStatus.Pending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, WaybillItemStatus.InProgress)
                .SetProperty(i => i.ClaimToken, run.Token)
                .SetProperty(i => i.Attempts, i => i.Attempts + 1)
                .SetProperty(i => i.UpdatedAtUtc, now), ct);
        var items = await db.Set<WaybillBatchItem>().AsNoTracking()
            .Where(i => ids.Contains(i.Id) && i.ClaimToken == run.Token && i.Status == WaybillItemStatus.InProgress).ToListAsync(ct);
        var orderIds = items.Select(i => i.OrderId).ToList();
        var orders = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).AsSplitQuery().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var live = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null && orderIds.Contains(w.OrderId)).ToDictionaryAsync(w => w.OrderId, ct);
        var voided = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId == null && orderIds.Contains(w.OrderId))
            .GroupBy(w => w.OrderId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. items.Select(i =>
        {
            var order = orders[i.OrderId];
            return new Work(i, order, WaybillPreflight.Pick(run.Warehouses, order.WarehouseId), live.GetValueOrDefault(i.OrderId), voided.GetValueOrDefault(i.OrderId) + 1);
        })];
    }

    private async Task ProcessItemAsync(Run run, Work w, CancellationToken ct)
    {
        if (w.Live is { } live && live.BatchId == run.Batch.Id)
        {
            // This batch stored the waybill before its runner was lost; the item only missed being marked.
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Succeeded, live.Id, live.TrackingNo, null, null, ct);
            return;
        }
        var check = WaybillPreflight.Check(w.Order, w.Warehouse, w.Live);
        if (check.Reason is not null)
        {
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Skipped, null, null, check.Reason, check.Detail, ct);
            return;
        }
        if (run.Stopped)
        {
            return; // released back to Pending when the run ends
        }
        var orderCode = WaybillContent.OrderCode(w.Order.OrderNo, w.Generation);
        var request = WaybillContent.Request(w.Order, w.Warehouse!, orderCode, run.PayType, run.Batch.ServiceType);
        var result = await CreateWithRetriesAsync(run.Batch.CarrierAccountId, request, ct);
        if (!result.Success || result.Value is null)
        {
            var code = result.Retriable ? WaybillReasons.CarrierUnavailable : WaybillReasons.CarrierRejected;
            var reason = string.Join(" ", new[] { result.ResultCode, result.Reason }.Where(s => !string.IsNullOrWhiteSpace(s)));
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Failed, null, null, code, Truncate(reason, 500), ct);
            return;
        }
        await StoreAsync(run, w, orderCode, result.Value, ct);
    }

    private async Task<CarrierResult<WaybillIssued>> CreateWithRetriesAsync(int accountId, WaybillRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await carriers.CallAsync(accountId, (g, c, t) => g.CreateWaybillAsync(c, request, t), ct);
            if (result.Success || !result.Retriable || attempt >= options.MaxAttempts)
            {
                return result;
            }
            var delay = options.RetryBaseDelayMs * Math.Pow(2, attempt - 1) * (0.75 + (Random.Shared.NextDouble() / 2));
            await Task.Delay(TimeSpan.FromMilliseconds(delay), clock, ct);
        }
    }

    /// <summary>
    /// Stores the waybill, the order's new status and the item's success in one transaction. The waybill row is
    /// stored even when the item was taken by another runner meanwhile: the carrier issued it, so the database
    /// must know it. A unique-index conflict means another batch or runner stored this order's live waybill first.
    /// </summary>
    private async Task StoreAsync(Run run, Work w, string orderCode, WaybillIssued issued, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var waybill = new Waybill
        {
            OrderId = w.Order.Id,
            LiveOrderId = w.Order.Id,
            OrderNo = w.Order.OrderNo,
            BatchId = run.Batch.Id,
            CarrierAccountId = run.Batch.CarrierAccountId,
            ShipperCode = issued.ShipperCode,
            TrackingNo = issued.TrackingNo,
            OrderCode = orderCode,
            MarkDestination = issued.MarkDestination,
            SortingCode = issued.SortingCode,
            ServiceType = run.Batch.ServiceType,
            WarehouseId = w.Warehouse!.Id,
            PickKey = Truncate(WaybillContent.PickKey(w.Order, w.Warehouse), 200),
            LabelJson = WaybillContent.Serialize(WaybillContent.Label(w.Order, w.Warehouse, issued, default)),
            IssuedAtUtc = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(waybill);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            await ResolveConflictAsync(run, w, orderCode, ct);
            return;
        }
        var changed = await db.Set<Order>().Where(o => o.Id == w.Order.Id && o.Status == OrderStatus.Approved)
            .ExecuteUpdateAsync(u => u
                .SetProperty(o => o.Status, OrderStatus.WaybillIssued)
                .SetProperty(o => o.TrackingNo, issued.TrackingNo)
                .SetProperty(o => o.CarrierCode, issued.ShipperCode)
                .SetProperty(o => o.UpdatedAtUtc, now), ct);
        if (changed == 1)
        {
            db.Add(new OrderHistory
            {
                OrderId = w.Order.Id, AtUtc = now, Actor = run.Batch.CreatedBy, Action = "WaybillIssued",
                FromStatus = OrderStatus.Approved, ToStatus = OrderStatus.WaybillIssued, Details = $"{issued.ShipperCode} {issued.TrackingNo} (batch {run.Batch.Id})",
            });
            await db.SaveChangesAsync(ct);
        }
        await MarkItemAsync(db, run, w.Item.Id, WaybillItemStatus.Succeeded, waybill.Id, issued.TrackingNo, null, null, now, ct);
        await tx.CommitAsync(ct);
    }

    private async Task ResolveConflictAsync(Run run, Work w, string orderCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var live = await db.Set<Waybill>().AsNoTracking().FirstOrDefaultAsync(x => x.LiveOrderId == w.Order.Id, ct);
        if (live is not null && live.BatchId == run.Batch.Id && live.OrderCode == orderCode)
        {
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Succeeded, live.Id, live.TrackingNo, null, null, ct);
        }
        else if (live is not null)
        {
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Skipped, null, null, WaybillReasons.LiveWaybill, live.TrackingNo, ct);
        }
        else
        {
            // The OrderCode is taken by a voided waybill (a void raced this call): the next attempt uses a new generation.
            logger.LogWarning("Waybill for {OrderNo} conflicted without a live waybill; the item will be retried", w.Order.OrderNo);
            await FinishItemAsync(run, w.Item, WaybillItemStatus.Failed, null, null, WaybillReasons.CarrierUnavailable, "conflict", ct);
        }
    }

    private async Task FinishItemAsync(Run run, WaybillBatchItem item, WaybillItemStatus status, long? waybillId, string? trackingNo, string? code, string? error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await MarkItemAsync(db, run, item.Id, status, waybillId, trackingNo, code, error, clock.GetUtcNow().UtcDateTime, ct);
    }

    private static Task<int> MarkItemAsync(PortalDbContext db, Run run, long itemId, WaybillItemStatus status, long? waybillId, string? trackingNo, string? code, string? error, DateTime now, CancellationToken ct) =>
        db.Set<WaybillBatchItem>().Where(i => i.Id == itemId && i.Status == WaybillItemStatus.InProgress && i.ClaimToken == run.Token)
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, status)
                .SetProperty(i => i.WaybillId, waybillId)
                .SetProperty(i => i.TrackingNo, trackingNo)
                .SetProperty(i => i.ErrorCode, code)
                .SetProperty(i => i.Error, error)
                .SetProperty(i => i.UpdatedAtUtc, now), ct);

    /// <summary>Completes the batch when no item is left to do (a conditional update, so a concurrent retry is never lost).</summary>
    private async Task<bool> TryFinishAsync(Run run, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = run.Batch.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var anyFailed = await db.Set<WaybillBatchItem>().Where(i => i.BatchId == id).AnyAsync(i => i.Status == WaybillItemStatus.Failed || i.Status == WaybillItemStatus.Skipped, ct);
        var finished = await db.Set<WaybillBatch>()
            .Where(b => b.Id == id && b.RunnerToken == run.Token && b.Status == WaybillBatchStatus.Running
                && !db.Set<WaybillBatchItem>().Any(i => i.BatchId == id && (i.Status == WaybillItemStatus.Pending || i.Status == WaybillItemStatus.InProgress)))
            .ExecuteUpdateAsync(u => u
                .SetProperty(b => b.Status, anyFailed ? WaybillBatchStatus.CompletedWithErrors : WaybillBatchStatus.Completed)
                .SetProperty(b => b.FinishedAtUtc, now)
                .SetProperty(b => b.RunnerToken, (Guid?)null)
                .SetProperty(b => b.LeaseUntilUtc, (DateTime?)null), ct);
        return finished == 1;
    }

    /// <summary>
    /// Puts this runner's unfinished items back (Pending, or Cancelled when the batch was cancelled) and gives up the
    /// lease unless the host is stopping, in which case the lease simply lapses and the sweeper takes over.
    /// </summary>
    private async Task ReleaseAsync(Run run)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var id = run.Batch.Id;
            var status = await db.Set<WaybillBatch>().Where(b => b.Id == id).Select(b => b.Status).SingleAsync();
            var back = status == WaybillBatchStatus.Cancelled ? WaybillItemStatus.Cancelled : WaybillItemStatus.Pending;
            await db.Set<WaybillBatchItem>().Where(i => i.BatchId == id && i.ClaimToken == run.Token && i.Status == WaybillItemStatus.InProgress)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, back).SetProperty(i => i.ClaimToken, (Guid?)null));
            if (status is WaybillBatchStatus.Paused or WaybillBatchStatus.Cancelled)
            {
                await db.Set<WaybillBatch>().Where(b => b.Id == id && b.RunnerToken == run.Token)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.RunnerToken, (Guid?)null).SetProperty(b => b.LeaseUntilUtc, (DateTime?)null));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The host is going away (database closed): the lease lapses and the next runner puts the items back.
            logger.LogWarning(ex, "Releasing waybill batch {BatchId} failed; the sweeper will take it over", run.Batch.Id);
        }
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
