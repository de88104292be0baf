using System.Net;
using MerchantPortal.Web.Infrastructure;
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
        if (dataDirectory is null && GetType() == typeof(PortalFactory) && TestDatabase.Provider == DatabaseProvider.Sqlite
            && (overrides ?? new Dictionary<string, string?>()).Keys.All(key => KeepTheStartingData.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))))
        {
            FreshDatabase.CopyInto(DataDirectory);
        }
        UseKestrel(0);
    }

    /// <summary>
    /// Settings that change nothing a start writes into the portal's database (migrations, roles, demo users, carrier
    /// accounts, fixture orders and shipments): a portal given only these starts from a copy of a fresh database.
    /// </summary>
    private static readonly string[] KeepTheStartingData =
        ["Jobs:", "Security:", "Proxy:", "Telemetry:", "Logging:", "Waybills:", "Pages:", "Exports:", "Notifications:", "Api:"];

    /// <summary>
    /// The database a default portal starts with, migrated and seeded once per test run and copied for every new
    /// portal: a start then skips migrating and seeding (about a second of two cores each, over a hundred portals).
    /// A portal with other settings, another engine, or a data folder of its own (restarts) still starts from empty.
    /// </summary>
    private static class FreshDatabase
    {
        private static readonly Lazy<string> Template = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

        public static void CopyInto(string dataDirectory)
        {
            foreach (var file in new[] { "portal.db", "portal.db-wal" })
            {
                var source = Path.Combine(Template.Value, file);
                if (File.Exists(source))
                {
                    File.Copy(source, Path.Combine(dataDirectory, file));
                }
            }
        }

        private static string Build()
        {
            var folder = TempDirectory.Create("fresh-database");
            // No job server: nothing but the start itself writes into the copy.
            var portal = new PortalFactory(folder, new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
            portal.Start();
            Task.Run(async () => await portal.DisposeAsync()).GetAwaiter().GetResult();
            // Pooled connections keep the file open; closed, SQLite folds its write-ahead log into the file.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return folder;
        }
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
