using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// PUT /api/v1/orders/{orderNo}/address: the waybill pages' "fix" of a flagged order (receiver, address, weight) for
/// systems, so an order that failed pre-flight or the carrier's address check can be corrected and retried without
/// the portal. Same service as the pages (<see cref="OrderAddressService.FixAsync"/>), so the same checks,
/// history and audit.
/// </summary>
public static class OrderAddressEndpoints
{
    /// <param name="ReceiverName">1–100 characters.</param>
    /// <param name="ReceiverPhone">A mobile (11 digits starting with 1; +86, spaces and dashes allowed) or a landline.</param>
    /// <param name="Province">A province of mainland China, full or short (浙江省 or 浙江); stored by its full name.</param>
    /// <param name="City">At most 50 characters; empty for a municipality (北京市) takes the province's name.</param>
    /// <param name="District">At most 50 characters.</param>
    /// <param name="AddressDetail">Street and number, 1–300 characters.</param>
    /// <param name="WeightKg">0 to 10000.</param>
    public sealed record OrderAddressRequest(string? ReceiverName, string? ReceiverPhone, string? Province, string? City, string? District, string? AddressDetail, decimal? WeightKg);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/orders/{orderNo}/address", FixAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .WithTags("Orders")
            .Produces<OrderDetail>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("FixOrderAddress")
            .WithSummary("Corrects an order's receiver, address and weight before its waybill is issued (written to its history and the audit log), as the fix form of the waybill pages; then retry the batch item or start a batch. 400 naming each refused field; 404 for an unknown order; 409 when it already has a live waybill.");
    }

    private static async Task<IResult> FixAsync(string orderNo, OrderAddressRequest request, OrderAddressService addresses, OrderQueries queries,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (orderNo.Length > 64)
        {
            return FieldProblems.Of("orderNo", "orderNo has at most 64 characters.").ToResult();
        }
        if (request.WeightKg is null)
        {
            return FieldProblems.Of("weightKg", "weightKg is required, 0 to 10000.").ToResult();
        }
        var fix = new OrderFix(orderNo, request.ReceiverName ?? "", request.ReceiverPhone ?? "", request.Province ?? "", request.City ?? "", request.District ?? "",
            request.AddressDetail ?? "", request.WeightKg.Value);
        var result = await addresses.FixAsync(fix, Actor.OfApiKey(user), ct);
        return result.Outcome switch
        {
            FixOutcome.Invalid => new FieldProblems(result.Problems).ToResult(),
            FixOutcome.NotFound => TypedResults.NotFound(),
            FixOutcome.HasWaybill => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The order has a waybill",
                detail: $"Order {orderNo} has a live waybill with this address on its label; void the waybill first to change the address."),
            _ => TypedResults.Ok(await queries.GetAsync(orderNo, ApiScopes.SeesFullPii(user), ct)),
        };
    }
}
