using Microsoft.Extensions.Options;

namespace MerchantPortal.Carriers;

/// <summary>
/// Timeouts, retries and limiter queueing of the gateway (configuration section <see cref="Section"/>; defaults suit
/// production). Checked by <see cref="KdniaoGatewayOptionsValidator"/> whenever they are read, so a host that
/// validates on start refuses a wrong value before the first carrier call.
/// </summary>
public sealed class KdniaoGatewayOptions
{
    public const string Section = "Carriers:Gateway";

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

/// <summary>
/// The gateway's settings against what its resilience pipeline accepts (Polly's timeouts: 10 ms to a day) and against
/// each other (one attempt cannot outlast the whole call). Each failure names its configuration key.
/// </summary>
public sealed class KdniaoGatewayOptionsValidator : IValidateOptions<KdniaoGatewayOptions>
{
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, KdniaoGatewayOptions options)
    {
        const string key = KdniaoGatewayOptions.Section + ":";
        var failures = new List<string>();
        if (options.AttemptTimeout < ShortestTimeout || options.AttemptTimeout > LongestTimeout)
        {
            failures.Add($"{key}{nameof(options.AttemptTimeout)} is {options.AttemptTimeout}; it must be between 10 ms and 1 day.");
        }
        if (options.TotalTimeout < ShortestTimeout || options.TotalTimeout > LongestTimeout)
        {
            failures.Add($"{key}{nameof(options.TotalTimeout)} is {options.TotalTimeout}; it must be between 10 ms and 1 day.");
        }
        else if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add($"{key}{nameof(options.AttemptTimeout)} ({options.AttemptTimeout}) is longer than {key}{nameof(options.TotalTimeout)} ({options.TotalTimeout}): no attempt could use it.");
        }
        if (options.MaxRetryAttempts is < 1 or > 20)
        {
            failures.Add($"{key}{nameof(options.MaxRetryAttempts)} is {options.MaxRetryAttempts}; it must be between 1 and 20.");
        }
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > LongestTimeout)
        {
            failures.Add($"{key}{nameof(options.RetryBaseDelay)} is {options.RetryBaseDelay}; it must be between 0 and 1 day.");
        }
        if (options.RateLimitQueueSeconds is < 0 or > 600)
        {
            failures.Add($"{key}{nameof(options.RateLimitQueueSeconds)} is {options.RateLimitQueueSeconds}; it must be between 0 and 600.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
