using System.Collections.Concurrent;
using MerchantPortal.Web.Tests.Notifications.Stubs;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// A tiny HTTP server in the test (on a free loopback port): records every request before answering it with what
/// <c>respond</c> says, so a request is visible as soon as the sender's call returns.
/// </summary>
public sealed class TestReceiver(Func<TestReceiver.Received, (int Status, string Body)> respond) : LoopbackStub(() => DateTimeOffset.UtcNow)
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    protected override (int Status, string Body) Answer(StubRequest request)
    {
        var received = new Received(request.Path, request.Headers, request.Body);
        Requests.Enqueue(received);
        return respond(received);
    }
}

public static class ReceivedWebhooks
{
    /// <summary>The receiver's check by the Standard Webhooks headers, at the portal's (fake) time.</summary>
    public static bool Verifies(this TestReceiver.Received r, string secret, DateTimeOffset now) =>
        r.Headers.TryGetValue(Web.Features.Notifications.WebhookSignature.IdHeader, out var id)
        && r.Headers.TryGetValue(Web.Features.Notifications.WebhookSignature.TimestampHeader, out var timestamp)
        && r.Headers.TryGetValue(Web.Features.Notifications.WebhookSignature.SignatureHeader, out var signature)
        && Web.Features.Notifications.WebhookSignature.Verify(secret, id, timestamp, signature, r.Body, now);
}
