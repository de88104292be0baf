using System.Threading.Channels;
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
    [System.ComponentModel.DataAnnotations.Range(1, 3600, ErrorMessage = "Waybills:LeaseSeconds must be between 1 and 3600.")]
    public int LeaseSeconds { get; set; } = 60;
    /// <summary>Carrier calls in flight per batch; null = from the account's rate (enough to fill it at ~100 ms per call).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256, ErrorMessage = "Waybills:Parallelism must be between 1 and 256 when set.")]
    public int? Parallelism { get; set; }
    /// <summary>Engine-level attempts of a retriable failure (the gateway already retries each call 4 times).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 20, ErrorMessage = "Waybills:MaxAttempts must be between 1 and 20.")]
    public int MaxAttempts { get; set; } = 4;
    [System.ComponentModel.DataAnnotations.Range(0, 60000, ErrorMessage = "Waybills:RetryBaseDelayMs must be between 0 and 60000.")]
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
    ICarrierGateway gateway,
    CarrierAccountContexts contexts,
    CarrierCallMeter meter,
    WaybillMetrics metrics,
    WaybillRegistration registration,
    WaybillOptions options,
    TimeProvider clock,
    ILogger<WaybillBatchJob> logger)
{
    private const int ChunkSize = 200;
    private const int WriteChunkSize = 250;

    /// <param name="Content">What the item's parcel carries (<see cref="ParcelRules.Content"/>): the request and label are built from it.</param>
    /// <param name="MergedInto">The number of the order this one ships with (合并发货), for the pre-flight's reason.</param>
    /// <param name="Followers">The orders that ship in this order's parcel.</param>
    private sealed record Work(WaybillBatchItem Item, Order Order, Warehouse? Warehouse, Waybill? Live, int Generation, Order Content, string? MergedInto, IReadOnlyList<Order> Followers);

    /// <summary>What the writer stores for one item: a newly issued waybill (Issued set) or a final item status.</summary>
    private sealed record Outcome(Work Work, WaybillItemStatus Status, string? OrderCode, WaybillIssued? Issued, long? WaybillId, string? TrackingNo, string? Code, string? Error)
    {
        public static Outcome Finished(Work w, WaybillItemStatus status, long? waybillId, string? trackingNo, string? code, string? error) =>
            new(w, status, null, null, waybillId, trackingNo, code, error);
    }

    private sealed class Run(WaybillBatch batch, Guid token)
    {
        public WaybillBatch Batch { get; } = batch;
        public Guid Token { get; } = token;
        /// <summary>Set by the heartbeat when the batch was paused, cancelled or taken over: claim nothing more.</summary>
        public volatile bool Stopped;
        public Dictionary<int, Warehouse> Warehouses { get; set; } = [];
        public Dictionary<int, Shop> Shops { get; set; } = [];
        public int PayType { get; set; } = 3;
        public int RequestsPerSecond { get; set; } = 1;
        /// <summary>The account's gateway context, refreshed per claimed chunk.</summary>
        public volatile CarrierAccountContext? Account;
    }

    [Hangfire.AutomaticRetry(Attempts = 0)]
    [Hangfire.Queue("default")]
    public async Task RunAsync(long batchId, CancellationToken ct)
    {
        var run = await ClaimAsync(batchId, ct);
        if (run is null && await IsRunningElsewhereAsync(batchId, ct))
        {
            // Another runner holds the batch and registers its waybills when it finishes; registering the same
            // parcels from here at the same time only races it to the unique index.
            return;
        }
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

    private async Task<bool> IsRunningElsewhereAsync(long batchId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<WaybillBatch>().AnyAsync(b => b.Id == batchId && (b.Status == WaybillBatchStatus.Running || b.Status == WaybillBatchStatus.Queued), ct);
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
            Shops = await WaybillPreflight.ShopsAsync(db, ct),
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
        // Enough calls in flight to fill the account's rate at up to ~500 ms per call (50 ms latency × 200/s needs 10).
        var parallelism = options.Parallelism ?? Math.Clamp(run.RequestsPerSecond / 2, 4, 100);
        // A few passes: "retry failed" may put items back to Pending while the last ones run.
        for (var pass = 0; pass < 3 && !run.Stopped; pass++)
        {
            // Carrier calls run in parallel; their outcomes go to ONE writer that stores them a chunk per transaction.
            // Per-item transactions from 50 parallel workers made SQLite's writers queue on its lock (Microsoft.Data.Sqlite
            // retries a busy statement after sleeping), which capped the batch far below the account's rate.
            var outcomes = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
            var writer = WriteAsync(run, outcomes.Reader, ct);
            try
            {
                // One continuous stream of claimed items, so a slow call (a timeout) never holds up the next chunk.
                await Parallel.ForEachAsync(ClaimedAsync(run, ct), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
                    async (w, token) =>
                    {
                        try
                        {
                            if (await ProcessItemAsync(run, w, token) is { } outcome)
                            {
                                metrics.ItemSettled(run.Batch.CarrierAccountId, outcome.Status);
                                outcomes.Writer.TryWrite(outcome);
                            }
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // One order's failure must not stop the batch; the item stays claimed and goes back to
                            // Pending when the run ends (the next runner does it, with the same OrderCode).
                            logger.LogError(ex, "Waybill for {OrderNo} in batch {BatchId} failed", w.Item.OrderNo, run.Batch.Id);
                        }
                    });
            }
            finally
            {
                // Every outcome is stored before the batch may finish or the items are released.
                outcomes.Writer.TryComplete();
                await writer;
            }
            if (await TryFinishAsync(run, ct))
            {
                return;
            }
        }
    }

    private async IAsyncEnumerable<Work> ClaimedAsync(Run run, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // The next chunk is claimed while the current one is handed out: claiming it only when the last item was
        // taken left every free worker waiting for the claim queries at each chunk boundary (no call started
        // meanwhile), a few seconds lost over a 10,000-item batch. A chunk claimed ahead and not reached is released
        // to Pending when the run ends, like any other claimed item.
        var next = ClaimChunkAsync(run, ct);
        var ahead = true;
        try
        {
            while (true)
            {
                ahead = false;
                var chunk = await next;
                if (chunk.Count == 0)
                {
                    yield break;
                }
                next = run.Stopped ? Task.FromResult(new List<Work>()) : ClaimChunkAsync(run, ct);
                ahead = true;
                foreach (var work in chunk)
                {
                    yield return work;
                }
            }
        }
        finally
        {
            // The enumeration was abandoned (cancellation, a worker's fault) while a claim ahead was still running:
            // observe it; its items are released with the run's other claimed items.
            if (ahead)
            {
                try
                {
                    await next;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    logger.LogDebug(ex, "A claim ahead of batch {BatchId} ended with the run", run.Batch.Id);
                }
            }
        }
    }

    private async Task<List<Work>> ClaimChunkAsync(Run run, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Once per chunk rather than per call: an account edit (new version) is picked up at the next chunk.
        run.Account = await contexts.GetAsync(run.Batch.CarrierAccountId, ct);
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
        // One live waybill per parcel (拆单), and the OrderCode generation counted per parcel.
        var live = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null && orderIds.Contains(w.OrderId)).ToDictionaryAsync(w => (w.OrderId, w.ParcelNo), ct);
        var voided = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId == null && orderIds.Contains(w.OrderId))
            .GroupBy(w => new { w.OrderId, w.ParcelNo }).Select(g => new { g.Key.OrderId, g.Key.ParcelNo, Count = g.Count() }).ToDictionaryAsync(g => (g.OrderId, g.ParcelNo), g => g.Count, ct);
        var set = await WaybillPreflight.ParcelSetAsync(db, orderIds, ct);
        return [.. items.Select(i =>
        {
            var order = orders[i.OrderId];
            var followers = set.Followers[order.Id].ToList();
            return new Work(i, order, WaybillPreflight.Pick(run.Warehouses, run.Shops, order), live.GetValueOrDefault((i.OrderId, i.ParcelNo)),
                voided.GetValueOrDefault((i.OrderId, i.ParcelNo)) + 1, ParcelRules.Content(order, followers, set.ParcelLines[order.Id].ToList(), i.ParcelNo),
                order.MergedIntoOrderId is { } lead ? set.LeadNos.GetValueOrDefault(lead) : null, followers);
        })];
    }

    /// <summary>Checks and calls the carrier for one item; returns what to store (null: the run stopped, the item is released).</summary>
    private async Task<Outcome?> ProcessItemAsync(Run run, Work w, CancellationToken ct)
    {
        if (w.Live is { } live && live.BatchId == run.Batch.Id)
        {
            // This batch stored the waybill before its runner was lost; the item only missed being marked.
            return Outcome.Finished(w, WaybillItemStatus.Succeeded, live.Id, live.TrackingNo, null, null);
        }
        var check = WaybillPreflight.Check(w.Content, w.Warehouse, w.Live, w.MergedInto, w.Followers);
        if (check.Reason is not null)
        {
            return Outcome.Finished(w, WaybillItemStatus.Skipped, null, null, check.Reason, check.Detail);
        }
        if (run.Stopped || run.Account is not { } account)
        {
            return null; // released back to Pending when the run ends
        }
        var orderCode = WaybillContent.OrderCode(w.Order.OrderNo, w.Item.ParcelNo, w.Generation);
        var request = WaybillContent.Request(w.Content, w.Warehouse!, orderCode, run.PayType, run.Batch.ServiceType);
        var result = await CreateWithRetriesAsync(run.Batch.CarrierAccountId, account, request, ct);
        if (!result.Success || result.Value is null)
        {
            var code = result.Retriable ? WaybillReasons.CarrierUnavailable : WaybillReasons.CarrierRejected;
            var reason = string.Join(" ", new[] { result.ResultCode, result.Reason }.Where(s => !string.IsNullOrWhiteSpace(s)));
            return Outcome.Finished(w, WaybillItemStatus.Failed, null, null, code, Truncate(reason, 500));
        }
        return new Outcome(w, WaybillItemStatus.Succeeded, orderCode, result.Value, null, null, null, null);
    }

    /// <summary>
    /// The single writer of a pass: takes whatever outcomes have arrived (up to a chunk) and stores them in one
    /// transaction. No timer: while one chunk is written the next one gathers, so chunks grow with the rate.
    /// </summary>
    private async Task WriteAsync(Run run, ChannelReader<Outcome> reader, CancellationToken ct)
    {
        var chunk = new List<Outcome>(WriteChunkSize);
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                chunk.Clear();
                while (chunk.Count < WriteChunkSize && reader.TryRead(out var outcome))
                {
                    chunk.Add(outcome);
                }
                try
                {
                    await WriteChunkAsync(run, chunk, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A unique-index conflict (another process stored a live waybill meanwhile: only possible on a server
                    // database, SQLite serialises the check and the insert) or a database hiccup: one by one, each with
                    // its own conflict handling.
                    logger.LogWarning(ex, "Storing {Count} waybill outcomes of batch {BatchId} together failed; storing them one by one", chunk.Count, run.Batch.Id);
                    foreach (var outcome in chunk)
                    {
                        try
                        {
                            await WriteOneAsync(run, outcome, ct);
                        }
                        catch (Exception one) when (one is not OperationCanceledException)
                        {
                            // The item stays InProgress: released to Pending at the end of the run and redone (106 replay).
                            logger.LogError(one, "Storing the waybill outcome of {OrderNo} in batch {BatchId} failed", outcome.Work.Item.OrderNo, run.Batch.Id);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping: unstored outcomes leave their items InProgress; the next runner redoes them with
            // the same OrderCode and the carrier answers with the same waybills.
        }
    }

    private Task WriteOneAsync(Run run, Outcome o, CancellationToken ct) => o.Issued is { } issued
        ? StoreAsync(run, o.Work, o.OrderCode!, issued, ct)
        : FinishItemAsync(run, o.Work.Item, o.Status, o.WaybillId, o.TrackingNo, o.Code, o.Error, ct);

    /// <summary>
    /// One transaction for a chunk of outcomes: the new waybill rows, their orders' status and history, and every
    /// item's result. The live-waybill and OrderCode checks run inside the write transaction, so on SQLite nothing
    /// can come between them and the insert; the unique indexes stay the last word everywhere.
    /// </summary>
    private async Task WriteChunkAsync(Run run, List<Outcome> chunk, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var marks = new List<(long ItemId, WaybillItemStatus Status, long? WaybillId, string? TrackingNo, string? Code, string? Error)>(chunk.Count);
        var issued = chunk.Where(o => o.Issued is not null).ToList();
        if (issued.Count > 0)
        {
            var orderIds = issued.Select(o => o.Work.Order.Id).ToList();
            var codes = issued.Select(o => o.OrderCode!).ToList();
            var existing = await db.Set<Waybill>().AsNoTracking()
                .Where(x => (x.LiveOrderId != null && orderIds.Contains(x.OrderId)) || codes.Contains(x.OrderCode))
                .Select(x => new { x.Id, x.OrderId, x.LiveOrderId, x.ParcelNo, x.BatchId, x.OrderCode, x.TrackingNo }).ToListAsync(ct);
            var added = new List<(Outcome Outcome, Waybill Waybill)>(issued.Count);
            foreach (var o in issued)
            {
                var live = existing.FirstOrDefault(x => x.LiveOrderId == o.Work.Order.Id && x.ParcelNo == o.Work.Item.ParcelNo);
                if (live is not null && live.BatchId == run.Batch.Id && live.OrderCode == o.OrderCode)
                {
                    marks.Add((o.Work.Item.Id, WaybillItemStatus.Succeeded, live.Id, live.TrackingNo, null, null));
                }
                else if (live is not null)
                {
                    marks.Add((o.Work.Item.Id, WaybillItemStatus.Skipped, null, null, WaybillReasons.LiveWaybill, live.TrackingNo));
                }
                else if (existing.Any(x => x.OrderCode == o.OrderCode))
                {
                    // The OrderCode is taken by a voided waybill (a void raced this call): the next attempt uses a new generation.
                    logger.LogWarning("Waybill for {OrderNo} conflicted without a live waybill; the item will be retried", o.Work.Order.OrderNo);
                    marks.Add((o.Work.Item.Id, WaybillItemStatus.Failed, null, null, WaybillReasons.CarrierUnavailable, "conflict"));
                }
                else
                {
                    var waybill = NewWaybill(run, o.Work, o.OrderCode!, o.Issued!, now);
                    db.Add(waybill);
                    added.Add((o, waybill));
                }
            }
            await db.SaveChangesAsync(ct);
            foreach (var (o, waybill) in added)
            {
                await OrderLifecycle.WaybillIssuedAsync(db, o.Work.Order.Id, o.Issued!.ShipperCode, o.Issued.TrackingNo, Cause(run, o.Issued), now, ct);
                marks.Add((o.Work.Item.Id, WaybillItemStatus.Succeeded, waybill.Id, waybill.TrackingNo, null, null));
            }
            await db.SaveChangesAsync(ct);
        }
        foreach (var o in chunk.Where(o => o.Issued is null))
        {
            marks.Add((o.Work.Item.Id, o.Status, o.WaybillId, o.TrackingNo, o.Code, o.Error));
        }
        foreach (var m in marks)
        {
            await MarkItemAsync(db, run, m.ItemId, m.Status, m.WaybillId, m.TrackingNo, m.Code, m.Error, now, ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task<CarrierResult<WaybillIssued>> CreateWithRetriesAsync(int accountId, CarrierAccountContext account, WaybillRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The gateway directly with the run's account context (CarrierClient would read the account row per call).
            var result = await gateway.CreateWaybillAsync(account, request, ct);
            meter.Record(accountId, result);
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
        var waybill = NewWaybill(run, w, orderCode, issued, now);
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
        if (await OrderLifecycle.WaybillIssuedAsync(db, w.Order.Id, issued.ShipperCode, issued.TrackingNo, Cause(run, issued), now, ct))
        {
            await db.SaveChangesAsync(ct);
        }
        await MarkItemAsync(db, run, w.Item.Id, WaybillItemStatus.Succeeded, waybill.Id, issued.TrackingNo, null, null, now, ct);
        await tx.CommitAsync(ct);
    }

    private static Waybill NewWaybill(Run run, Work w, string orderCode, WaybillIssued issued, DateTime now) => new()
    {
        OrderId = w.Order.Id,
        LiveOrderId = w.Order.Id,
        ParcelNo = w.Item.ParcelNo,
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
        PickKey = Truncate(WaybillContent.PickKey(w.Content, w.Warehouse), 200),
        LabelJson = WaybillContent.Serialize(WaybillContent.Label(w.Content, w.Warehouse, issued, default)),
        IssuedAtUtc = now,
    };

    /// <summary>The order's history names who started the batch, the waybill and the batch.</summary>
    private static OrderCause Cause(Run run, WaybillIssued issued) =>
        new(run.Batch.CreatedBy, "WaybillIssued", $"{issued.ShipperCode} {issued.TrackingNo} · #{run.Batch.Id}");

    private async Task ResolveConflictAsync(Run run, Work w, string orderCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var live = await db.Set<Waybill>().AsNoTracking().FirstOrDefaultAsync(x => x.LiveOrderId == w.Order.Id && x.ParcelNo == w.Item.ParcelNo, ct);
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
        if (finished == 1)
        {
            metrics.BatchCompleted(run.Batch.CarrierAccountId, anyFailed, now - (run.Batch.StartedAtUtc ?? now));
        }
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
