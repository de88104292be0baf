using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>How the test receiver answers a push that it could verify.</summary>
public enum ReceiverAnswer
{
    Acknowledge,
    SuccessFalse,
    Http500,
}

/// <summary>One push as the receiver got it: sign verified with <see cref="KdniaoPush.VerifySign"/>, body parsed with <see cref="KdniaoPush.Parse"/>.</summary>
public sealed record ReceivedPush(string RequestType, bool SignValid, PushEnvelope? Envelope, ReceiverAnswer Answer);

/// <summary>A merchant's push endpoint on its own Kestrel app, built only from the gateway's public push API.</summary>
public sealed class PushReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly Queue<ReceiverAnswer> _script = new();
    private readonly Lock _gate = new();

    private PushReceiver(WebApplication app) => _app = app;

    public Uri Callback { get; private set; } = null!;

    public IReadOnlyList<ReceivedPush> Received => [.. _received];

    public IEnumerable<ReceivedPush> Accepted => _received.Where(p => p.SignValid && p.Answer == ReceiverAnswer.Acknowledge);

    public static async Task<PushReceiver> StartAsync(params ReceiverAnswer[] firstAnswers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var receiver = new PushReceiver(app);
        foreach (var answer in firstAnswers)
        {
            receiver._script.Enqueue(answer);
        }

        app.MapPost("/kdniao/push", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Callback = new Uri(app.Urls.Single().TrimEnd('/') + "/kdniao/push");
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var requestData = form["RequestData"].ToString();
        var valid = KdniaoPush.VerifySign(requestData, form["DataSign"].ToString(), ContractSandbox.AppKey);
        var envelope = valid && KdniaoPush.TryParse(requestData, out var parsed) ? parsed : null;
        ReceiverAnswer answer;
        lock (_gate)
        {
            answer = envelope is null ? ReceiverAnswer.SuccessFalse : _script.Count > 0 ? _script.Dequeue() : ReceiverAnswer.Acknowledge;
        }

        _received.Enqueue(new ReceivedPush(form["RequestType"].ToString(), valid, envelope, answer));
        if (answer == ReceiverAnswer.Http500)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var ok = answer == ReceiverAnswer.Acknowledge;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(
            KdniaoPush.Acknowledge(ContractSandbox.EBusinessId, ok, ok ? string.Empty : "not now", DateTimeOffset.UtcNow), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>8008 subscriptions and the sandbox's 102 pushes to a receiver built on <see cref="KdniaoPush"/> (§2.4, §2.5).</summary>
[Collection(ContractCollection.Name)]
public sealed class PushContractTests(ContractSandbox sandbox) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly ContractGateway _gateway = new();

    private ICarrierGateway Gateway => _gateway.Gateway;

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task A_subscribed_parcel_is_pushed_to_the_receiver_with_a_valid_sign_and_its_traces()
    {
        await using var receiver = await PushReceiver.StartAsync();
        var account = sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;
        Assert.True((await Gateway.SubscribeAsync(account, "ZTO", issued.TrackingNo, receiver.Callback, issued.OrderCode)).Success);
        await sandbox.AdvanceAsync(48);

        await sandbox.PushNowAsync();

        Assert.True(await Eventually.HoldsAsync(() => receiver.Accepted.Any(), Patience), "no push was accepted");
        Assert.All(receiver.Received, p => Assert.True(p.SignValid, "a push failed KdniaoPush.VerifySign"));
        var push = receiver.Accepted.First();
        Assert.Equal("102", push.RequestType); // 8008 pushes as 102 (§2.4)
        Assert.Equal(ContractSandbox.EBusinessId, push.Envelope!.EBusinessId);
        Assert.NotNull(push.Envelope.PushTimeUtc);
        var item = Assert.Single(push.Envelope.Data);
        Assert.Equal(issued.OrderCode, item.OrderCode);
        Assert.Equal(receiver.Callback.AbsoluteUri, item.CallBack);
        Assert.Equal(issued.TrackingNo, item.Snapshot.TrackingNo);
        Assert.Equal("ZTO", item.Snapshot.ShipperCode);
        Assert.NotEmpty(item.Snapshot.Events);
        Assert.All(item.Snapshot.Events, e => Assert.Equal(KdniaoStatusMap.MapAction(e.RawAction), e.Status));

        // What was pushed agrees with what a query answers at the same simulated moment.
        var tracked = (await Gateway.TrackAsync(account, "ZTO", issued.TrackingNo)).Value!;
        Assert.Equal(tracked.Events.Select(e => (e.TimeUtc, e.RawAction)), item.Snapshot.Events.Select(e => (e.TimeUtc, e.RawAction)));
        Assert.Equal(tracked.Status, item.Snapshot.Status);
        Assert.True((await sandbox.StatsAsync()).PushesSent >= 1);
    }

    [Theory]
    [InlineData(ReceiverAnswer.SuccessFalse)]
    [InlineData(ReceiverAnswer.Http500)]
    public async Task A_receiver_that_refuses_the_first_push_is_retried_by_the_sandbox_and_then_gets_it(ReceiverAnswer firstAnswer)
    {
        await using var receiver = await PushReceiver.StartAsync(firstAnswer);
        var account = sandbox.Account();
        var issued = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;
        Assert.True((await Gateway.SubscribeAsync(account, "ZTO", issued.TrackingNo, receiver.Callback)).Success);
        await sandbox.AdvanceAsync(48);

        await sandbox.PushNowAsync();

        // No second push-now: the sandbox's own dispatcher must come back after its back-off.
        Assert.True(await Eventually.HoldsAsync(() => receiver.Accepted.Any(), Patience),
            $"received {receiver.Received.Count} pushes, none accepted");
        Assert.Equal(firstAnswer, receiver.Received[0].Answer);
        Assert.All(receiver.Received, p => Assert.True(p.SignValid));
        var delivered = Assert.Single(receiver.Accepted.First().Envelope!.Data);
        Assert.Equal(issued.TrackingNo, delivered.Snapshot.TrackingNo);
        var stats = await sandbox.StatsAsync();
        Assert.True(stats.PushesFailed >= 1, "the refused push was not counted as failed");
        Assert.True(stats.PushesSent >= 1);
    }

    [Fact]
    public async Task A_pushed_parcel_is_not_pushed_again_until_it_has_new_traces()
    {
        await using var receiver = await PushReceiver.StartAsync();
        var account = sandbox.Account();
        // Four parcels: a journey's fate is drawn from its number, and a parcel Stuck at a hub within its first day
        // rightly gets no new traces, so it is never pushed again (one parcel alone would fail now and then).
        var issued = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var waybill = (await Gateway.CreateWaybillAsync(account, ContractSamples.Waybill())).Value!;
            Assert.True((await Gateway.SubscribeAsync(account, "ZTO", waybill.TrackingNo, receiver.Callback)).Success);
            issued.Add(waybill.TrackingNo);
        }
        await sandbox.AdvanceAsync(24);
        await sandbox.PushNowAsync();
        IReadOnlyList<TrackingSnapshot> Pushed() => [.. receiver.Accepted.SelectMany(p => p.Envelope!.Data).Select(d => d.Snapshot)];
        Assert.True(await Eventually.HoldsAsync(() => issued.All(n => Pushed().Any(s => s.TrackingNo == n)), Patience), "not every parcel was pushed after a day");
        var first = issued.ToDictionary(n => n, n => Pushed().Single(s => s.TrackingNo == n).Events.Count);

        var idle = await sandbox.PushNowAsync();
        Assert.Equal(0, idle.GetProperty("items").GetInt32());
        await sandbox.AdvanceAsync(240);
        var moved = new List<(string TrackingNo, int Events)>();
        foreach (var number in issued)
        {
            var now = (await Gateway.TrackAsync(account, "ZTO", number)).Value!;
            if (now.Events.Count > first[number])
            {
                moved.Add((number, now.Events.Count));
            }
        }
        await sandbox.PushNowAsync();

        Assert.NotEmpty(moved);
        Assert.True(await Eventually.HoldsAsync(() => moved.All(m => Pushed().Count(s => s.TrackingNo == m.TrackingNo) == 2), Patience),
            "a parcel with new traces was not pushed again");
        foreach (var (number, events) in moved)
        {
            // The full, longer history (the sandbox clock runs on in real time, so a scan may have come since the query).
            Assert.True(Pushed().Where(s => s.TrackingNo == number).Last().Events.Count >= events, $"{number}: the second push did not carry the full history");
        }
        // A parcel without new traces was not pushed a second time.
        Assert.All(issued.Except(moved.Select(m => m.TrackingNo)), n => Assert.Single(Pushed(), s => s.TrackingNo == n));
    }
}
