using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.CarrierSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>One protocol call as the sandbox host saw it (recorded by a middleware in front of the sandbox).</summary>
public sealed record SandboxCall(string RequestType, string? LogisticCode, DateTime StartedUtc, DateTime EndedUtc, int Status, bool Aborted);

/// <summary>
/// The sandbox on real Kestrel, mounted at the portal's prefix, with one merchant. Every contract test class shares
/// it through <see cref="ContractCollection"/> (so they run one after another) and calls <see cref="ResetAsync"/> first.
/// </summary>
public sealed class ContractSandbox : IAsyncLifetime
{
    public const string EBusinessId = "test1617571";
    public const string AppKey = "contract-appkey-0001";
    public const string Prefix = "/sandbox/kdniao";

    /// <summary>How long an injected "timeout" hangs; longer than any gateway attempt timeout used here.</summary>
    public const int TimeoutSeconds = 5;

    private readonly IReadOnlyDictionary<string, string?> _overrides;
    private readonly string _dataFile = Path.Combine(Path.GetTempPath(), "kdniao-contract-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly ConcurrentQueue<SandboxCall> _calls = new();
    private WebApplication? _app;
    private HttpClient? _admin;

    public ContractSandbox()
        : this(new Dictionary<string, string?>())
    {
    }

    // xunit wants a single public constructor on a collection fixture.
    private ContractSandbox(IReadOnlyDictionary<string, string?> overrides) => _overrides = overrides;

    /// <summary>A sandbox of its own, with <c>CarrierSandbox</c> settings overridden (keys without the section name); call InitializeAsync.</summary>
    public static ContractSandbox WithSettings(IReadOnlyDictionary<string, string?> overrides) => new(overrides);

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Admin => _admin ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every protocol call since the last reset, in arrival order.</summary>
    public IReadOnlyList<SandboxCall> Calls => [.. _calls.OrderBy(c => c.StartedUtc)];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CarrierSandbox:Merchants:0:EBusinessId"] = EBusinessId,
            ["CarrierSandbox:Merchants:0:AppKey"] = AppKey,
            ["CarrierSandbox:Merchants:0:Name"] = "contract tests",
            ["CarrierSandbox:DataFile"] = _dataFile,
            // Simulated time moves at real speed; tests move it with admin/advance.
            ["CarrierSandbox:SpeedFactor"] = "1",
            // The sandbox's own per-second limit would only slow the bulk tests down; 429s are injected instead.
            ["CarrierSandbox:RateLimitPerSecond"] = "100000",
            ["CarrierSandbox:TimeoutSeconds"] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["CarrierSandbox:PushIntervalSeconds"] = "0.2",
            ["CarrierSandbox:PushRetryBaseSeconds"] = "0.3",
        });
        builder.Configuration.AddInMemoryCollection(_overrides.Select(o => KeyValuePair.Create("CarrierSandbox:" + o.Key, o.Value)));
        builder.Services.AddKdniaoSandbox(builder.Configuration.GetSection("CarrierSandbox"));
        _app = builder.Build();
        _app.Use(RecordAsync);
        _app.MapKdniaoSandbox(Prefix);
        await _app.StartAsync();

        BaseUrl = new Uri(_app.Urls.Single().TrimEnd('/') + Prefix);
        _admin = new HttpClient { BaseAddress = new Uri(BaseUrl + "/admin/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _dataFile, _dataFile + "-wal", _dataFile + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless.
            }
        }
    }

    /// <summary>The usual test account: the sandbox merchant, ZTO, 50 requests per second.</summary>
    public CarrierAccountContext Account(string? appKey = null, int requestsPerSecond = 50, string? accountKey = null) =>
        new(
            accountKey ?? "contract-" + Guid.NewGuid().ToString("N"),
            EBusinessId,
            appKey ?? AppKey,
            KdniaoEndpoints.Sandbox(BaseUrl),
            "ZTO",
            new WaybillAccount("contract-customer", "contract-pwd", "MC-CONTRACT", null, null),
            requestsPerSecond);

    /// <summary>Clears sandbox state, clock offset and faults, and the call record.</summary>
    public async Task ResetAsync()
    {
        using var response = await Admin.PostAsync("reset", null);
        response.EnsureSuccessStatusCode();
        _calls.Clear();
    }

    public async Task AdvanceAsync(double hours)
    {
        using var response = await Admin.PostAsJsonAsync("advance", new { hours });
        response.EnsureSuccessStatusCode();
    }

    public async Task SetFaultsAsync(double errorRate = 0, double timeoutRate = 0, double tooManyRequestsRate = 0, int latencyMs = 0)
    {
        using var response = await Admin.PostAsJsonAsync("faults", new { errorRate, timeoutRate, tooManyRequestsRate, latencyMs });
        response.EnsureSuccessStatusCode();
    }

    public async Task<SandboxStatsView> StatsAsync()
    {
        using var doc = JsonDocument.Parse(await Admin.GetStringAsync("stats"));
        var root = doc.RootElement;
        var calls = root.GetProperty("callsByRequestType").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return new SandboxStatsView(
            root.GetProperty("waybillsIssued").GetInt64(),
            root.GetProperty("waybillsCancelled").GetInt64(),
            root.GetProperty("pickupsBooked").GetInt64(),
            root.GetProperty("subscriptions").GetInt64(),
            root.GetProperty("pushesSent").GetInt64(),
            root.GetProperty("pushesFailed").GetInt64(),
            calls);
    }

    /// <summary>One dispatcher pass now, ignoring the retry back-off.</summary>
    public async Task<JsonElement> PushNowAsync()
    {
        using var response = await Admin.PostAsync("push-now?force=true", null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsPost(context.Request.Method) || path.Contains("/admin/", StringComparison.OrdinalIgnoreCase) || !context.Request.HasFormContentType)
        {
            await next(context);
            return;
        }

        var started = DateTime.UtcNow;
        // The form is cached on the request, so the sandbox reads the same one afterwards.
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var requestType = form["RequestType"].ToString();
        string? number = null;
        try
        {
            using var data = JsonDocument.Parse(form["RequestData"].ToString());
            number = data.RootElement.TryGetProperty("LogisticCode", out var n) ? n.GetString() : null;
        }
        catch (JsonException)
        {
            // Not strict JSON: record the call without a number.
        }

        try
        {
            await next(context);
        }
        finally
        {
            _calls.Enqueue(new SandboxCall(requestType, number, started, DateTime.UtcNow, context.Response.StatusCode, context.RequestAborted.IsCancellationRequested));
        }
    }
}

public sealed record SandboxStatsView(
    long WaybillsIssued,
    long WaybillsCancelled,
    long PickupsBooked,
    long Subscriptions,
    long PushesSent,
    long PushesFailed,
    IReadOnlyDictionary<string, long> CallsByRequestType)
{
    public long Calls(string requestType) => CallsByRequestType.GetValueOrDefault(requestType);
}

[CollectionDefinition(Name)]
public sealed class ContractCollection : ICollectionFixture<ContractSandbox>
{
    public const string Name = "Kdniao contract (gateway against sandbox)";
}

/// <summary>A gateway built exactly as the portal builds it (<c>AddKdniaoGateway</c>), with options for the test.</summary>
public sealed class ContractGateway : IDisposable
{
    private readonly ServiceProvider _provider;

    public ContractGateway(Action<KdniaoGatewayOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKdniaoGateway();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        _provider = services.BuildServiceProvider();
        Gateway = _provider.GetRequiredService<ICarrierGateway>();
    }

    public ICarrierGateway Gateway { get; }

    public void Dispose() => _provider.Dispose();
}

/// <summary>Waits for a condition without fixed sleeps: polls it until it holds or the timeout passes.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    public static Task<bool> HoldsAsync(Func<bool> condition, TimeSpan timeout) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout);
}

/// <summary>Parties and requests that pass the sandbox's validation (no §1.4 forbidden characters).</summary>
public static class ContractSamples
{
    public static Party Sender => new("张三", "13800138000", null, "浙江省", "杭州市", "西湖区", "文三路100号", "310000", "杭州小店");

    public static Party Receiver => new("李四", "13900139000", null, "上海", "上海市", "浦东新区", "世纪大道1号");

    public static string NewOrderCode(string prefix = "SO") => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    public static WaybillRequest Waybill(string? orderCode = null, string? shipperCode = null, Party? receiver = null) => new(
        orderCode ?? NewOrderCode(), shipperCode, PayType: 3, ExpType: 1, Sender, receiver ?? Receiver,
        [new Commodity("保温杯", Quantity: 2, Price: 59.9m, WeightKg: 0.4m)],
        WeightKg: 0.8m, Quantity: 1, Remark: "轻拿轻放", ReturnPrintTemplate: true);

    /// <summary>A return pickup at the customer (sender) bound for the warehouse, in a window starting in two hours.</summary>
    public static PickupRequest Pickup(string? orderCode = null, DateTime? windowStartUtc = null)
    {
        var start = windowStartUtc ?? DateTime.UtcNow.AddHours(2);
        return new(orderCode ?? NewOrderCode("RT"), "SF", Receiver, Sender, start, start.AddHours(2),
            [new Commodity("保温杯", Quantity: 1)], 0.4m, "退货");
    }
}
