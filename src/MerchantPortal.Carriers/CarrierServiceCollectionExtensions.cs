using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace MerchantPortal.Carriers;

public static class CarrierServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICarrierGateway"/> as a typed HttpClient whose resilience pipeline is chosen per call
    /// (retry-safe request types vs single-attempt ones), the per-account rate limiters, and TimeProvider.System
    /// when nothing else provides time. <paramref name="primaryHandler"/> replaces the socket handler (the portal passes
    /// one that refuses internal addresses: <see cref="OutboundHttp"/>).
    /// </summary>
    public static IServiceCollection AddKdniaoGateway(this IServiceCollection services, Func<IServiceProvider, HttpMessageHandler>? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<KdniaoGatewayOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KdniaoGatewayOptions>, KdniaoGatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CarrierRateLimiters>();
        services.AddMetrics();
        services.TryAddSingleton<CarrierMetrics>();

        var client = services.AddHttpClient<ICarrierGateway, KdniaoGateway>(c =>
        {
            // The pipeline owns every timeout; HttpClient's own 100 s default would only surface as a
            // confusing TaskCanceledException after the pipeline has already given up.
            c.Timeout = Timeout.InfiniteTimeSpan;
        });

        // A host-wide ConfigureHttpClientDefaults(AddStandardResilienceHandler) would retry every call, pickup
        // booking included; this client decides retries per request type, so it drops inherited handlers.
        // (Marked experimental in Microsoft.Extensions.Http.Resilience; the behaviour it guards is tested.)
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        if (primaryHandler is not null)
        {
            client.ConfigurePrimaryHttpMessageHandler(primaryHandler);
        }

        client.AddResilienceHandler("kdniao", Configure)
            .SelectPipelineBy(_ => request =>
                request.Options.TryGetValue(KdniaoRequestOptions.Policy, out var policy) ? policy : KdniaoPolicies.SingleAttempt);

        return services;
    }

    // Outer to inner: total timeout → retry (only in the retry pipeline) → per-account limiter → attempt timeout.
    // The limiter sits inside the retry so that every attempt the server sees is counted, and outside the attempt
    // timeout so that waiting for a slot never eats the time a request has to answer.
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var sp = context.ServiceProvider;
        var options = sp.GetRequiredService<IOptions<KdniaoGatewayOptions>>().Value;
        var limiters = sp.GetRequiredService<CarrierRateLimiters>();
        builder.TimeProvider = sp.GetRequiredService<TimeProvider>();

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });

        // docs/engineering.md (carrier calls): only queries, subscriptions, the waybill create (idempotent by OrderCode, 106 on replay)
        // and its cancel retry; pickup booking/cancel get one attempt and the caller decides.
        if (context.InstanceName == KdniaoPolicies.Retry)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                // Retry-After (seconds or HTTP date) on 429/503 replaces the computed backoff.
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
        }

        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "account-limit",
            RateLimiter = args =>
            {
                var request = args.Context.GetRequestMessage();
                if (request is not null
                    && request.Options.TryGetValue(KdniaoRequestOptions.AccountKey, out var key)
                    && request.Options.TryGetValue(KdniaoRequestOptions.RequestsPerSecond, out var rps))
                {
                    return limiters.AcquireAsync(key, rps, args.Context.CancellationToken);
                }

                // Not a gateway request (the typed client reused by hand): limit it like a default account rather than not at all.
                return limiters.AcquireAsync("(unknown)", 20, args.Context.CancellationToken);
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    // Transport errors, attempt timeouts, 408, 429 and 5xx. A limiter rejection is not retried: the queue is full
    // because we are already sending as fast as the account allows. Nor is an address refused by OutboundHttp.
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException e } => !OutboundHttp.IsRefusal(e),
        { Exception: TimeoutRejectedException } => true,
        { Result: { } r } => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
        _ => false,
    };
}

internal static class KdniaoPolicies
{
    public const string Retry = "retry";
    public const string SingleAttempt = "single";
}

internal static class KdniaoRequestOptions
{
    public static readonly HttpRequestOptionsKey<string> Policy = new("kdniao.policy");
    public static readonly HttpRequestOptionsKey<string> AccountKey = new("kdniao.account");
    public static readonly HttpRequestOptionsKey<int> RequestsPerSecond = new("kdniao.rps");
}
