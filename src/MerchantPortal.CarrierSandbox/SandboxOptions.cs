using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.CarrierSandbox;

/// <summary>Bound from the <c>CarrierSandbox</c> configuration section.</summary>
public sealed class SandboxOptions
{
    /// <summary>Accepted merchants. Empty means nobody is accepted (every call answers ResultCode 104).</summary>
    public List<SandboxMerchant> Merchants { get; set; } = [];

    /// <summary>SQLite file holding the sandbox state; empty keeps it in memory for the life of the app.</summary>
    public string? DataFile { get; set; }

    /// <summary>Simulated seconds per real second.</summary>
    [Range(0.001, 1000000.0, ErrorMessage = "CarrierSandbox:SpeedFactor must be between 0.001 and 1000000.")]
    public double SpeedFactor { get; set; } = 60;

    /// <summary>Calls per second allowed per merchant and RequestType (carrier-protocol.md §2.10 hints ≤20/s).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "CarrierSandbox:RateLimitPerSecond must be at least 1.")]
    public int RateLimitPerSecond { get; set; } = 20;

    public SandboxRateLimitMode RateLimitMode { get; set; } = SandboxRateLimitMode.Http429;

    /// <summary>Share of calls answered with HTTP 500 (0..1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "CarrierSandbox:ErrorRate is a share between 0 and 1.")]
    public double ErrorRate { get; set; }

    /// <summary>Share of calls that hang for <see cref="TimeoutSeconds"/> (0..1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "CarrierSandbox:TimeoutRate is a share between 0 and 1.")]
    public double TimeoutRate { get; set; }

    /// <summary>Share of calls answered as rate-limited (0..1).</summary>
    [Range(0.0, 1.0, ErrorMessage = "CarrierSandbox:TooManyRequestsRate is a share between 0 and 1.")]
    public double TooManyRequestsRate { get; set; }

    /// <summary>Delay added to every protocol call.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "CarrierSandbox:LatencyMs must not be negative.")]
    public int LatencyMs { get; set; }

    [Range(0.0, double.MaxValue, ErrorMessage = "CarrierSandbox:TimeoutSeconds must not be negative.")]
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Real seconds between two passes of the push dispatcher.</summary>
    [Range(0.01, double.MaxValue, ErrorMessage = "CarrierSandbox:PushIntervalSeconds must be at least 0.01 (a day or more all but stops pushes).")]
    public double PushIntervalSeconds { get; set; } = 5;

    /// <summary>First retry delay (real seconds) after a failed push; doubles per failure, capped at one hour.</summary>
    [Range(0.0, double.MaxValue, ErrorMessage = "CarrierSandbox:PushRetryBaseSeconds must not be negative.")]
    public double PushRetryBaseSeconds { get; set; } = 10;

    /// <summary>
    /// Refuse (ResultCode 105) waybill and pickup field values that contain <c>' " # &amp; + &lt; &gt; % \</c>
    /// — carrier-protocol.md §1.4 says Kdniao tells callers not to send them.
    /// </summary>
    public bool RejectForbiddenCharacters { get; set; } = true;
}

public sealed class SandboxMerchant
{
    public string EBusinessId { get; set; } = "";

    public string AppKey { get; set; } = "";

    public string? Name { get; set; }

    /// <summary>Push URL used for subscriptions that did not send their own Callback (the real service keeps one per account).</summary>
    public string? CallbackUrl { get; set; }
}

public enum SandboxRateLimitMode
{
    /// <summary>HTTP 429 with a Retry-After header (seconds).</summary>
    Http429,

    /// <summary>HTTP 200, Success false, ResultCode "405" 超出查询次数限制 (carrier-protocol.md §4).</summary>
    ResultCode405,
}
