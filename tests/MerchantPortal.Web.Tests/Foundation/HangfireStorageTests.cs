using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using MerchantPortal.Web.Setup;
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

    /// <summary>The portal's own storage setup (serialized connections), with a faster poll.</summary>
    private static SQLiteStorage Storage(string file, TimeSpan? lockLifetime = null) => JobsSetup.CreateSqliteStorage(file, new SQLiteStorageOptions
    {
        QueuePollInterval = TimeSpan.FromMilliseconds(200),
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        DistributedLockLifetime = lockLifetime ?? TimeSpan.FromSeconds(30),
    });

    /// <summary>
    /// Hangfire's schedulers write on the connection whose distributed lock they hold, while the lock's heartbeat
    /// timer renews it on that same connection from another thread. Here the owner keeps writing on its connection
    /// until the heartbeat has renewed the lock three times; afterwards that connection is out of any transaction,
    /// every write is there, and once released the lock is taken by another connection at once.
    /// </summary>
    [Fact]
    public void A_lock_renewed_by_its_heartbeat_while_its_owner_writes_on_the_same_connection_leaves_the_storage_usable()
    {
        var file = Path.Combine(TempDirectory.Create("hangfire-lock"), "hangfire.db");
        using var storage = Storage(file, lockLifetime: TimeSpan.FromSeconds(1));
        using var owner = (HangfireSQLiteConnection)storage.GetConnection();
        var writes = 0;
        var renewals = new HashSet<DateTime>();
        using (owner.AcquireDistributedLock("heartbeat-test", TimeSpan.FromSeconds(5)))
        {
            var clock = Stopwatch.StartNew();
            // The heartbeat runs every 200 ms: the initial expiry plus three renewals.
            while (renewals.Count < 4)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the heartbeat renewed the lock {renewals.Count - 1} times in a minute");
                using (var tx = owner.CreateWriteTransaction())
                {
                    tx.AddToSet("heartbeat-test:set", Guid.NewGuid().ToString("N"));
                    tx.IncrementCounter("heartbeat-test:counter");
                    tx.Commit();
                }
                writes++;
                renewals.Add(owner.DbContext.DistributedLockRepository.Where(l => l.Resource == "HangFire:heartbeat-test").First().ExpireAt);
            }
        }

        Assert.False(owner.DbContext.Database.IsInTransaction);
        using var other = storage.GetConnection();
        using (other.AcquireDistributedLock("heartbeat-test", TimeSpan.Zero))
        {
        }
        Assert.Equal(writes, other.GetAllItemsFromSet("heartbeat-test:set").Count);
    }

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
