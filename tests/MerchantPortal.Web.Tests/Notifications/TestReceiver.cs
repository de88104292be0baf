using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// A tiny HTTP server in the test (HttpListener on a free loopback port): records every request before answering it
/// with what <c>respond</c> says, so a request is visible as soon as the sender's call returns.
/// </summary>
public sealed class TestReceiver : IDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly HttpListener listener = new();
    private readonly Func<Received, (int Status, string Body)> respond;
    private readonly Func<Received, string?>? location;
    private readonly Task loop;

    /// <param name="location">A Location header for the answer (a redirect), or null for none.</param>
    public TestReceiver(Func<Received, (int Status, string Body)> respond, Func<Received, string?>? location = null)
    {
        this.respond = respond;
        this.location = location;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var received = new Received(context.Request.Url!.AbsolutePath, headers, body);
            Requests.Enqueue(received);
            var (status, answer) = respond(received);
            context.Response.StatusCode = status;
            if (location?.Invoke(received) is { } target)
            {
                context.Response.RedirectLocation = target;
            }
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
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
