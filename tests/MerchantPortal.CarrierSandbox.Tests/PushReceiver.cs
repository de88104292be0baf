using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.CarrierSandbox.Tests;

internal sealed record ReceivedPush(string RequestType, string RequestData, string DataSign, string EBusinessId, bool SignValid);

/// <summary>A merchant's push endpoint on a second Kestrel app. It verifies DataSign itself (carrier-protocol.md §2.5).</summary>
internal sealed class PushReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private PushReceiver(WebApplication app, string url)
    {
        _app = app;
        CallbackUrl = url;
    }

    public string CallbackUrl { get; }

    public ConcurrentQueue<ReceivedPush> Received { get; } = new();

    /// <summary>Given the 1-based call number, the status and body to answer with.</summary>
    public Func<int, (int Status, string Body)> Answer { get; set; } =
        _ => (200, """{"EBusinessID":"test1617571","UpdateTime":"2026-01-01 00:00:00","Success":true,"Reason":""}""");

    public static async Task<PushReceiver> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        PushReceiver? receiver = null;
        app.MapPost("/kdniao/push", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var data = form["RequestData"].ToString();
            var sign = form["DataSign"].ToString();
            receiver!.Received.Enqueue(new ReceivedPush(form["RequestType"].ToString(), data, sign, form["EBusinessID"].ToString(),
                TestSigning.Sign(data, SandboxApp.AppKey) == sign));
            var (status, body) = receiver.Answer(Interlocked.Increment(ref receiver._calls));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new PushReceiver(app, address + "/kdniao/push");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
