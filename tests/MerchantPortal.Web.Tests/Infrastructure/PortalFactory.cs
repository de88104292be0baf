using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real portal on real Kestrel (127.0.0.1, a free port) with its own temporary data folder (SQLite files for
/// the portal and Hangfire, or its own database on the server <see cref="TestDatabase"/> names). Two factories given
/// the same <see cref="DataDirectory"/> see the same data, which is how restart tests work. Settings are passed with
/// UseSetting, which the app reads before Build().
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Password-2026!";
    public const string DemoApiKey = "mpk_test0000_integration-tests-key-all-scopes";

    private readonly Dictionary<string, string?> settings;

    public PortalFactory(string? dataDirectory = null, IDictionary<string, string?>? overrides = null)
    {
        DataDirectory = dataDirectory ?? TempDirectory.Create("portal");
        settings = new Dictionary<string, string?>(TestDatabase.SettingsFor(DataDirectory))
        {
            ["DemoData:Enabled"] = "true",
            ["DemoData:Password"] = DemoPassword,
            ["DemoData:ApiKey"] = DemoApiKey,
            // The deterministic fixture many tests count on; the real demo run is DemoRunTests' alone (it takes a while).
            ["DemoData:Mode"] = "Fixture",
            ["DemoData:Orders"] = "200",
            // The test sandboxes run ahead of the portal's clock (admin/advance, fast speed, a fake portal clock): their
            // scans would all be "from the future". The future-scan rule keeps its default in its own tests.
            ["Tracking:FutureScanTolerance"] = "365.00:00:00",
            // Fake clocks cross every hour of the day; quiet hours (messages held 21:00–08:00) have tests of their own.
            ["Notifications:QuietHours"] = "",
            ["Jobs:RunServer"] = "true",
            ["Jobs:WorkerCount"] = "4",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts Kestrel once and returns the base address browsers and HttpClients use.</summary>
    public Uri Start()
    {
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>A client with its own cookie jar that does not follow redirects (tests look at them).</summary>
    public HttpClient CreateBrowserLikeClient(bool followRedirects = false)
    {
        Start();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            CookieContainer = new CookieContainer(),
            UseCookies = true,
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public HttpClient CreateApiClient(string? apiKey = DemoApiKey)
    {
        Start();
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        return client;
    }

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();
}

public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "merchantportal-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
