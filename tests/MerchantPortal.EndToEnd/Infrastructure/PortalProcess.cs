using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.EndToEnd.Infrastructure;

/// <summary>
/// The portal as its own operating-system process (the built MerchantPortal.Web.dll), configured like
/// <see cref="PortalFactory"/>. Two of these on one data folder are two instances behind a load balancer: nothing in
/// memory is shared, only the database.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private PortalProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<PortalProcess> StartAsync(string dataDirectory, TimeSpan? readyWithin = null)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var appDirectory = AppDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(appDirectory, "MerchantPortal.Web.dll"));
        foreach (var (key, value) in new Dictionary<string, string?>(TestDatabase.SettingsFor(dataDirectory))
        {
            ["urls"] = baseAddress.ToString().TrimEnd('/'),
            ["DemoData:Enabled"] = "true",
            ["DemoData:Password"] = PortalFactory.DemoPassword,
            ["DemoData:ApiKey"] = PortalFactory.DemoApiKey,
            // The deterministic fixture many tests count on; the real demo run is DemoRunTests' alone (it takes a while).
            ["DemoData:Mode"] = "Fixture",
            ["DemoData:Orders"] = "200",
            // The test sandboxes run ahead of the portal's clock (admin/advance, fast speed, a fake portal clock): their
            // scans would all be "from the future". The future-scan rule keeps its default in its own tests.
            ["Tracking:FutureScanTolerance"] = "365.00:00:00",
            ["Jobs:RunServer"] = "true",
            ["Jobs:WorkerCount"] = "4",
            ["Portal:PublicBaseUrl"] = baseAddress.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var portal = new PortalProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await portal.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(90));
        return portal;
    }

    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", PortalFactory.DemoApiKey);
        return client;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal process exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting up (migrations, demo data).
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The portal at {BaseAddress} was not ready within {within}:{Environment.NewLine}{Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The web project's own build output, in the configuration these tests were built in.</summary>
    private static string AppDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent?.Name ?? "Debug";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        var app = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root"), "src", "MerchantPortal.Web", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(app, "MerchantPortal.Web.dll")) ? app : throw new FileNotFoundException("Build the web project first", app);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
