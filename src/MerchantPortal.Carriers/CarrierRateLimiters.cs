using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Carriers;

/// <summary>
/// One token bucket per carrier account (docs/engineering.md: carrier calls), shared by every caller in the process, so that a
/// batch of waybills running in parallel never exceeds the account's requests per second (carrier-protocol.md §2.10).
/// </summary>
public sealed class CarrierRateLimiters : IDisposable
{
    // Own token buckets with their own replenishment timers rather than PartitionedRateLimiter: the partitioned
    // limiter replenishes every 100 ms at most one period's worth, which would silently halve a 20/s account.
    private readonly ConcurrentDictionary<(string AccountKey, int RequestsPerSecond), Lazy<TokenBucketRateLimiter>> _limiters = new();
    private readonly int _queueSeconds;
    private readonly Timer _replenish;

    public CarrierRateLimiters(IOptions<KdniaoGatewayOptions> options)
    {
        _queueSeconds = Math.Max(1, options.Value.RateLimitQueueSeconds);
        // One timer tops up every bucket by the time that really passed (TryReplenish without auto-replenishment).
        // An auto-replenishing bucket adds a fixed amount per tick and trusts the timer: on a busy machine ticks come
        // late and their time is lost, which held a 200/s account to ~165/s in the P3 benchmark.
        _replenish = new Timer(_ => ReplenishAll(), null, ReplenishEvery, ReplenishEvery);
    }

    private static readonly TimeSpan ReplenishEvery = TimeSpan.FromMilliseconds(10);

    private void ReplenishAll()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated)
            {
                limiter.Value.TryReplenish();
            }
        }
    }

    /// <summary>
    /// Waits (in a bounded FIFO queue) for the account's next slot. The lease is not acquired when the queue is
    /// full; the caller then reports RateLimited instead of piling up work.
    /// </summary>
    public ValueTask<RateLimitLease> AcquireAsync(string accountKey, int requestsPerSecond, CancellationToken ct)
    {
        var key = (accountKey, Math.Clamp(requestsPerSecond, 1, 10_000));
        var limiter = _limiters.GetOrAdd(key, k => new Lazy<TokenBucketRateLimiter>(() => new TokenBucketRateLimiter(BucketFor(k.Item2, _queueSeconds))));
        return limiter.Value.AcquireAsync(1, ct);
    }

    public void Dispose()
    {
        _replenish.Dispose();
        foreach (var limiter in _limiters.Values.Where(l => l.IsValueCreated))
        {
            limiter.Value.Dispose();
        }

        _limiters.Clear();
    }

    // Tokens are handed out evenly (one every 1/rps s, no burst bucket): a full bucket of rps tokens plus the next
    // second's refill could put 2×rps calls inside one second, and the aggregator counts per second (§2.10).
    // The bucket holds at most 50 ms worth of tokens, so a late timer tick is made up for (up to 50 ms late) and
    // a window of one second sees at most rps × 1.05 calls; below 20/s it holds a single token.
    private static TokenBucketRateLimiterOptions BucketFor(int rps, int queueSeconds)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond / rps, TimeSpan.TicksPerMillisecond * 10));
        var perPeriod = Math.Max(1, (int)Math.Round(rps * period.TotalSeconds));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(perPeriod, rps / 20),
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = false,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = rps * queueSeconds,
        };
    }
}
