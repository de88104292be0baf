using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MerchantPortal.Web.Tests.Telemetry;

/// <summary>
/// The portal with telemetry pointed at <see cref="FakeCollector"/> (OTLP over HTTP) and, beside the OTLP exporters the
/// portal adds itself, the SDK's in-memory exporters added through ConfigureTestServices (a test-only hook).
/// </summary>
internal sealed class TelemetryPortal(IDictionary<string, string?> overrides) : PortalFactory(overrides: overrides)
{
    public LockedList<Activity> Activities { get; } = new();
    public LockedList<MetricSnapshot> Metrics { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Activities));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }
}

/// <summary>An ICollection the exporters may add to from any thread while the test reads a snapshot.</summary>
internal sealed class LockedList<T> : Collection<T>
{
    public T[] Snapshot()
    {
        lock (Items)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (Items)
        {
            base.InsertItem(index, item);
        }
    }
}

/// <summary>
/// Every measurement of this host's "MerchantPortal" meter: the listener takes only instruments whose meter came from
/// the host's own IMeterFactory, so portals of other tests running in the same process never count here.
/// </summary>
internal sealed class HostMeasurements : IDisposable
{
    private readonly MeterListener listener = new();

    public HostMeasurements(IMeterFactory hostMeters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == hostMeters && instrument.Meter.Name == CarrierMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        listener.Start();
    }

    public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> All { get; } = new();

    /// <summary>Asks the observable instruments (the queue depth gauge) for their values now.</summary>
    public void Observe() => listener.RecordObservableInstruments();

    public IEnumerable<(double Value, Dictionary<string, string?> Tags)> Of(string instrument) =>
        All.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags));

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }
        All.Enqueue((instrument.Name, value, map));
    }
}

/// <summary>An OTLP/HTTP receiver that only counts what arrives per signal path (/v1/traces, /v1/metrics).</summary>
internal sealed class FakeCollector : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeCollector(WebApplication app) => this.app = app;

    public ConcurrentDictionary<string, int> Posts { get; } = new();

    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<FakeCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = new FakeCollector(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > 0)
            {
                collector.Posts.AddOrUpdate(signal, 1, (_, n) => n + 1);
            }
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return collector;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
