using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Lookup;

/// <summary>/api/v1/lookup: the one search box of /lookup, for systems (a help desk or chat tool).</summary>
public static class LookupEndpoints
{
    public const int MaxQuery = OrderQueries.MaxLookup;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/lookup", LookupAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithTags("Orders")
            .Produces<IReadOnlyList<OrderRow>>().ProducesValidationProblem()
            .WithName("LookupOrders")
            .WithSummary("The /lookup search: up to 10 orders, newest first, matching an order number, tracking number, phone number (full-width digits accepted), receiver name, or \"name 1234\" (name plus the phone's last 4 digits). Phone and address masked unless the key has pii:read. 400 naming q when it is empty or over 100 characters.");
    }

    private static async Task<IResult> LookupAsync(string? q, OrderQueries queries, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = OrderQueries.LookupProblems(q);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        // Whole phones and addresses only for keys with pii:read, as every orders answer (R6, PiiApiTests).
        return TypedResults.Ok(await queries.LookupAsync(q, ApiScopes.SeesFullPii(user), ct: ct));
    }
}
