using System.Globalization;
using System.Text.Json;
using MerchantPortal.CarrierSandbox.Hosting;
using MerchantPortal.CarrierSandbox.Protocol;
using MerchantPortal.CarrierSandbox.Simulation;
using MerchantPortal.CarrierSandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MerchantPortal.CarrierSandbox;

public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>carrier-protocol.md §1.1 / §7.1: every documented path; each accepts every RequestType.</summary>
    public static readonly IReadOnlyList<string> ProtocolPaths =
    [
        "/Ebusiness/EbusinessOrderHandle.aspx",
        "/api/dist",
        "/api/EOrderService",
        "/api/EOrderService2",
        "/api/OOrderService",
        "/api/OOrderService2",
        "/kdniaosandbox/gateway/exterfaceInvoke.json",
    ];

    /// <summary>
    /// Maps the protocol paths and the admin endpoints under <paramref name="prefix"/>. The group is anonymous
    /// (callers authenticate with DataSign, admin is test/demo only) and exempt from antiforgery (form posts from
    /// other machines). Routing is case-insensitive, as the older demos use "/api/Eorderservice".
    /// </summary>
    public static RouteGroupBuilder MapKdniaoSandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox/kdniao")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous();
        group.DisableAntiforgery();
        group.ExcludeFromDescription();

        foreach (var path in ProtocolPaths)
        {
            group.MapPost(path, (RequestDelegate)(context => context.RequestServices.GetRequiredService<KdniaoProtocolHandler>().HandleAsync(context)));
        }

        var admin = group.MapGroup("/admin");
        admin.MapGet("/stats", (RequestDelegate)(context => Json(context, StatsBody(context.RequestServices))));
        admin.MapPost("/advance", (RequestDelegate)AdvanceAsync);
        admin.MapGet("/faults", (RequestDelegate)(context => Json(context, FaultsBody(context.RequestServices.GetRequiredService<FaultState>().Current))));
        admin.MapPost("/faults", (RequestDelegate)ReplaceFaultsAsync);
        admin.MapPost("/push-now", (RequestDelegate)PushNowAsync);
        admin.MapPost("/reset", (RequestDelegate)ResetAsync);
        return group;
    }

    private static Dictionary<string, object?> StatsBody(IServiceProvider services)
    {
        var stats = services.GetRequiredService<SandboxStore>().Stats();
        var now = services.GetRequiredService<SandboxClock>().GetUtcNow();
        return new()
        {
            ["waybillsIssued"] = stats.WaybillsIssued,
            ["waybillsCancelled"] = stats.WaybillsCancelled,
            ["pickupsBooked"] = stats.PickupsBooked,
            ["subscriptions"] = stats.Subscriptions,
            ["pushesSent"] = stats.PushesSent,
            ["pushesFailed"] = stats.PushesFailed,
            ["callsByRequestType"] = stats.CallsByRequestType,
            // Refused by the rate limit (HTTP 429 or ResultCode 405), not counted in callsByRequestType.
            ["rateLimitedByRequestType"] = services.GetRequiredService<SandboxRateLimiter>().Refused,
            ["simulatedNow"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["simulatedNowBeijing"] = BeijingTime.Format(now),
        };
    }

    private static async Task AdvanceAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context);
        var hours = body?.Prop("hours") is { } h && LenientJson.AsString(h) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : double.TryParse(context.Request.Query["hours"], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : double.NaN;
        if (double.IsNaN(hours) || hours < 0 || hours > 24 * 3650)
        {
            await Json(context, new Dictionary<string, object?> { ["error"] = "body must be {\"hours\": n} with 0 <= n" }, StatusCodes.Status400BadRequest);
            return;
        }

        var clock = context.RequestServices.GetRequiredService<SandboxClock>();
        var now = clock.Advance(TimeSpan.FromHours(hours));
        context.RequestServices.GetRequiredService<SandboxStore>().SaveSimulatedNow(now);
        await Json(context, new Dictionary<string, object?>
        {
            ["simulatedNow"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["simulatedNowBeijing"] = BeijingTime.Format(now),
        });
    }

    private static async Task ReplaceFaultsAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context);
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            await Json(context, new Dictionary<string, object?> { ["error"] = "body must be {errorRate, timeoutRate, tooManyRequestsRate, latencyMs}" }, StatusCodes.Status400BadRequest);
            return;
        }

        static double Rate(JsonElement json, string name) =>
            double.TryParse(json.Str(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

        var faults = context.RequestServices.GetRequiredService<FaultState>();
        faults.Replace(new FaultSettings(Rate(json, "errorRate"), Rate(json, "timeoutRate"), Rate(json, "tooManyRequestsRate"), (int)Rate(json, "latencyMs")));
        await Json(context, FaultsBody(faults.Current));
    }

    private static async Task PushNowAsync(HttpContext context)
    {
        var force = string.Equals(context.Request.Query["force"], "true", StringComparison.OrdinalIgnoreCase);
        var result = await context.RequestServices.GetRequiredService<PushDispatcher>().RunOnceAsync(force, context.RequestAborted);
        await Json(context, new Dictionary<string, object?>
        {
            ["batches"] = result.Batches,
            ["succeeded"] = result.Succeeded,
            ["failed"] = result.Failed,
            ["items"] = result.Items,
        });
    }

    private static async Task ResetAsync(HttpContext context)
    {
        var services = context.RequestServices;
        services.GetRequiredService<SandboxStore>().Reset();
        services.GetRequiredService<SandboxClock>().Reset();
        services.GetRequiredService<SandboxRateLimiter>().ResetCounts();
        var options = services.GetRequiredService<IOptions<SandboxOptions>>().Value;
        services.GetRequiredService<FaultState>().Replace(new FaultSettings(options.ErrorRate, options.TimeoutRate, options.TooManyRequestsRate, options.LatencyMs));
        await Json(context, StatsBody(services));
    }

    private static Dictionary<string, object?> FaultsBody(FaultSettings f) => new()
    {
        ["errorRate"] = f.ErrorRate,
        ["timeoutRate"] = f.TimeoutRate,
        ["tooManyRequestsRate"] = f.TooManyRequestsRate,
        ["latencyMs"] = f.LatencyMs,
    };

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        return LenientJson.TryParse(text, out var root) ? root : null;
    }

    private static Task Json(HttpContext context, object body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, KdniaoProtocolHandler.WireJson, context.RequestAborted);
    }
}
