using System.Linq.Expressions;
using Hangfire;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// One recurring job: its stable id, queue, cron (UTC) and how Hangfire adds or updates it. Modules add theirs with
/// <see cref="RecurringJobRegistration.AddRecurringJob{TJob}"/> beside their other services.
/// </summary>
public sealed record RecurringJobDefinition(string Id, string Queue, string Cron, Type JobType, Action<IRecurringJobManager, RecurringJobOptions> AddOrUpdate);

public static class RecurringJobRegistration
{
    /// <summary>
    /// Declares a recurring job. The id is what every instance converges on at start (AddOrUpdate by id), so it must
    /// never change once deployed; the job type is activated from this host's container when it runs.
    /// </summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, string queue, string cron, Expression<Func<TJob, Task>> run)
        where TJob : class
    {
        services.AddSingleton(new RecurringJobDefinition(id, queue, cron, typeof(TJob), (manager, options) => manager.AddOrUpdate(id, queue, run, cron, options)));
        return services;
    }
}

/// <summary>
/// Every recurring job the modules declared, registered with Hangfire at start. Registering is AddOrUpdate by id, so
/// every start of every instance converges on the same set; ids that are no longer declared are removed. Hangfire's
/// distributed lock makes each occurrence run once across instances, and every job is safe to run twice regardless (R9).
/// </summary>
public sealed class RecurringJobsRegistry
{
    private readonly IRecurringJobManager manager;
    private readonly ILogger<RecurringJobsRegistry> logger;

    public RecurringJobsRegistry(IEnumerable<RecurringJobDefinition> definitions, IRecurringJobManager manager, ILogger<RecurringJobsRegistry> logger)
    {
        Definitions = definitions.ToList();
        var duplicate = Definitions.GroupBy(d => d.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            // Two jobs under one id would silently overwrite each other in Hangfire.
            throw new InvalidOperationException($"Recurring job {duplicate.Key} is declared {duplicate.Count()} times: {string.Join(", ", duplicate.Select(d => d.JobType.Name))}.");
        }
        this.manager = manager;
        this.logger = logger;
    }

    public IReadOnlyList<RecurringJobDefinition> Definitions { get; }

    public void RegisterAll(IEnumerable<string>? existingIds = null)
    {
        foreach (var definition in Definitions)
        {
            definition.AddOrUpdate(manager, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        foreach (var stale in (existingIds ?? []).Except(Definitions.Select(d => d.Id)))
        {
            logger.LogInformation("Removing recurring job {JobId}: it is no longer defined", stale);
            manager.RemoveIfExists(stale);
        }
    }
}
