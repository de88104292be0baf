namespace MerchantPortal.Carriers;

/// <summary>Timeouts, retries and limiter queueing of the gateway (bound from DI options; defaults suit production).</summary>
public sealed class KdniaoGatewayOptions
{
    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the whole call, including limiter queueing, retries and their delays.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt for retry-safe request types (4 attempts in all).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many seconds of calls (at the account's rate) may wait in the limiter queue.</summary>
    public int RateLimitQueueSeconds { get; set; } = 10;
}
