using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.SQLite;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// The embedded Hangfire storage (Hangfire.Storage.SQLite) has public reports of lock races. These tests are the
/// evidence behind ADR 0003: jobs enqueued before a restart still run, and two servers on one file (two portal
/// processes) run each job once in practice. The portal does not rely on the latter: every job is idempotent.
/// </summary>
public class HangfireStorageTests
{
    private static ConcurrentDictionary<string, int> Runs => CountingJob.Runs;

    // Hangfire's JobActivator.Current is process-global and points at whichever portal (test host) configured it
    // last, possibly one already disposed: these bare servers bring their own.
    private static BackgroundJobServerOptions Options(string name, int workers) =>
        new() { WorkerCount = workers, ServerName = name, Activator = new JobActivator() };

    private static SQLiteStorage Storage(string file) => new(file, new SQLiteStorageOptions
    {
        QueuePollInterval = TimeSpan.FromMilliseconds(200),
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        DistributedLockLifetime = TimeSpan.FromSeconds(30),
    });

    [Fact]
    public async Task Jobs_enqueued_before_a_restart_run_after_it()
    {
        var file = Path.Combine(TempDirectory.Create("hangfire"), "hangfire.db");
        var tokens = Enumerable.Range(0, 20).Select(_ => "restart-" + Guid.NewGuid().ToString("N")).ToList();
        var before = Storage(file);
        var client = new BackgroundJobClient(before);
        foreach (var token in tokens)
        {
            client.Enqueue(() => CountingJob.Record(token));
        }

        // A new storage object on the same file stands for the restarted process.
        var after = Storage(file);
        using (new BackgroundJobServer(Options("after-restart", 2), after))
        {
            await WaitUntil(() => tokens.All(Runs.ContainsKey), TimeSpan.FromSeconds(60));
        }
        Assert.All(tokens, t => Assert.Equal(1, Runs[t]));
    }

    [Fact]
    public async Task Two_servers_on_one_file_run_each_job_once()
    {
        var file = Path.Combine(TempDirectory.Create("hangfire"), "hangfire.db");
        var storageA = Storage(file);
        var storageB = Storage(file);
        var tokens = Enumerable.Range(0, 200).Select(_ => "dup-" + Guid.NewGuid().ToString("N")).ToList();
        using (new BackgroundJobServer(Options("a", 4), storageA))
        using (new BackgroundJobServer(Options("b", 4), storageB))
        {
            var client = new BackgroundJobClient(storageA);
            foreach (var token in tokens)
            {
                client.Enqueue(() => CountingJob.Record(token));
            }
            await WaitUntil(() => tokens.All(Runs.ContainsKey), TimeSpan.FromSeconds(90),
                () => $"{tokens.Count(Runs.ContainsKey)} of {tokens.Count} ran, {tokens.Count(t => Runs.TryGetValue(t, out var n) && n > 1)} more than once");
            await WaitUntil(() => storageA.GetMonitoringApi().SucceededListCount() >= tokens.Count, TimeSpan.FromSeconds(30));
        }
        var duplicated = tokens.Where(t => Runs[t] > 1).ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} of {tokens.Count} jobs ran more than once.");
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"Condition not met within {timeout}. {progress?.Invoke()}");
            await Task.Delay(50);
        }
    }
}

/// <summary>The job the storage tests enqueue: counts how often each token ran.</summary>
public static class CountingJob
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    public static void Record(string token) => Runs.AddOrUpdate(token, 1, (_, n) => n + 1);
}
