using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Admin.Audit;

public sealed record AuditRow(long Id, DateTime AtUtc, string Actor, string Action, string EntityType, string? EntityId, string? Details);

public sealed class AuditQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>What is wrong with a page request, field by field.</summary>
    public static FieldProblems PageProblems(string? filter, int? page, int? pageSize, int maxPageSize)
    {
        var problems = new FieldProblems();
        if (page is < 0)
        {
            problems.Add("page", $"page counts from 0; it was {page}.");
        }
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            problems.Add("pageSize", $"pageSize is 1 to {maxPageSize}; it was {pageSize}.");
        }
        if (filter?.Length > 256)
        {
            problems.Add("filter", $"filter has at most 256 characters; it had {filter.Length}.");
        }
        return problems;
    }

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
