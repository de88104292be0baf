using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Kpis;

public static class SlaRuleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sla-rules").WithTags("KPIs");
        group.MapGet("/", ListAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<SlaRuleView>>()
            .WithName("ListSlaRules").WithSummary("Promised delivery days per carrier and lane (empty province = any); the most specific rule wins.");
        group.MapPost("/", CreateAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<SlaRuleView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("CreateSlaRule").WithSummary("Adds an SLA rule; promises of shipments registered from now on use it.");
        group.MapPut("/{id:int}", UpdateAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<SlaRuleView>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("UpdateSlaRule").WithSummary("Changes an SLA rule.");
        group.MapDelete("/{id:int}", DeleteAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status404NotFound)
            .WithName("DeleteSlaRule").WithSummary("Removes an SLA rule.");
    }

    private static async Task<IReadOnlyList<SlaRuleView>> ListAsync(SlaRuleService service, CancellationToken ct) => await service.ListAsync(ct);

    private static Task<IResult> CreateAsync(SlaRuleInput input, SlaRuleService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(null, input, service, user, ct);

    private static Task<IResult> UpdateAsync(int id, SlaRuleInput input, SlaRuleService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(id, input, service, user, ct);

    private static async Task<IResult> DeleteAsync(int id, SlaRuleService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.DeleteAsync(id, Actor.OfUser(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<IResult> SaveAsync(int? id, SlaRuleInput input, SlaRuleService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var saved = await service.SaveAsync(id, input, Actor.OfUser(user), ct);
            return id is null ? TypedResults.Created($"/api/v1/sla-rules/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (SlaRuleValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }
}
