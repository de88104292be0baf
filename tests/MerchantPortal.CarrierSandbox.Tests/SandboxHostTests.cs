using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class SandboxHostTests
{
    [Fact]
    public async Task The_sandbox_runs_alone_on_the_url_it_is_given()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var stop = new CancellationTokenSource();
        var run = SandboxHost.RunAsync(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--CarrierSandbox:Merchants:0:EBusinessId", SandboxApp.MerchantId,
            "--CarrierSandbox:Merchants:0:AppKey", SandboxApp.AppKey,
            "--Logging:LogLevel:Default", "Warning",
        ], stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        const string data = "{\"LogisticCode\":\"JD1234567890123\"}";
        var form = new Dictionary<string, string>
        {
            ["RequestData"] = data,
            ["EBusinessID"] = SandboxApp.MerchantId,
            ["RequestType"] = "2002",
            ["DataSign"] = TestSigning.Sign(data, SandboxApp.AppKey),
            ["DataType"] = "2",
        };

        HttpResponseMessage? response = null;
        var stopwatch = Stopwatch.StartNew();
        while (response is null && stopwatch.Elapsed < TimeSpan.FromSeconds(15) && !run.IsCompleted)
        {
            try
            {
                response = await http.PostAsync(SandboxApp.Prefix + "/api/dist", new FormUrlEncodedContent(form));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ShipperCode\":\"JD\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
