using Hangfire;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The one list of recurring jobs, with stable ids. Registering is AddOrUpdate by id, so every start of every
/// instance converges on the same set; ids that are no longer listed are removed. Hangfire's distributed lock
/// makes each occurrence run once across instances, and every job is safe to run twice regardless (R9).
/// </summary>
public sealed class RecurringJobsRegistry(IRecurringJobManager manager, ILogger<RecurringJobsRegistry> logger)
{
    /// <summary>Every recurring job of the portal. Features add theirs here, nowhere else.</summary>
    public static readonly IReadOnlyList<RecurringJobDefinition> Definitions =
    [
        new("maintenance:sweep", "maintenance", "*/2 * * * *", typeof(WorkSweeper)),
        new("maintenance:purge", "maintenance", "17 3 * * *", typeof(MaintenancePurgeJob)),
        // Every minute: the sweep itself is cheap when nothing is due (an index seek on NextCheckAtUtc).
        new("tracking:poll", "tracking", "* * * * *", typeof(Features.Tracking.TrackingPollJob)),
        new("returns:pickup-no-shows", "default", "*/15 * * * *", typeof(Features.Returns.PickupNoShowJob)),
        // KPIs are read in periods of days: five minutes behind is fresh enough, and a quiet run is two index seeks.
        new("kpis:rollup", "default", "*/5 * * * *", typeof(Features.Kpis.KpiRollup)),
        new("monitoring:scan", "default", "*/5 * * * *", typeof(Features.Monitoring.MonitoringScanJob)),
        new("notifications:dispatch", "default", "* * * * *", typeof(Features.Notifications.NotificationDispatcher)),
        // SMS delivery receipts: carriers report within minutes; five minutes late is fine for a "delivered" mark.
        new("notifications:sms-receipts", "default", "*/5 * * * *", typeof(Features.Notifications.SmsReceiptJob)),
        // Hourly: the test compares days-long windows, so a fresher run would only repeat the same answer.
        new("kpis:hub-alerts", "default", "23 * * * *", typeof(Features.Kpis.Hubs.HubAlertJob)),
    ];

    public void RegisterAll(IEnumerable<string>? existingIds = null)
    {
        foreach (var definition in Definitions)
        {
            var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
            switch (definition.JobType.Name)
            {
                case nameof(WorkSweeper):
                    manager.AddOrUpdate<WorkSweeper>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(MaintenancePurgeJob):
                    manager.AddOrUpdate<MaintenancePurgeJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Tracking.TrackingPollJob):
                    manager.AddOrUpdate<Features.Tracking.TrackingPollJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Returns.PickupNoShowJob):
                    manager.AddOrUpdate<Features.Returns.PickupNoShowJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Kpis.KpiRollup):
                    manager.AddOrUpdate<Features.Kpis.KpiRollup>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Monitoring.MonitoringScanJob):
                    manager.AddOrUpdate<Features.Monitoring.MonitoringScanJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Notifications.NotificationDispatcher):
                    manager.AddOrUpdate<Features.Notifications.NotificationDispatcher>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Notifications.SmsReceiptJob):
                    manager.AddOrUpdate<Features.Notifications.SmsReceiptJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                case nameof(Features.Kpis.Hubs.HubAlertJob):
                    manager.AddOrUpdate<Features.Kpis.Hubs.HubAlertJob>(definition.Id, definition.Queue, job => job.RunAsync(CancellationToken.None), definition.Cron, options);
                    break;
                default:
                    throw new InvalidOperationException($"Recurring job {definition.Id} has no registration.");
            }
        }
        foreach (var stale in (existingIds ?? []).Except(Definitions.Select(d => d.Id)))
        {
            logger.LogInformation("Removing recurring job {JobId}: it is no longer defined", stale);
            manager.RemoveIfExists(stale);
        }
    }
}

public sealed record RecurringJobDefinition(string Id, string Queue, string Cron, Type JobType);
