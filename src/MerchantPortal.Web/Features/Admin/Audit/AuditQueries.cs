using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Admin.Audit;

public sealed record AuditRow(long Id, DateTime AtUtc, string Actor, string Action, string EntityType, string? EntityId, string? Details);

public sealed class AuditQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Newest first. OFFSET paging is fine here: Admins read the recent pages, and the id index serves the order.</summary>
    public async Task<(IReadOnlyList<AuditRow> Rows, int Total)> PageAsync(string? filter, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var f = filter.Trim();
            query = query.Where(a => a.Actor.Contains(f) || a.Action.Contains(f) || a.EntityType.Contains(f) || (a.EntityId != null && a.EntityId.Contains(f)));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(a => a.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(a => new AuditRow(a.Id, a.AtUtc, a.Actor, a.Action, a.EntityType, a.EntityId, a.Details))
            .ToListAsync(ct);
        return (rows, total);
    }
}
