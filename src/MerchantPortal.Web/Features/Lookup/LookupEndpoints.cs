using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Lookup;

/// <summary>/api/v1/lookup: the one search box of /lookup, for systems (a help desk or chat tool).</summary>
public static class LookupEndpoints
{
    public const int MaxQuery = OrderQueries.MaxLookup;

    /// <summary>Set to "true" when more orders matched than the answer lists (a short prefix): type more to narrow it.</summary>
    public const string CappedHeader = "X-Lookup-Capped";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/lookup", LookupAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithTags("Orders")
            .Produces<IReadOnlyList<OrderRow>>().ProducesValidationProblem()
            .WithName("LookupOrders")
            .WithSummary("The /lookup search: up to 10 orders matching an order number, tracking number, phone number (full-width digits accepted), the phone's last 4 digits, receiver name, \"name 1234\" or \"name1234\" (name plus the phone's last digits), or the start of an order or tracking number (4 characters or more). Exact matches come first, newest first, then numbers that start with q in number order. When more orders match than are returned, the response carries the header " + CappedHeader + ": true. Phone and address masked unless the key has pii:read. 400 naming q when it is empty or over 100 characters.");
    }

    private static async Task<IResult> LookupAsync(string? q, OrderQueries queries, System.Security.Claims.ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        var problems = OrderQueries.LookupProblems(q);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        // Whole phones and addresses only for keys with pii:read, as every orders answer (R6, PiiApiTests).
        var result = await queries.LookupWithCapAsync(q, ApiScopes.SeesFullPii(user), ct: ct);
        if (result.Capped)
        {
            http.Response.Headers[CappedHeader] = "true";
        }
        return TypedResults.Ok(result.Items);
    }
}
