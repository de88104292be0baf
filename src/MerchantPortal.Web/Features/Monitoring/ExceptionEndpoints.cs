using System.ComponentModel.DataAnnotations;
using MerchantPortal.Web.Setup;

namespace MerchantPortal.Web.Features.Monitoring;

public static class ExceptionEndpoints
{
    public sealed record ResolveRequest([property: StringLength(1000)] string? Resolution = null);

    public sealed record CasePage(IReadOnlyList<CaseRow> Items, long? NextAfterId);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/exceptions").WithTags("Exceptions");

        group.MapGet("/", async (CaseStatus? status, ExceptionType? type, string? carrier, string? assignee, long? afterId, int? limit,
                ExceptionQueries queries, CancellationToken ct) =>
            {
                var take = Math.Clamp(limit ?? 50, 1, 500);
                var rows = await queries.ListAsync(new CaseFilter(status, type, carrier, assignee, IncludeResolved: false), afterId, take + 1, ct);
                var page = rows.Take(take).ToList();
                return TypedResults.Ok(new CasePage(page, rows.Count > take ? page[^1].Id : null));
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsRead))
            .WithName("ListExceptions")
            .WithSummary("Exception cases, newest first. Without status: the open queue (Open and InProgress). Keyset paging: pass nextAfterId as afterId. assignee=\"\" lists unassigned cases.")
            .Produces<CasePage>();

        group.MapPost("/{id:long}/resolve", async Task<IResult> (long id, ResolveRequest? request, ExceptionService service, HttpContext http, CancellationToken ct) =>
            {
                var actor = "api:" + (http.User.Identity?.Name ?? "key");
                return await service.ResolveAsync(id, request?.Resolution, actor, ct) switch
                {
                    CaseActionOutcome.Done => TypedResults.NoContent(),
                    CaseActionOutcome.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already resolved"),
                    // A body of its own: an empty 404 would be re-executed by the status-code pages as POST /not-found.
                    _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No exception case has this id"),
                };
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ExceptionsWrite))
            .WithName("ResolveException")
            .WithSummary("Resolves an open exception case with an optional resolution note (audited). 409 when it is already resolved.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
