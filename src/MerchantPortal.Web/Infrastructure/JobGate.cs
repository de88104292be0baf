using Hangfire;
using Hangfire.Storage;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Lets one run of a recurring sweep through at a time, across every server on the storage, and turns the others
/// away at once. Hangfire's [DisableConcurrentExecution] makes the second run WAIT for the lock while it holds a
/// worker: when a sweep is slow (a carrier timing out under tracking:poll), the next minutes' runs each park a worker
/// until none is left for real work (a waybill batch stayed Queued for minutes in the suite). A sweep that finds the
/// gate closed has nothing to do: the run holding it does the work.
/// </summary>
public sealed class JobGate(JobStorage storage, ILogger<JobGate> logger)
{
    /// <summary>The held gate, or null when another run holds it. Dispose to open it again.</summary>
    public IDisposable? TryEnter(string name)
    {
        var connection = storage.GetConnection();
        try
        {
            var held = connection.AcquireDistributedLock("mp:gate:" + name, TimeSpan.Zero);
            return new Held(held, connection);
        }
        catch (DistributedLockTimeoutException)
        {
            connection.Dispose();
            logger.LogDebug("{Job} is already running elsewhere; this run skips", name);
            return null;
        }
    }

    private sealed class Held(IDisposable held, IStorageConnection connection) : IDisposable
    {
        public void Dispose()
        {
            held.Dispose();
            connection.Dispose();
        }
    }
}
