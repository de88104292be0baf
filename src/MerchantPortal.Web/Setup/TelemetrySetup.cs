using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MerchantPortal.Web.Setup;

public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>service.name on every trace and metric.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceName { get; set; } = "MerchantPortal";

    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Share of new traces kept (a trace started elsewhere keeps its caller's decision).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Telemetry:TraceSampleRatio must be between 0 and 1.")]
    public double TraceSampleRatio { get; set; } = 1.0;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Telemetry:MetricExportInterval must be between 1 second and 1 hour.")]
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the Hangfire queue lengths are reused before the storage is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Telemetry:QueueDepthCacheDuration must be between 0 and 1 hour.")]
    public TimeSpan QueueDepthCacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The collector's address, or null: then nothing is exported and the OpenTelemetry SDK is not loaded.</summary>
    public Uri? Endpoint => Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out var uri) ? uri : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Otlp.Endpoint) && Endpoint is not { Scheme: "http" or "https" })
        {
            yield return new ValidationResult("Telemetry:Otlp:Endpoint must be an absolute http:// or https:// address (e.g. http://otel-collector:4317).");
        }
        if (!Enum.IsDefined(Otlp.Protocol))
        {
            yield return new ValidationResult("Telemetry:Otlp:Protocol must be Grpc or HttpProtobuf.");
        }
    }
}

public sealed class OtlpSettings
{
    /// <summary>The collector's base address: gRPC (4317) or OTLP/HTTP (4318, without /v1/traces: the signal paths are added).</summary>
    public string? Endpoint { get; set; }
    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;
    /// <summary>Extra request headers for the collector, "key1=value1,key2=value2" (an API key for a hosted backend).</summary>
    public string? Headers { get; set; }
}

/// <summary>
/// Traces and metrics (docs/operations.md, Telemetry). The portal's own instruments (carrier calls, waybill batches,
/// Hangfire jobs and queues) exist always and cost nothing while nobody listens; the OpenTelemetry SDK with its
/// ASP.NET Core, HttpClient, EF Core and runtime instrumentation is added only when Telemetry:Otlp:Endpoint is set,
/// and then exports there over OTLP.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Whether the SDK is loaded at all is decided now, from the checked settings.
        var telemetry = configuration.GetValidated<TelemetryOptions>(TelemetryOptions.Section);
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobQueueDepth>();
        services.TryAddSingleton<JobTelemetry>();
        // Hangfire's client and server take the filter provider from the container (AddHangfire registers the
        // process-wide one; AddHangfireServer uses the registered one when its options name none): this host's
        // provider is the global one plus this host's JobTelemetry. Works before or after AddPortalJobs.
        services.Replace(ServiceDescriptor.Singleton<IJobFilterProvider>(sp =>
            new JobFilterProviderCollection(JobFilterProviders.Providers, new JobFilterCollection { sp.GetRequiredService<JobTelemetry>() })));

        if (telemetry.Endpoint is not { } endpoint)
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(telemetry.ServiceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                .AddSource(JobTelemetry.Source.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsNoise(context.Request.Path))
                .AddHttpClientInstrumentation()
                // Only queries inside a request or a job: the hosted services' timers (call-count flushes, the tracking
                // poll's reads) would otherwise start a one-span trace every few seconds. At filter time the current
                // activity is the command's own; its parent is the request's or job's.
                .AddEntityFrameworkCoreInstrumentation(o => o.Filter = (_, _) => Activity.Current?.Parent is not null)
                .AddOtlpExporter(o => Configure(o, telemetry.Otlp, endpoint, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(CarrierMetrics.MeterName, Features.Tracking.KdniaoPushReceiver.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    Configure(o, telemetry.Otlp, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.MetricExportInterval.TotalMilliseconds;
                }));
        return services;
    }

    // Health probes every few seconds and the Blazor circuit's socket (a request as long as the user's visit) would
    // bury the traces worth reading; static files say nothing.
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/_content") || path.StartsWithSegments("/assets");

    private static void Configure(OtlpExporterOptions options, OtlpSettings settings, Uri endpoint, string signalPath)
    {
        options.Protocol = settings.Protocol;
        // Over gRPC the collector's address is the endpoint; over HTTP each signal has its own path under it.
        options.Endpoint = settings.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
        if (!string.IsNullOrWhiteSpace(settings.Headers))
        {
            options.Headers = settings.Headers;
        }
    }
}
