namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// Racing calls that really overlap: each call is started and parked on one gate, and the gate opens only when all
/// of them are parked (a barrier), so none has a head start of a thread-pool hop or a connection being opened.
/// </summary>
public static class AtOnce
{
    public static async Task<T[]> RunAsync<T>(params Func<Task<T>>[] calls)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = 0;
        var allParked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = calls.Select(async call =>
        {
            if (Interlocked.Increment(ref parked) == calls.Length)
            {
                allParked.SetResult();
            }
            await gate.Task;
            return await call();
        }).ToArray();
        await allParked.Task;
        gate.SetResult();
        return await Task.WhenAll(running);
    }
}

/// <summary>Two portal instances on one database, as behind a load balancer (each with its own pools, caches and job server).</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public PortalFactory First { get; } = new();

    public PortalFactory Second { get; private set; } = null!;

    public Task InitializeAsync()
    {
        First.Start();
        // A rolling start: the second instance finds the database migrated and seeded by the first.
        Second = new PortalFactory(First.DataDirectory);
        Second.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
