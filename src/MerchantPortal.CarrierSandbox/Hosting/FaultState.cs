using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MerchantPortal.CarrierSandbox.Hosting;

/// <summary>The fault-injection settings currently in force; <c>admin/faults</c> replaces them at run time.</summary>
public sealed record FaultSettings(double ErrorRate, double TimeoutRate, double TooManyRequestsRate, int LatencyMs);

public sealed class FaultState(IOptions<SandboxOptions> options)
{
    private volatile FaultSettings _current = new(
        Clamp(options.Value.ErrorRate), Clamp(options.Value.TimeoutRate), Clamp(options.Value.TooManyRequestsRate), Math.Max(0, options.Value.LatencyMs));

    public FaultSettings Current => _current;

    public void Replace(FaultSettings settings) =>
        _current = new(Clamp(settings.ErrorRate), Clamp(settings.TimeoutRate), Clamp(settings.TooManyRequestsRate), Math.Max(0, settings.LatencyMs));

    private static double Clamp(double rate) => double.IsNaN(rate) ? 0 : Math.Clamp(rate, 0, 1);
}

/// <summary>Fixed one-second windows per merchant and RequestType (carrier-protocol.md §2.10 hints ≤20/s).</summary>
public sealed class SandboxRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);

    public SandboxRateLimiter(IOptions<SandboxOptions> options)
    {
        var permits = Math.Max(1, options.Value.RateLimitPerSecond);
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Returns null when allowed, otherwise the whole seconds the caller should wait.</summary>
    public int? TryAcquire(string merchant, string requestType)
    {
        using var lease = _limiter.AttemptAcquire(merchant + "|" + requestType);
        if (lease.IsAcquired)
        {
            return null;
        }

        _refused.AddOrUpdate(requestType, 1, (_, n) => n + 1);

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
    }

    /// <summary>
    /// Calls refused for the rate so far, per RequestType (in memory, since start or the last reset): how a client's
    /// pacing is checked from outside (the P3b benchmark reports them as "429s seen").
    /// </summary>
    public IReadOnlyDictionary<string, long> Refused => new SortedDictionary<string, long>(_refused, StringComparer.Ordinal);

    public void ResetCounts() => _refused.Clear();

    public void Dispose() => _limiter.Dispose();
}
