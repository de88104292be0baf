using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantPortal.Web.Setup;

public static class DataSetup
{
    /// <summary>
    /// Registers the context factory for the configured provider. Everything that builds a context (the app,
    /// tests, tools) must come through here: Identity's part of the EF model depends on IdentityOptions, and EF
    /// caches one model per context type, so a context built with other options poisons later ones.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // The provider decides which context and migrations are registered, so it is read and checked now.
        var options = configuration.GetValidated<DatabaseOptions>(DatabaseOptions.Section);
        services.AddValidatedOptions<DatabaseOptions>(configuration, DatabaseOptions.Section);
        services.Configure<IdentityOptions>(IdentitySetup.ConfigureStoreOptions);

        switch (options.Provider)
        {
            case DatabaseProvider.SqlServer:
                var sqlServer = options.ConnectionString ?? configuration.GetConnectionString("Portal")
                    ?? throw new InvalidOperationException("Database:Provider is SqlServer but neither Database:ConnectionString nor ConnectionStrings:Portal is set.");
                // No EF retrying execution strategy: it refuses user-initiated transactions, and the portal's writes use
                // them on purpose (a change and its history, audit and outbox rows commit together). Transient faults are
                // retried one level up instead: jobs by Hangfire and the sweepers, API calls by their (idempotent)
                // callers, UI actions by the user after a clear error. SqlClient still reconnects dropped idle
                // connections itself (ConnectRetryCount). See docs/operations.md.
                // The provider's default strategy does not retry either, but it wraps an error it deems transient (a
                // deadlock victim, a serialization failure) in an InvalidOperationException; the plain one lets the
                // DbException through to the code that expects it (a racing change is refused or re-read, not a 500).
                services.AddDbContextFactory<SqlServerPortalDbContext>(o => o.UseSqlServer(sqlServer, s => s.ExecutionStrategy(d => new NonRetryingExecutionStrategy(d))));
                services.AddPortalContextAlias<SqlServerPortalDbContext>();
                break;
            case DatabaseProvider.PostgreSql:
                var postgres = options.ConnectionString ?? configuration.GetConnectionString("Portal")
                    ?? throw new InvalidOperationException("Database:Provider is PostgreSql but neither Database:ConnectionString nor ConnectionStrings:Portal is set.");
                PostgreSqlTimestamps.Use();
                // As on SQL Server: no retrying strategy, and no wrapping of serialization failures (40001) either.
                services.AddDbContextFactory<PostgreSqlPortalDbContext>(o => o.UseNpgsql(postgres, n => n.ExecutionStrategy(d => new NonRetryingExecutionStrategy(d))));
                services.AddPortalContextAlias<PostgreSqlPortalDbContext>();
                break;
            default:
                var sqlite = options.SqliteConnectionString(contentRoot);
                services.AddDbContextFactory<SqlitePortalDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmaInterceptor()));
                services.AddPortalContextAlias<SqlitePortalDbContext>();
                break;
        }
        // Data Protection keys live in the portal's database so every instance shares them (cookies, antiforgery,
        // encrypted carrier secrets). Production should also wrap them with ProtectKeysWith* (docs/operations.md).
        services.AddDataProtection()
            .SetApplicationName("MerchantPortal")
            .PersistKeysToDbContext<PortalDbContext>();
        return services;
    }

    private static void AddPortalContextAlias<TContext>(this IServiceCollection services) where TContext : PortalDbContext
    {
        services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => new PortalDbContextFactory<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
        // Identity's stores need a scoped context; AddDbContextFactory registered the derived one.
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<TContext>());
    }

    private sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
