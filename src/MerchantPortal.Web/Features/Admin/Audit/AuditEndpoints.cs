using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Admin.Audit;

/// <summary>/api/v1/audit: the audit log /admin/audit shows, for systems (Admin scope, as the page is Admin-only).</summary>
public static class AuditEndpoints
{
    public const int MaxPageSize = 200;

    /// <param name="Items">Newest first.</param>
    /// <param name="Total">Entries matching the filter, over all pages.</param>
    public sealed record AuditPage(IReadOnlyList<AuditRow> Items, int Total, int Page, int PageSize);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .WithTags("Admin")
            .Produces<AuditPage>().ProducesValidationProblem()
            .WithName("ListAuditEntries")
            .WithSummary("The audit log as /admin/audit shows it: newest first, page (from 0) of pageSize (1–200, default 50) entries; filter matches actor, action, entity type or id. 400 naming the parameter when one is out of range.");
    }

    private static async Task<IResult> ListAsync(string? filter, int? page, int? pageSize, AuditQueries queries, CancellationToken ct)
    {
        var problems = AuditQueries.PageProblems(filter, page, pageSize, MaxPageSize);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var (p, size) = (page ?? 0, pageSize ?? 50);
        // Skip is page × pageSize: beyond int range there is nothing to read anyway.
        if ((long)p * size > int.MaxValue)
        {
            return TypedResults.Ok(new AuditPage([], 0, p, size));
        }
        var (rows, total) = await queries.PageAsync(filter, p, size, ct);
        return TypedResults.Ok(new AuditPage(rows, total, p, size));
    }
}
