using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Setup;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Hangfire job runs as traces and metrics. Enqueuing stores the current trace context as a job parameter; the run
/// starts an activity under it (so an API call, the batch job it queued and the job's carrier calls are one trace)
/// and records its duration and outcome. Registered per host through the host's filter provider (TelemetrySetup),
/// never in Hangfire's process-wide GlobalJobFilters: the tests run several portals in one process.
/// </summary>
public sealed class JobTelemetry : IClientFilter, IServerFilter
{
    public const string DurationName = "merchantportal.jobs.duration";
    public const string QueueDepthName = "merchantportal.jobs.queue.depth";

    /// <summary>The portal's activity source (same name as its meter).</summary>
    public static readonly ActivitySource Source = new(CarrierMetrics.MeterName);

    private const string ParentParameter = "traceparent";
    private const string ActivityItem = "telemetry.activity";
    private const string StartedItem = "telemetry.started";

    private static readonly double[] Buckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Histogram<double> duration;
    private readonly TimeProvider clock;

    public JobTelemetry(IMeterFactory meterFactory, JobQueueDepth queueDepth, TimeProvider clock)
    {
        this.clock = clock;
        var meter = meterFactory.Create(CarrierMetrics.MeterName);
        duration = meter.CreateHistogram(DurationName, "s", "Hangfire job runs per job and outcome (succeeded, failed, canceled).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        meter.CreateObservableGauge(QueueDepthName, queueDepth.Observe, "{job}", "Jobs waiting in each Hangfire queue.");
    }

    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current is { } current)
        {
            context.SetJobParameter(ParentParameter, current.Id);
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ActivityContext.TryParse(context.GetJobParameter<string>(ParentParameter), null, out var parent);
        var job = context.BackgroundJob.Job;
        // Set as Activity.Current here, synchronously, so the job method (started right after) runs under it.
        var activity = Source.StartActivity(ActivityKind.Consumer, parent, name: "job " + JobName(job));
        activity?.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        activity?.SetTag("hangfire.job.name", JobName(job));
        if (job.Queue is { } queue)
        {
            activity?.SetTag("hangfire.queue", queue);
        }
        context.Items[ActivityItem] = activity;
        context.Items[StartedItem] = clock.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        var outcome = context.Canceled ? "canceled" : context.Exception is null ? "succeeded" : "failed";
        if (context.Items.TryGetValue(StartedItem, out var started) && started is long timestamp)
        {
            duration.Record(clock.GetElapsedTime(timestamp).TotalSeconds, new TagList
            {
                { "job", JobName(context.BackgroundJob.Job) },
                { "outcome", outcome },
            });
        }
        if (context.Items.TryGetValue(ActivityItem, out var item) && item is Activity activity)
        {
            activity.SetTag("hangfire.job.outcome", outcome);
            if (context.Exception is { } ex && !context.Canceled)
            {
                activity.SetStatus(ActivityStatusCode.Error, (ex.InnerException ?? ex).GetType().Name);
            }
            activity.Stop();
        }
    }

    /// <summary>Type and method: a bounded set (one per job kind), unlike job ids or arguments.</summary>
    private static string JobName(Job job) => $"{job.Type.Name}.{job.Method.Name}";
}

/// <summary>
/// Jobs waiting per Hangfire queue, read from the storage's monitoring API (one count per queue) at most once per
/// <see cref="TelemetryOptions.QueueDepthCacheDuration"/>: a scrape or export every few seconds, by several readers,
/// never adds more than that to the database.
/// </summary>
public sealed class JobQueueDepth(JobStorage storage, TimeProvider clock, IOptions<TelemetryOptions> options, ILogger<JobQueueDepth> logger)
{
    private readonly Lock gate = new();
    private Measurement<long>[] last = [];
    private long readAt;

    public IEnumerable<Measurement<long>> Observe()
    {
        lock (gate)
        {
            if (last.Length > 0 && clock.GetElapsedTime(readAt) < options.Value.QueueDepthCacheDuration)
            {
                return last;
            }
            try
            {
                var monitoring = storage.GetMonitoringApi();
                last = [.. JobsSetup.Queues.Select(q => new Measurement<long>(monitoring.EnqueuedCount(q), new KeyValuePair<string, object?>("queue", q)))];
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The storage is unreachable: report nothing new (the last values stay) rather than fail the export.
                logger.LogWarning(ex, "Reading the Hangfire queue lengths for the metrics failed");
            }
            readAt = clock.GetTimestamp();
            return last;
        }
    }
}
