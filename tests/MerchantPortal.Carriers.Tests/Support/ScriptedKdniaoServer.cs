using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Carriers.Tests.Support;

/// <summary>What the server received, as it arrived on the wire.</summary>
public sealed record ReceivedRequest(
    int Number,
    DateTime ReceivedUtc,
    string Path,
    string? ContentType,
    string RawBody,
    IReadOnlyDictionary<string, string> Form)
{
    public string RequestType => Form.GetValueOrDefault("RequestType") ?? string.Empty;
    public string RequestData => Form.GetValueOrDefault("RequestData") ?? string.Empty;
}

/// <summary>What the server answers; <see cref="Hang"/> never answers (until the client gives up).</summary>
public sealed record ServerReply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false)
{
    public static ServerReply Json(string body) => new(200, body);
    public static ServerReply Http(int status) => new(status, string.Empty);
    public static ServerReply Hanging() => new(0, string.Empty, Hang: true);
}

/// <summary>
/// A local Kestrel server on 127.0.0.1:0 that records every request and answers from a per-test script
/// (e.g. 500 twice, then 200). Only the aggregator's transport is imitated, never its business logic.
/// </summary>
public sealed class ScriptedKdniaoServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private int _count;
    private Func<ReceivedRequest, ServerReply> _script = _ => ServerReply.Json("""{"EBusinessID":"test","Success":true}""");

    private ScriptedKdniaoServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Base URL including <c>pathPrefix</c> (the portal hosts its sandbox below a prefix).</summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received.OrderBy(r => r.Number)];

    public static async Task<ScriptedKdniaoServer> StartAsync(string pathPrefix = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();

        ScriptedKdniaoServer? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync();

        var address = app.Urls.Single();
        server = new ScriptedKdniaoServer(app, new Uri(address.TrimEnd('/') + pathPrefix));
        return server;
    }

    /// <summary>Sets the script: it sees each request (with its 1-based <see cref="ReceivedRequest.Number"/>).</summary>
    public void Answer(Func<ReceivedRequest, ServerReply> script) => _script = script;

    public void AnswerJson(string body) => _script = _ => ServerReply.Json(body);

    private async Task HandleAsync(HttpContext ctx)
    {
        var received = DateTime.UtcNow;
        using var reader = new StreamReader(ctx.Request.Body);
        var raw = await reader.ReadToEndAsync(ctx.RequestAborted);
        var request = new ReceivedRequest(
            Interlocked.Increment(ref _count),
            received,
            ctx.Request.PathBase + ctx.Request.Path,
            ctx.Request.ContentType,
            raw,
            DecodeFormOnce(raw));
        _received.Enqueue(request);

        var reply = _script(request);
        if (reply.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        ctx.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            ctx.Response.Headers[name] = value;
        }

        if (reply.Body.Length > 0)
        {
            ctx.Response.ContentType = "application/json; charset=utf-8";
            await ctx.Response.WriteAsync(reply.Body, ctx.RequestAborted);
        }
    }

    // Exactly one form decode, as a standards-following server does; a double-encoded value would stay "%7B…".
    private static Dictionary<string, string> DecodeFormOnce(string raw)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = WebUtility.UrlDecode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : WebUtility.UrlDecode(pair[(eq + 1)..]);
            form[name] = value;
        }

        return form;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
