using System.Threading.Channels;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>A parcel to follow whose facts the caller already knows (a waybill just issued for an order).</summary>
public sealed record NewParcel(long OrderId, string ShipperCode, string TrackingNo, int CarrierAccountId, ShipmentFacts Facts);

/// <summary>How many shipments a run subscribed, how many stayed unsubscribed (marked for the poll job's retry), and how many it called for.</summary>
public sealed record SubscribeReport(int Subscribed, int Failed, int Claimed);

public sealed class RegistrationOptions
{
    public const string Section = "Tracking:Registration";

    /// <summary>8008 calls in flight per run; null = from the account's rate (enough to fill it at up to ~500 ms per call).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256, ErrorMessage = "Tracking:Registration:Parallelism must be between 1 and 256 when set.")]
    public int? Parallelism { get; set; }

    /// <summary>
    /// Rounds of a run for subscriptions that failed retriably after the gateway's own retries (429s past their
    /// Retry-After, timeouts, 5xx): what is still unsubscribed after the last round is left to the poll job's resubscribe.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 20, ErrorMessage = "Tracking:Registration:MaxRounds must be between 1 and 20.")]
    public int MaxRounds { get; set; } = 3;

    /// <summary>The pause before a further round, doubled each round (the sandbox and Kdniao's 429 ask for 1 s).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 60000, ErrorMessage = "Tracking:Registration:RoundDelayMs must be between 0 and 60000.")]
    public int RoundDelayMs { get; set; } = 1000;
}

/// <summary>
/// Registers many parcels at once (P3b, docs/targets.md): shipments are stored a chunk per transaction (observers
/// see the whole chunk), and subscribed (8008) with bounded concurrency at the account's rate. The gateway paces
/// every attempt through the account's token bucket (<see cref="CarrierRateLimiters"/>, sized from the account's
/// requests per second) and retries a 429 after its Retry-After; a subscription that still fails retriably gets a
/// further round here, and one that never succeeds keeps <see cref="Shipment.SubscribedAtUtc"/> null with its
/// attempt time set, so <see cref="TrackingPollJob"/> resubscribes it later. Nothing is dropped.
/// Safe to run twice and to lose: shipments are unique by carrier and number, and each 8008 call is claimed with
/// a conditional update of <see cref="Shipment.SubscribeAttemptedAtUtc"/>, so two runs never both call for a parcel.
/// </summary>
public sealed class ShipmentRegistrationRun(
    IDbContextFactory<PortalDbContext> dbFactory,
    ShipmentService single,
    ICarrierGateway gateway,
    CarrierAccountContexts contexts,
    CarrierCallMeter meter,
    PublicAddress publicAddress,
    ShipmentObservers observers,
    IDeliveryPromise promise,
    Microsoft.Extensions.Options.IOptions<RegistrationOptions> options,
    TimeProvider clock,
    ILogger<ShipmentRegistrationRun> logger)
{
    /// <summary>Shipments stored, and subscriptions claimed, per transaction.</summary>
    public const int ChunkSize = 500;
    /// <summary>
    /// A new shipment is first due for polling this long after it is stored, not at once: its subscription is being
    /// made right now (a chunk is claimed as soon as it is stored), and when it is accepted pushes bring the news.
    /// If it fails, polling covers the parcel from then on. Polls of waybills issued seconds ago find no scan and, in
    /// the P3b benchmark, took the account's rate from the subscriptions (703 polls beside 10,000 8008 calls).
    /// </summary>
    public static readonly TimeSpan SubscribeGrace = TimeSpan.FromMinutes(2);

    /// <summary>Subscription outcomes stored per transaction by the one writer.</summary>
    private const int WriteChunkSize = 250;

    private sealed record Claimed(long Id, int CarrierAccountId, string ShipperCode, string TrackingNo, string? OrderNo);

    private sealed record Outcome(Claimed Shipment, CarrierResult<SubscriptionAccepted> Result);

    /// <summary>
    /// Stores a shipment for every parcel not yet followed, in one transaction (observers run once for all of them),
    /// and answers the shipment id of every parcel: new or already there.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string ShipperCode, string TrackingNo), long>> StoreAsync(IReadOnlyList<NewParcel> parcels, CancellationToken ct)
    {
        var ids = new Dictionary<(string, string), long>();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var numbers = parcels.Select(p => p.TrackingNo).Distinct().ToList();
        foreach (var s in await db.Set<Shipment>().AsNoTracking().Where(s => numbers.Contains(s.TrackingNo)).Select(s => new { s.Id, s.ShipperCode, s.TrackingNo }).ToListAsync(ct))
        {
            ids[(s.ShipperCode, s.TrackingNo)] = s.Id;
        }
        var fresh = new List<Shipment>();
        foreach (var p in parcels.DistinctBy(p => (p.ShipperCode, p.TrackingNo)).Where(p => !ids.ContainsKey((p.ShipperCode, p.TrackingNo))))
        {
            var shipment = ShipmentService.NewShipment(p.OrderId, p.Facts, p.CarrierAccountId, p.ShipperCode, p.TrackingNo, now);
            shipment.NextCheckAtUtc = now + SubscribeGrace;
            shipment.PromisedByUtc = await promise.PromisedByAsync(db, shipment, ct);
            fresh.Add(shipment);
        }
        if (fresh.Count == 0)
        {
            return ids;
        }
        if (!await TryStoreChunkAsync(db, fresh, now, ct))
        {
            // A concurrent registration of one of these parcels won the unique index: store them one by one with
            // the single path's conflict handling (it answers the winner's id).
            foreach (var shipment in fresh)
            {
                var copy = ShipmentService.NewShipment(shipment.OrderId, FactsOf(shipment), shipment.CarrierAccountId, shipment.ShipperCode, shipment.TrackingNo, now);
                copy.PromisedByUtc = shipment.PromisedByUtc;
                ids[(copy.ShipperCode, copy.TrackingNo)] = await single.StoreAsync(copy, ct) ?? copy.Id;
            }
            return ids;
        }
        foreach (var shipment in fresh)
        {
            ids[(shipment.ShipperCode, shipment.TrackingNo)] = shipment.Id;
        }
        return ids;
    }

    private static ShipmentFacts FactsOf(Shipment s) =>
        new(s.Direction, s.ReturnId, s.ServiceType, s.WarehouseId, s.OriginProvince, s.DestinationProvince);

    private async Task<bool> TryStoreChunkAsync(PortalDbContext db, List<Shipment> fresh, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            logger.LogInformation(ex, "A chunk of {Count} shipments met an existing one; storing them one by one", fresh.Count);
            await tx.RollbackAsync(ct);
            return false;
        }
        // Observers see the new shipments with their ids and commit their reactions with them (as ShipmentService does one at a time).
        await observers.NotifyAsync(db, [.. fresh.Select(s => new ShipmentTransition(s, null, s.Status, now, null))], ct);
        await db.SaveChangesAsync(ct);
        foreach (var s in fresh.Where(s => s.OrderId is not null && s.Direction != ShipmentDirection.Reverse))
        {
            await OrderLifecycle.NameParcelAsync(db, s.OrderId!.Value, s.ShipperCode, s.TrackingNo, now, ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Subscribes (8008) the unsubscribed shipments among <paramref name="chunks"/> as they arrive, at the account's
    /// rate, with failed-but-retriable ones tried again for up to <see cref="RegistrationOptions.MaxRounds"/> rounds.
    /// </summary>
    public async Task<SubscribeReport> SubscribeAsync(IAsyncEnumerable<IReadOnlyList<long>> chunks, CancellationToken ct)
    {
        var retry = new List<Claimed>();
        var claimedCount = 0;
        var (subscribed, failed) = await SubscribeRoundAsync(ClaimAllAsync(chunks, n => claimedCount += n, ct), retry, ct);
        for (var round = 2; round <= options.Value.MaxRounds && retry.Count > 0; round++)
        {
            var again = retry.ToList();
            retry.Clear();
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.RoundDelayMs * (1 << (round - 2))), clock, ct);
            logger.LogInformation("Subscribing {Count} shipments again (round {Round}) after retriable failures", again.Count, round);
            var (done, failedForGood) = await SubscribeRoundAsync(again.ToAsyncEnumerable(), retry, ct);
            subscribed += done;
            failed += failedForGood;
        }
        var left = retry.Count + failed;
        if (left > 0)
        {
            logger.LogWarning("{Count} shipments stay unsubscribed; polling covers them and the poll job subscribes them later", left);
        }
        return new SubscribeReport(subscribed, left, claimedCount);
    }

    /// <summary>
    /// Claims each chunk's unsubscribed shipments for this run (none another run claimed within the resubscribe
    /// interval), up to two chunks ahead of the calls: storing and claiming a chunk only once the last one was handed
    /// out left every worker idle meanwhile (a dip to ~50 calls/s every 3 s in the P3b benchmark), and one chunk ahead
    /// (2.5 s of calls) was not always enough on a loaded machine.
    /// </summary>
    private async IAsyncEnumerable<Claimed> ClaimAllAsync(IAsyncEnumerable<IReadOnlyList<long>> chunks, Action<int> counted,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var ahead = Channel.CreateBounded<Claimed>(new BoundedChannelOptions(2 * ChunkSize) { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var feeder = FeedAsync(chunks, ahead.Writer, counted, stop.Token);
        try
        {
            await foreach (var c in ahead.Reader.ReadAllAsync(ct))
            {
                yield return c;
            }
        }
        finally
        {
            // The calls ended early (cancellation, a fault): stop claiming; what is claimed and not called stays
            // unsubscribed with its attempt set, for the poll job's resubscribe.
            await stop.CancelAsync();
            try
            {
                await feeder;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    private async Task FeedAsync(IAsyncEnumerable<IReadOnlyList<long>> chunks, ChannelWriter<Claimed> writer, Action<int> counted, CancellationToken ct)
    {
        try
        {
            await foreach (var ids in chunks.WithCancellation(ct))
            {
                foreach (var part in ids.Chunk(ChunkSize))
                {
                    var claimed = await ClaimAsync(part, ct);
                    counted(claimed.Count);
                    foreach (var c in claimed)
                    {
                        await writer.WriteAsync(c, ct);
                    }
                }
            }
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            // The reader sees the fault (storing a chunk failed): the run ends with it rather than silently short.
            writer.TryComplete(ex);
            throw;
        }
    }

    private async Task<List<Claimed>> ClaimAsync(long[] ids, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now - TrackingPollJob.ResubscribeAfter;
        // The claim's mark is this run's own instant (plus a random sub-millisecond part, so two runs in the same
        // tick still differ): the rows that carry it afterwards are the ones this run won.
        var stamp = now.AddTicks(Random.Shared.Next(1, (int)TimeSpan.TicksPerMillisecond));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<Shipment>()
            .Where(s => ids.Contains(s.Id) && s.SubscribedAtUtc == null && s.NextCheckAtUtc != null && (s.SubscribeAttemptedAtUtc == null || s.SubscribeAttemptedAtUtc < before))
            .Where(s => db.Set<CarrierAccount>().Any(a => a.Id == s.CarrierAccountId && !a.IsDisabled))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SubscribeAttemptedAtUtc, stamp), ct);
        return await db.Set<Shipment>().AsNoTracking()
            .Where(s => ids.Contains(s.Id) && s.SubscribeAttemptedAtUtc == stamp && s.SubscribedAtUtc == null)
            .OrderBy(s => s.Id)
            .Select(s => new Claimed(s.Id, s.CarrierAccountId, s.ShipperCode, s.TrackingNo,
                db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.OrderNo).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>
    /// One pass: calls run in parallel, their outcomes go to one writer that stores them a chunk per transaction.
    /// Answers (subscribed, failed for good); retriable failures are added to <paramref name="retry"/>.
    /// </summary>
    private async Task<(int Subscribed, int Failed)> SubscribeRoundAsync(IAsyncEnumerable<Claimed> claimed, List<Claimed> retry, CancellationToken ct)
    {
        var callback = new Uri(publicAddress.BaseUrl, TrackingEndpoints.PushPath);
        var accounts = new Dictionary<int, Task<CarrierAccountContext>>();
        var outcomes = Channel.CreateUnbounded<Outcome>(new UnboundedChannelOptions { SingleReader = true });
        var writer = WriteAsync(outcomes.Reader, retry, ct);
        try
        {
            var parallelism = options.Value.Parallelism ?? await ParallelismAsync(ct);
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (s, token) =>
            {
                Task<CarrierAccountContext> account;
                lock (accounts)
                {
                    // Once per account and pass, not per call (a database read); an account edit is seen at the next pass.
                    account = accounts.TryGetValue(s.CarrierAccountId, out var known) ? known : accounts[s.CarrierAccountId] = contexts.GetAsync(s.CarrierAccountId, token);
                }
                try
                {
                    var result = await gateway.SubscribeAsync(await account, s.ShipperCode, s.TrackingNo, callback, s.OrderNo, null, token);
                    meter.Record(s.CarrierAccountId, result);
                    outcomes.Writer.TryWrite(new Outcome(s, result));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One parcel's fault must not stop the others; it stays claimed and unsubscribed (the poll job retries it).
                    logger.LogError(ex, "Subscribing {TrackingNo} failed", s.TrackingNo);
                    outcomes.Writer.TryWrite(new Outcome(s, CarrierResult.Fail(CarrierErrorKind.Transport, ex.Message, retriable: false).With<SubscriptionAccepted>(null)));
                }
            });
        }
        finally
        {
            // Every outcome is stored before the pass ends, whatever ended it.
            outcomes.Writer.TryComplete();
        }
        return await writer;
    }

    /// <summary>Enough calls in flight to fill the busiest enabled account's rate at up to ~500 ms per call (50 ms × 200/s needs 10).</summary>
    private async Task<int> ParallelismAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rate = await db.Set<CarrierAccount>().Where(a => !a.IsDisabled).MaxAsync(a => (int?)a.RequestsPerSecond, ct) ?? 20;
        return Math.Clamp(rate / 2, 4, 100);
    }

    private async Task<(int Subscribed, int Failed)> WriteAsync(ChannelReader<Outcome> reader, List<Claimed> retry, CancellationToken ct)
    {
        var (subscribed, failed) = (0, 0);
        var chunk = new List<Outcome>(WriteChunkSize);
        while (await reader.WaitToReadAsync(ct))
        {
            while (chunk.Count < WriteChunkSize && reader.TryRead(out var outcome))
            {
                chunk.Add(outcome);
            }
            var accepted = chunk.Where(o => o.Result.Success).ToList();
            await StoreSubscribedAsync(accepted, ct);
            subscribed += accepted.Count;
            foreach (var o in chunk.Where(o => !o.Result.Success))
            {
                logger.LogWarning("Subscribing {TrackingNo} failed ({Error} {Reason})", o.Shipment.TrackingNo, o.Result.Error, o.Result.Reason);
                if (o.Result.Retriable)
                {
                    retry.Add(o.Shipment);
                }
                else
                {
                    failed++;
                }
            }
            chunk.Clear();
        }
        return (subscribed, failed);
    }

    /// <summary>
    /// The accepted subscriptions, in one transaction. A failed one needs no write: its claim already set
    /// SubscribeAttemptedAtUtc, which is what the poll job's resubscribe goes by, and it stays due for polling.
    /// A shipment never checked yet moves to the subscribed schedule (<see cref="PollSchedule"/>: pushes bring its news,
    /// polling only reconciles): polling a waybill issued seconds ago finds no scan, and in the P3b benchmark those
    /// first polls took ~40% of the account's rate while the subscriptions waited for it (4,099 8001 calls beside
    /// 6,448 8008 calls in the first two minutes after a 10,000-waybill batch).
    /// </summary>
    private async Task StoreSubscribedAsync(List<Outcome> accepted, CancellationToken ct)
    {
        if (accepted.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var reconcileAt = PollSchedule.NextCheck(ShipmentStatus.Pending, null, now, subscribed: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var o in accepted)
        {
            var eta = o.Result.Value?.EstimatedDelivery?.UtcDateTime;
            await db.Set<Shipment>().Where(x => x.Id == o.Shipment.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.SubscribedAtUtc, now)
                .SetProperty(x => x.NextCheckAtUtc, x => x.LastCheckedAtUtc == null && x.NextCheckAtUtc != null ? reconcileAt : x.NextCheckAtUtc)
                .SetProperty(x => x.EstimatedDeliveryUtc, x => eta ?? x.EstimatedDeliveryUtc)
                .SetProperty(x => x.PromisedByUtc, x => x.PromisedByUtc ?? eta)
                .SetProperty(x => x.Version, Guid.NewGuid()), ct);
        }
        await tx.CommitAsync(ct);
    }
}
