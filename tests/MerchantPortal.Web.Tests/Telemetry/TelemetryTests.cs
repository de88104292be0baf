using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Waybills;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MerchantPortal.Web.Tests.Telemetry;

/// <summary>
/// A waybill batch started through the REST API, watched through the portal's telemetry: the carrier calls, the batch
/// and its Hangfire job as metrics (read per host with a MeterListener), the request as a trace (the SDK's in-memory
/// exporter) and both signals arriving at an OTLP collector given by Telemetry:Otlp:Endpoint.
/// </summary>
[Collection(WaybillCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private const int Orders = 3;
    private FakeCollector collector = null!;
    private TelemetryPortal portal = null!;
    private HostMeasurements measurements = null!;

    public async Task InitializeAsync()
    {
        collector = await FakeCollector.StartAsync();
        var settings = WaybillTestData.Settings();
        settings["Telemetry:Otlp:Endpoint"] = collector.BaseAddress.AbsoluteUri;
        settings["Telemetry:Otlp:Protocol"] = "HttpProtobuf";
        settings["Telemetry:QueueDepthCacheDuration"] = "00:00:00";
        portal = new TelemetryPortal(settings);
        portal.Start();
        measurements = new HostMeasurements(portal.GetService<IMeterFactory>());
    }

    public async Task DisposeAsync()
    {
        measurements.Dispose();
        await portal.DisposeAsync();
        await collector.DisposeAsync();
    }

    [Fact]
    public async Task A_waybill_batch_started_through_the_api_is_counted_per_carrier_account_and_traced_from_the_request_to_the_carrier()
    {
        var accountId = await WaybillTestData.AccountAsync(portal);
        var orderNos = await WaybillTestData.CreateOrdersAsync(portal, Orders);

        using var api = portal.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/waybill-batches")
        {
            Content = JsonContent.Create(new { orderNos, carrierAccountId = accountId }),
        };
        // The caller's trace (sent as traceparent): the request, the job it queues and the job's carrier calls join it.
        var caller = new Activity("test caller").SetIdFormat(ActivityIdFormat.W3C);
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        caller.Start();
        var traceId = caller.TraceId;
        using var response = await api.SendAsync(request);
        caller.Stop();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batchId = (await response.Content.ReadFromJsonAsync<WaybillEndpoints.BatchAccepted>())!.Id;
        var summary = await WaybillTestData.WaitFinishedAsync(portal, batchId);
        Assert.Equal((WaybillBatchStatus.Completed, Orders), (summary.Status, summary.Succeeded));

        var account = CarrierAccountContexts.KeyOf(accountId);
        var calls = measurements.Of(CarrierMetrics.CallsName).Where(m => m.Tags["account"] == account).ToList();
        Assert.Contains(calls, m => m.Tags["outcome"] == CarrierMetrics.Success && m.Tags["request_type"] == KdniaoRequestTypes.CreateWaybill && m.Tags["carrier"] == "ZTO");
        Assert.True(calls.Where(m => m.Tags["outcome"] == CarrierMetrics.Success).Sum(m => m.Value) >= Orders);
        Assert.True(measurements.Of(CarrierMetrics.DurationName).Count(m => m.Tags["account"] == account) >= 1);
        Assert.Equal(Orders, measurements.Of(WaybillMetrics.ItemsName).Where(m => m.Tags["account"] == account && m.Tags["outcome"] == "issued").Sum(m => m.Value));
        Assert.Single(measurements.Of(WaybillMetrics.BatchDurationName), m => m.Tags["account"] == account && m.Tags["outcome"] == "completed");
        // The job's own measurement comes when RunAsync returns, just after the batch shows Completed.
        await WaybillTestData.WaitUntilAsync(() => Task.FromResult(measurements.Of(JobTelemetry.DurationName)
            .Any(m => m.Tags["job"] == "WaybillBatchJob.RunAsync" && m.Tags["outcome"] == "succeeded")), TimeSpan.FromSeconds(30), () => "no measured run of WaybillBatchJob.RunAsync");
        measurements.Observe();
        Assert.Equal(JobsSetup.Queues.Order(), measurements.Of(JobTelemetry.QueueDepthName).Select(m => m.Tags["queue"]).Distinct().Order());

        AssertTraced(traceId);
        AssertExported();
    }

    private void AssertTraced(ActivityTraceId traceId)
    {
        var trace = portal.Activities.Snapshot().Where(a => a.TraceId == traceId).ToList();
        Assert.Contains(trace, a => a.Kind == ActivityKind.Server && a.GetTagItem("http.route") is string route && route.TrimEnd('/') == "/api/v1/waybill-batches");
        var job = Assert.Single(trace, a => a.DisplayName == "job WaybillBatchJob.RunAsync");
        // The carrier calls (HttpClient spans) run under the job's span.
        Assert.Contains(trace, a => a.Kind == ActivityKind.Client && a.GetTagItem("url.full") is string url && url.Contains("/sandbox/kdniao", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.ParentSpanId == job.SpanId);
        // EF Core commands inside the request and the job are spans of the trace; none starts a trace of its own.
        Assert.Contains(trace, a => a.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal));
        Assert.All(portal.Activities.Snapshot().Where(a => a.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal)),
            a => Assert.NotEqual(default, a.ParentSpanId));
    }

    private void AssertExported()
    {
        Assert.True(portal.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        Assert.True(portal.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        var names = portal.Metrics.Snapshot().Select(m => m.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { CarrierMetrics.CallsName, CarrierMetrics.DurationName, WaybillMetrics.ItemsName, WaybillMetrics.BatchDurationName, JobTelemetry.DurationName, JobTelemetry.QueueDepthName }, names);
        Assert.True(collector.Posts.GetValueOrDefault("traces") > 0, "no traces reached the collector");
        Assert.True(collector.Posts.GetValueOrDefault("metrics") > 0, "no metrics reached the collector");
    }
}
