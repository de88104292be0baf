namespace MerchantPortal.Web.Setup;

/// <summary>
/// Something that finds unfinished work in the portal's tables and enqueues it again (a batch whose job was lost
/// in a crash, an outbox row never sent). Implementations are idempotent: they only enqueue work the database
/// says is still open, and the jobs they enqueue check again before acting.
/// </summary>
public interface IWorkSource
{
    string Name { get; }
    Task<int> RequeueUnfinishedAsync(CancellationToken ct);
}

/// <summary>Runs every registered <see cref="IWorkSource"/>; also run once at start-up.</summary>
public sealed class WorkSweeper(IEnumerable<IWorkSource> sources, JobGate gate, ILogger<WorkSweeper> logger)
{
    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter("maintenance:sweep");
        if (held is null)
        {
            return;
        }
        foreach (var source in sources)
        {
            try
            {
                var count = await source.RequeueUnfinishedAsync(ct);
                if (count > 0)
                {
                    logger.LogInformation("Sweeper re-enqueued {Count} unfinished item(s) of {Source}", count, source.Name);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken source must not stop the others; the next sweep tries again.
                logger.LogError(ex, "Sweeper failed for {Source}", source.Name);
            }
        }
    }
}
