using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// One portal instance for ui-load-scaleout: the Release build of MerchantPortal.Web as its own process
/// (<c>dotnet exec MerchantPortal.Web.dll</c>, so the process IS the app and /proc/PID is its memory), on PostgreSQL,
/// Development environment, the 20,000-order demo fixture (as the P9 run), on a free loopback port.
/// </summary>
internal sealed class PortalInstance : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private PortalInstance(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>How nginx names this instance in $upstream_addr.</summary>
    public string Upstream => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public int ProcessId => process.Id;

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

    public static async Task<PortalInstance> StartAsync(string dataDirectory, string connectionString, int demoOrders)
    {
        var port = Loopback.FreePort();
        var app = AppDirectory();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(app, "MerchantPortal.Web.dll"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = connectionString,
            // Files beside the database (the sandbox's sandbox.db): one folder for both, as TwoInstancesTests does.
            ["Database:DataDirectory"] = dataDirectory,
            ["DemoData:Enabled"] = "true",
            ["DemoData:ApiKey"] = WaybillBenchmarks.ApiKey,
            ["DemoData:Password"] = UiPortal.Password,
            ["DemoData:Mode"] = "Fixture",
            ["DemoData:Orders"] = demoOrders.ToString(CultureInfo.InvariantCulture),
            // P3's settings: the sandbox's own limit raised so only the portal's limiter (the account's 200/s) paces.
            ["CarrierSandbox:RateLimitPerSecond"] = "1000",
            ["Waybills:LeaseSeconds"] = "60",
            ["Logging:LogLevel:Default"] = "Warning",
            ["DetailedErrors"] = "true",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var instance = new PortalInstance(process, port);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await instance.WaitReadyAsync(TimeSpan.FromMinutes(4));
        return instance;
    }

    /// <summary>Resident set now and at its peak (VmRSS, VmHWM of /proc/PID/status), and CPU seconds used so far.</summary>
    public (long RssBytes, long PeakBytes, double CpuSeconds) Measure()
    {
        long Kb(string[] lines, string key) =>
            long.Parse(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux), after the ")".
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (Kb(status, "VmRSS:"), Kb(status, "VmHWM:"), ticks / 100.0);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still starting (migrations, demo data).
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The portal at {BaseAddress} was not ready:{Environment.NewLine}{Output}");
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

    /// <summary>MerchantPortal.Web's own output folder, in this program's configuration (Release for benchmarks).</summary>
    private static string AppDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent?.Name ?? "Release";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("No MerchantPortal.sln above the benchmark."),
            "src", "MerchantPortal.Web", "bin", configuration, "net10.0");
    }
}

/// <summary>
/// Debian's nginx as a foreground child (never the system service): its own config, pid, logs and temp folders in a
/// temporary folder, listening on a free loopback port, in front of the instances.
/// Affinity: open-source nginx has no sticky cookie, so the upstream is chosen by <c>hash $cookie_mp_affinity
/// consistent</c>; the client sets one distinct mp_affinity value per simulated user, so that user's page load and its
/// WebSocket (/_blazor) land on the same instance. A request without the cookie (the API) has an empty key, and nginx's
/// hash balancer then falls back to round robin. Every response names its instance (X-Upstream), and the access log
/// records cookie → instance per request, so the run can check that no user was split.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private NginxProxy(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string AccessLog => Path.Combine(directory, "access.log");

    public static async Task<NginxProxy> StartAsync(IEnumerable<int> upstreamPorts, string parent)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: apt-get install -y nginx-light (or nginx)");
        var directory = Path.Combine(parent, "nginx");
        Directory.CreateDirectory(directory);
        var port = Loopback.FreePort();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(directory, port, upstreamPorts));
        var start = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", directory + "/", "-c", config, "-e", Path.Combine(directory, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var proxy = new NginxProxy(process, directory, port);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("nginx exited: " + await process.StandardError.ReadToEndAsync() + File.ReadAllText(Path.Combine(directory, "error.log")));
            }
            try
            {
                (await client.GetAsync(new Uri(proxy.BaseAddress, "health/ready"))).EnsureSuccessStatusCode();
                return proxy;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("nginx did not answer");
    }

    private static string Config(string directory, int port, IEnumerable<int> upstreamPorts)
    {
        var servers = string.Concat(upstreamPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{p};\n")));
        return $$"""
            worker_processes 1;
            worker_rlimit_nofile 8192;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                log_format affinity '$cookie_mp_affinity $upstream_addr $status $request_method $uri $request_time';
                access_log {{directory}}/access.log affinity;
                client_max_body_size 16m;
                map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
                upstream portal {
                    hash $cookie_mp_affinity consistent;
            {{servers}}        keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://portal;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_read_timeout 1h;
                        proxy_send_timeout 1h;
                        proxy_buffering off;
                        add_header X-Upstream $upstream_addr always;
                    }
                }
            }
            """;
    }

    /// <summary>From the access log: users (mp_affinity values) whose requests reached more than one instance, and 5xx answers.</summary>
    public (int Users, int SplitUsers, int ServerErrors) CheckAffinity()
    {
        var lines = File.Exists(AccessLog) ? File.ReadAllLines(AccessLog) : [];
        var parts = lines.Select(l => l.Split(' ')).Where(p => p.Length >= 3).ToList();
        var byUser = parts.Where(p => p[0] is not "-" and not "").GroupBy(p => p[0]).ToList();
        var split = byUser.Count(g => g.Select(p => p[1]).Distinct().Count() > 1);
        return (byUser.Count, split, parts.Count(p => p[2].StartsWith('5')));
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

internal static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
