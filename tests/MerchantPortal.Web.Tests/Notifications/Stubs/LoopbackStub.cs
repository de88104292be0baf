using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantPortal.Web.Tests.Notifications.Stubs;

/// <summary>A provider stub on 127.0.0.1 over real HTTP (HttpListener on a free port); subclasses answer each request.</summary>
public abstract class LoopbackStub : IDisposable
{
    public sealed record StubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <param name="Verified">The signature checked out; a request that did not is answered with the provider's error.</param>
    public sealed record Seen(StubRequest Request, string Action, bool Verified, string? ErrorCode);

    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly Lock gate = new();
    private readonly List<Seen> seen = [];

    protected LoopbackStub(Func<DateTimeOffset> clock)
    {
        Clock = clock;
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

    protected Func<DateTimeOffset> Clock { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public IReadOnlyList<Seen> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. seen];
            }
        }
    }

    protected void Record(Seen s)
    {
        lock (gate)
        {
            seen.Add(s);
        }
    }

    protected abstract (int Status, string Body) Answer(StubRequest request);

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
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            (int Status, string Body) answer;
            try
            {
                answer = Answer(new StubRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));
            }
            catch (Exception ex)
            {
                answer = (500, "{\"stubError\":\"" + ex.GetType().Name + "\"}");
            }
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer.Body));
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
        GC.SuppressFinalize(this);
    }
}
