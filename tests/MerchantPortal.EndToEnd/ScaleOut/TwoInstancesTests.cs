using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using MerchantPortal.Carriers;
using MerchantPortal.EndToEnd.Infrastructure;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MerchantPortal.EndToEnd.ScaleOut;

/// <summary>
/// R9: two portal processes on one database, as two instances behind a load balancer. The second starts after the
/// first is ready (a rolling start; migrations and demo data are the first one's). `./portal test` runs it on SQLite and
/// again on PostgreSQL (Hangfire.PostgreSql), both processes live.
/// </summary>
[Collection(OwnBrowser.Name)]
[Trait("Database", TestDatabase.ServerTrait)]
public class TwoInstancesTests(OwnBrowser browsers)
{
    private const string EBusinessId = "test1617571";
    private const string AppKey = "sandbox-appkey-0001-demo";

    [Fact]
    public async Task Two_instances_on_one_database_run_each_recurring_occurrence_once_and_both_show_a_pushed_scan_live()
    {
        var dataDirectory = TempDirectory.Create("scale-out");
        await using var first = await PortalProcess.StartAsync(dataDirectory);
        await using var second = await PortalProcess.StartAsync(dataDirectory);
        var bothUpAtUtc = DateTime.UtcNow;

        // A shipment registered through one instance, watched on both.
        var number = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(CultureInfo.InvariantCulture);
        using (var api = first.CreateApiClient())
        {
            var registered = await api.PostAsJsonAsync("/api/v1/shipments", new { shipperCode = "ZTO", trackingNo = number });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
        var onFirst = await OpenShipmentAsync(first, number);
        var onSecond = await OpenShipmentAsync(second, number);

        var station = "【杭州转运中心】两实例测试 " + Guid.NewGuid().ToString("N")[..6];
        await PushAsync(first, number, station);
        var clock = Stopwatch.StartNew();
        await onFirst.GetByText(station).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await onSecond.GetByText(station).WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the scan took {clock.Elapsed} to reach both browsers");
        await onFirst.Context.CloseAsync();
        await onSecond.Context.CloseAsync();

        // Recurring jobs: wait for a whole minute with both servers up; every minute seen has one tracking:poll job, no more.
        var storage = HangfireStorageOf(dataDirectory);
        var firstFullMinute = Truncate(bothUpAtUtc).AddMinutes(1);
        var occurrences = await WaitForAsync(
            () => RecurringOccurrences(storage, "tracking:poll"),
            found => found.Any(m => m >= firstFullMinute),
            TimeSpan.FromMinutes(4),
            first, second);
        var perMinute = occurrences.GroupBy(m => m).ToList();
        Assert.All(perMinute, minute => Assert.True(minute.Count() == 1, $"{minute.Count()} runs of tracking:poll at {minute.Key:HH:mm}"));
        List<string> recurringIds;
        using (var connection = storage.GetConnection())
        {
            recurringIds = connection.GetRecurringJobs().Select(j => j.Id).ToList();
        }
        Assert.Contains("tracking:poll", recurringIds);
        foreach (var id in recurringIds)
        {
            var runs = RecurringOccurrences(storage, id);
            Assert.True(runs.Count == runs.Distinct().Count(), $"{id} ran twice in one minute: {string.Join(", ", runs.Select(r => r.ToString("HH:mm", CultureInfo.InvariantCulture)))}");
        }
    }

    private async Task<IPage> OpenShipmentAsync(PortalProcess portal, string number)
    {
        var context = await browsers.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", "ops@demo.local");
        await page.FillAsync("#Input\\.Password", PortalFactory.DemoPassword);
        await page.ClickAsync("button.account-button");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync($"/shipments/{number}");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=shipment-no]").WaitForAsync();
        return page;
    }

    private static async Task PushAsync(PortalProcess portal, string number, string station)
    {
        var beijingNow = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var data = JsonSerializer.Serialize(new
        {
            EBusinessID = EBusinessId,
            PushTime = beijingNow,
            Count = "1",
            Data = new[]
            {
                new
                {
                    EBusinessID = EBusinessId,
                    OrderCode = "",
                    ShipperCode = "ZTO",
                    LogisticCode = number,
                    Success = true,
                    Reason = "",
                    State = "2",
                    StateEx = "2",
                    Location = "杭州市",
                    Traces = new[] { new { AcceptTime = beijingNow, AcceptStation = station, Location = "杭州市", Action = "2" } },
                },
            },
        });
        using var client = new HttpClient { BaseAddress = portal.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = data,
            ["RequestType"] = "102",
            ["DataSign"] = KdniaoSigner.Sign(data, AppKey),
        });
        var response = await client.PostAsync(TrackingEndpoints.PushPath, form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("Success").GetBoolean(), body.ToString());
    }

    /// <summary>The minute (UTC) each job created by a recurring job was created in, across every state.</summary>
    private static List<DateTime> RecurringOccurrences(JobStorage storage, string recurringJobId)
    {
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        var ids = monitoring.SucceededJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.ScheduledJobs(0, 1000).Select(j => j.Key))
            .Concat(JobsSetup.Queues.SelectMany(q => monitoring.EnqueuedJobs(q, 0, 1000).Select(j => j.Key)))
            .Distinct();
        var minutes = new List<DateTime>();
        foreach (var id in ids)
        {
            var owner = connection.GetJobParameter(id, "RecurringJobId");
            if (owner is not null && owner.Trim('"') == recurringJobId && connection.GetJobData(id) is { } data)
            {
                minutes.Add(Truncate(data.CreatedAt));
            }
        }
        return minutes;
    }

    /// <summary>The Hangfire storage both instances share: their SQLite file, or their server database's HangFire schema.</summary>
    private static JobStorage HangfireStorageOf(string dataDirectory)
    {
        if (TestDatabase.Provider == DatabaseProvider.PostgreSql)
        {
            var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(TestDatabase.ConnectionStringFor(dataDirectory), options), options);
        }
        if (TestDatabase.Provider == DatabaseProvider.SqlServer)
        {
            return new Hangfire.SqlServer.SqlServerStorage(TestDatabase.ConnectionStringFor(dataDirectory), new Hangfire.SqlServer.SqlServerStorageOptions { PrepareSchemaIfNecessary = false });
        }
        return new SQLiteStorage(Path.Combine(dataDirectory, "hangfire.db"), new SQLiteStorageOptions());
    }

    private static DateTime Truncate(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc);

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout, params PortalProcess[] portals)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {timeout}. Output:{Environment.NewLine}{string.Join(Environment.NewLine, portals.Select(p => p.Output))}");
            }
            // Poll interval of a condition wait (the storage is read again each time), not a fixed sleep.
            await Task.Delay(250);
        }
    }
}
