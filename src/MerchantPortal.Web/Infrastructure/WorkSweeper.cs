namespace MerchantPortal.Web.Infrastructure;

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
