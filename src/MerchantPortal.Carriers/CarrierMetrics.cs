using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MerchantPortal.Carriers;

/// <summary>
/// Carrier calls as metrics on the portal's one meter (<see cref="MeterName"/>): one measurement per gateway request
/// (a request type sent for an account, its retries and rate-limit wait included), tagged with the account, the
/// account's carrier, the RequestType and the outcome. The error rate is the share of calls whose outcome is not
/// <c>success</c>. Plain System.Diagnostics.Metrics: whoever listens (the portal's OpenTelemetry, dotnet-counters)
/// picks it up by the meter's name, so this project needs no telemetry package.
/// </summary>
public sealed class CarrierMetrics
{
    /// <summary>The portal's meter and activity source: every instrument the portal defines lives on it.</summary>
    public const string MeterName = "MerchantPortal";
    public const string CallsName = "merchantportal.carrier.calls";
    public const string DurationName = "merchantportal.carrier.call.duration";
    public const string Success = "success";

    // From a fast answer to the total timeout (30 s by default): seconds, as OpenTelemetry's conventions want.
    private static readonly double[] Buckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> calls;
    private readonly Histogram<double> duration;

    public CarrierMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory hands every caller asking for the same name the same Meter (one per host, not per process).
        var meter = meterFactory.Create(MeterName);
        calls = meter.CreateCounter<long>(CallsName, "{call}",
            "Requests to the carrier aggregator per account, carrier, request type and outcome.");
        duration = meter.CreateHistogram(DurationName, "s",
            "How long a carrier request took, retries and the account's rate-limit queue included.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>The outcome tag of a failure kind: success, transport, timeout, rate_limited, rejected or invalid_response.</summary>
    public static string OutcomeOf(CarrierErrorKind error) => error switch
    {
        CarrierErrorKind.None => Success,
        CarrierErrorKind.Transport => "transport",
        CarrierErrorKind.Timeout => "timeout",
        CarrierErrorKind.RateLimited => "rate_limited",
        CarrierErrorKind.Rejected => "rejected",
        CarrierErrorKind.InvalidResponse => "invalid_response",
        _ => "other",
    };

    internal void Record(CarrierAccountContext account, string requestType, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "account", account.AccountKey },
            { "carrier", account.ShipperCode },
            { "request_type", requestType },
            { "outcome", outcome },
        };
        calls.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }
}
