using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>PUT /api/v1/orders/{orderNo}/email: the customer's e-mail, as the order page's "change e-mail".</summary>
public static class OrderContactEndpoints
{
    /// <param name="Email">An e-mail address (at most 256 characters); null or empty removes it (messages then go by SMS only).</param>
    public sealed record OrderEmailRequest(string? Email);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPut("/orders/{orderNo}/email", SetEmailAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .WithTags("Orders")
            .Produces<OrderDetail>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("SetOrderEmail")
            .WithSummary("Sets or removes the customer's e-mail on an order: where e-mail messages about it go. Written to its history (masked) and the audit log. 400 for a malformed address, 404 for an unknown order.");

    private static async Task<IResult> SetEmailAsync(string orderNo, OrderEmailRequest request, OrderContactService contact, OrderQueries queries,
        ClaimsPrincipal user, CancellationToken ct) =>
        await contact.SetEmailAsync(orderNo, request.Email, "api:" + (user.Identity?.Name ?? "key"), ct) switch
        {
            ContactOutcome.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = [$"\"{request.Email?.Trim()}\" is not an e-mail address (at most {OrderContactService.MaxEmailLength} characters)."] }),
            ContactOutcome.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Ok(await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct)),
        };
}
