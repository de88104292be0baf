using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>
/// One pass of the print queue: queue the labels of finished batches (<see cref="PrintQueueSweep"/>), then send what
/// is due (<see cref="PrintSender"/>). Run by the recurring job "printing:queue" every minute on whichever instance
/// Hangfire picks, and by <see cref="PrintQueuePoller"/> every few seconds in each instance, so a batch's labels start
/// printing within seconds of it finishing without the waybill engine knowing about printers. Both may run at once:
/// the sweep's serializable check and the sender's leases make a second run a no-op.
/// </summary>
public sealed class PrintQueueJob(PrintQueueSweep sweep, PrintSender sender)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await sweep.QueueFinishedBatchesAsync(ct);
        await sender.SendDueAsync(ct);
    }
}

/// <summary>The in-process poller (Printing:PollInterval); one pass at a time per instance.</summary>
public sealed class PrintQueuePoller(IServiceScopeFactory scopes, IOptions<PrintingOptions> options, ILogger<PrintQueuePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PollerEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<PrintQueueJob>().RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database may be briefly unavailable; the next tick (or the recurring job) tries again.
                    logger.LogWarning(e, "Print queue pass failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
