using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MerchantPortal.Web.Setup;

/// <summary>/health/live: the process answers. /health/ready: the database answers, a Hangfire server has a recent heartbeat, and an Admin exists (degraded otherwise).</summary>
public static class HealthSetup
{
    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"])
            .AddCheck<AdminPresenceHealthCheck>("admin", tags: ["ready"])
            .AddCheck<Features.Notifications.MessagingHealthCheck>("messaging", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
                });
            },
        }).AllowAnonymous();
        return endpoints;
    }
}

internal sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Database reachable.")
            : HealthCheckResult.Unhealthy("Database not reachable.");
    }
}

/// <summary>Degraded while no Admin exists: the portal runs, but nobody can manage users, keys or carrier accounts.</summary>
internal sealed class AdminPresenceHealthCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await AnyAdminAsync(dbFactory, cancellationToken)
            ? HealthCheckResult.Healthy("An Admin account exists.")
            : HealthCheckResult.Degraded("No Admin account exists: set Bootstrap:AdminEmail and Bootstrap:AdminPassword and restart.");

    public static async Task<bool> AnyAdminAsync(IDbContextFactory<PortalDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (from ur in db.UserRoles
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == Roles.Admin
                      select ur.UserId).AnyAsync(ct);
    }
}

internal sealed class HangfireHealthCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = storage.GetMonitoringApi().Servers();
        var now = clock.GetUtcNow().UtcDateTime;
        var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(2));
        return Task.FromResult(alive > 0
            ? HealthCheckResult.Healthy($"{alive} Hangfire server(s) with a recent heartbeat.")
            : HealthCheckResult.Unhealthy("No Hangfire server has sent a heartbeat in the last 2 minutes."));
    }
}
