using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Run a Hangfire server in this process (every instance does in production; tests may turn it off).</summary>
    public bool RunServer { get; set; } = true;
    [System.ComponentModel.DataAnnotations.Range(1, 1000, ErrorMessage = "Jobs:WorkerCount must be between 1 and 1000.")]
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 4);
    /// <summary>How often idle workers look for new jobs in the SQLite storage.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Jobs:QueuePollInterval must be between 10 ms and 1 hour.")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Hangfire storage chosen in one place (docs/engineering.md): Hangfire.SqlServer next to SQL Server, Hangfire.PostgreSql
/// (its own "hangfire" schema) next to PostgreSQL, Hangfire.Storage.SQLite in
/// its own file next to the SQLite database (ADR 0003). Application code only sees IBackgroundJobClient and
/// IRecurringJobManager. Rule for every job: take ids, check-then-act-then-mark, safe to run twice and safe to
/// lose; the portal's tables say what work is left and <see cref="WorkSweeper"/> re-enqueues it.
/// </summary>
public static class JobsSetup
{
    public static readonly string[] Queues = ["critical", "default", "tracking", "maintenance"];

    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Whether this process runs a server, and with how many workers, shapes the registrations: read and checked now.
        var jobs = configuration.GetValidated<JobsOptions>(JobsOptions.Section);
        var database = configuration.GetValidated<DatabaseOptions>(DatabaseOptions.Section);
        services.AddValidatedOptions<JobsOptions>(configuration, JobsOptions.Section);

        // The storage is this container's own singleton, registered before AddHangfire (whose TryAdd then keeps it).
        // Hangfire's default registration hands out the process-global JobStorage.Current, so with two hosts in one
        // process (the sandbox-only host, the test suite's portals) one host could end up using — and disposing —
        // the other's storage.
        services.AddSingleton<JobStorage>(_ => CreateStorage(configuration, database, jobs, contentRoot));
        services.AddSingleton<JobGate>();
        // Each host activates jobs from its own container. Hangfire's registration would hand out the process-global
        // JobActivator.Current as it is when the server is built, which is the last host that configured Hangfire:
        // with several hosts starting at once (the test suite), a portal's jobs ran in another portal's container,
        // against the other database, and its waybill batch stayed Queued (a clean-clone CI run; JobActivatorTests).
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) =>
        {
            config.UseLogProvider(new SafeHangfireLogProvider(provider.GetRequiredService<ILoggerFactory>()));
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(provider.GetRequiredService<JobStorage>());
        });

        if (jobs.RunServer)
        {
            services.AddHangfireServer((provider, options) =>
            {
                options.Activator = provider.GetRequiredService<JobActivator>();
                options.WorkerCount = jobs.WorkerCount;
                options.Queues = Queues;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        services.AddSingleton<RecurringJobsRegistry>();
        services.AddSingleton<WorkSweeper>();
        services.AddRecurringJob<WorkSweeper>("maintenance:sweep", "maintenance", "*/2 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddRecurringJob<MaintenancePurgeJob>("maintenance:purge", "maintenance", "17 3 * * *", job => job.RunAsync(CancellationToken.None));
        return services;
    }

    private static JobStorage CreateStorage(IConfiguration configuration, DatabaseOptions database, JobsOptions jobs, string contentRoot)
    {
        if (database.Provider == DatabaseProvider.SqlServer)
        {
            var connection = configuration.GetConnectionString("Hangfire") ?? database.ConnectionString ?? configuration.GetConnectionString("Portal")
                ?? throw new InvalidOperationException("Hangfire on SQL Server needs ConnectionStrings:Hangfire or the portal's connection string.");
            return new SqlServerStorage(connection, new SqlServerStorageOptions
            {
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.Zero,
                SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                DisableGlobalLocks = true,
            });
        }
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var connection = configuration.GetConnectionString("Hangfire") ?? database.ConnectionString ?? configuration.GetConnectionString("Portal")
                ?? throw new InvalidOperationException("Hangfire on PostgreSQL needs ConnectionStrings:Hangfire or the portal's connection string.");
            var options = new PostgreSqlStorageOptions
            {
                PrepareSchemaIfNecessary = true,
                // Idle workers wait on the queue table; a short poll keeps a batch's first job from waiting a second.
                QueuePollInterval = jobs.QueuePollInterval,
                // A job whose worker died (SIGKILL) becomes visible again after this long; a running job keeps renewing it.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connection, options), options);
        }
        var file = Path.Combine(database.ResolveDataDirectory(contentRoot), "hangfire.db");
        return CreateSqliteStorage(file, new SQLiteStorageOptions
        {
            QueuePollInterval = jobs.QueuePollInterval,
            // A job whose worker died (SIGKILL) becomes visible again after this long.
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            DistributedLockLifetime = TimeSpan.FromSeconds(30),
        });
    }

    /// <summary>
    /// The embedded storage with our own connection factory, only to open each connection in serialized mode
    /// (FullMutex): the storage's default opens them NoMutex, yet a distributed lock's heartbeat timer writes on the
    /// same pooled connection its owner keeps using (Hangfire's recurring and delayed schedulers work inside their
    /// lock), and SQLite does not allow two threads on one NoMutex connection at once. The busy timeout is the
    /// storage's default.
    /// </summary>
    internal static SQLiteStorage CreateSqliteStorage(string file, SQLiteStorageOptions options) =>
        new(new SQLiteDbConnectionFactory(() => new SQLite.SQLiteConnection(file,
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.FullMutex, storeDateTimeAsTicks: true)
        {
            BusyTimeout = TimeSpan.FromSeconds(10),
        }), options);
}
