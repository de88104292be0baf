namespace MerchantPortal.Carriers;

/// <summary>Why a carrier call did not succeed.</summary>
public enum CarrierErrorKind
{
    None,
    /// <summary>Connection failure or a non-success HTTP status.</summary>
    Transport,
    /// <summary>An attempt or the whole call ran out of time.</summary>
    Timeout,
    /// <summary>HTTP 429, ResultCode 405, or the client-side limiter's queue was full.</summary>
    RateLimited,
    /// <summary>The aggregator answered and refused (Success=false): retrying the same call will not help.</summary>
    Rejected,
    /// <summary>The answer could not be read (not JSON, or missing what a success must carry).</summary>
    InvalidResponse,
}

/// <summary>Outcome of one gateway call. Failures are values, never exceptions (except caller cancellation).</summary>
public record CarrierResult
{
    public bool Success { get; init; }
    public CarrierErrorKind Error { get; init; }
    /// <summary>The aggregator's ResultCode (or Code), as text, when it sent one.</summary>
    public string? ResultCode { get; init; }
    /// <summary>The aggregator's Reason, or a short description of a transport failure.</summary>
    public string? Reason { get; init; }
    /// <summary>The last HTTP status seen, when a response arrived.</summary>
    public int? HttpStatus { get; init; }
    /// <summary>True when the same call may succeed later (transport, timeout, 5xx, 429, ResultCode 405).</summary>
    public bool Retriable { get; init; }

    public static CarrierResult Ok(string? resultCode = null, string? reason = null, int? httpStatus = 200) =>
        new() { Success = true, Error = CarrierErrorKind.None, ResultCode = resultCode, Reason = reason, HttpStatus = httpStatus };

    public static CarrierResult Fail(CarrierErrorKind error, string? reason, bool retriable, int? httpStatus = null, string? resultCode = null) =>
        new() { Success = false, Error = error, Reason = reason, Retriable = retriable, HttpStatus = httpStatus, ResultCode = resultCode };

    /// <summary>The same outcome carrying a value (used to turn a failure of one call shape into another).</summary>
    public CarrierResult<T> With<T>(T? value) => new()
    {
        Success = Success,
        Error = Error,
        ResultCode = ResultCode,
        Reason = Reason,
        HttpStatus = HttpStatus,
        Retriable = Retriable,
        Value = value,
    };
}

public sealed record CarrierResult<T> : CarrierResult
{
    /// <summary>Set when <see cref="CarrierResult.Success"/> is true.</summary>
    public T? Value { get; init; }
}
