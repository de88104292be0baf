using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>Deletes idempotency records past their retention. Deleting by date is naturally safe to run twice.</summary>
public sealed class MaintenancePurgeJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<MaintenancePurgeJob> logger)
{
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromDays(7);

    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cutoff = clock.GetUtcNow().UtcDateTime - IdempotencyRetention;
        var removed = await db.Set<IdempotencyRecord>().Where(r => r.CreatedAtUtc < cutoff).ExecuteDeleteAsync(ct);
        logger.LogInformation("Purged {Count} idempotency record(s) older than {Cutoff:u}", removed, cutoff);
    }
}
