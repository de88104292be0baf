using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>合并发货 and 拆单 under /api/v1/orders, as the order page and the merge suggestions do them.</summary>
public static class OrderParcelEndpoints
{
    /// <param name="OrderNos">2 to 50 orders to one receiver; the oldest leads (its waybill carries all their lines).</param>
    public sealed record MergeRequest(string?[]? OrderNos);

    /// <param name="Parcels">2 to 20 parcels; every line's quantities over them add up to the line's quantity.</param>
    public sealed record SplitRequest(SplitParcel?[]? Parcels);

    public sealed record SplitParcel(SplitLine?[]? Lines);

    public sealed record SplitLine(int LineNo, int Quantity);

    public static void Map(RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");
        orders.MapGet("/merge-suggestions", SuggestionsAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<MergeSuggestion>>()
            .WithName("GetMergeSuggestions").WithSummary("Groups of open orders (PendingReview, Approved, OnHold; no waybill; not split; receiver not masked) of one shop to the very same receiver, phone and address: each could ship as one parcel (合并发货). isLead marks an order others already ship with.");
        orders.MapPost("/merge", MergeAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<OrderDetail>().ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status404NotFound)
            .WithName("MergeOrders").WithSummary("Merges 2 to 50 orders to one receiver into one parcel: the oldest leads and its one waybill carries every order's lines; the others follow it to Delivered. Answers the lead. 409 naming the order that cannot join (status, masked receiver, split, live waybill, another receiver or shop, merged elsewhere).");
        orders.MapPost("/{orderNo}/unmerge", UnmergeAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<OrderDetail>().ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status404NotFound)
            .WithName("UnmergeOrder").WithSummary("Takes a follower out of its merge, or (for the lead) undoes the whole merge; allowed until the lead's waybill. Answers the order.");
        orders.MapPost("/{orderNo}/split", SplitAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<OrderDetail>().ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status404NotFound)
            .WithName("SplitOrder").WithSummary("Splits an order into 2 to 20 parcels (拆单), each with its own waybill and tracking; the order is Delivered when all are. 400 naming the line whose quantities do not add up or the empty parcel; 409 after a waybill or for a merged order.");
        orders.MapPost("/{orderNo}/unsplit", UnsplitAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .Produces<OrderDetail>().ProducesValidationProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status404NotFound)
            .WithName("UnsplitOrder").WithSummary("Ships a split order whole again; 409 once any parcel has a live waybill.");
    }

    private static async Task<IResult> SuggestionsAsync(OrderParcelService parcels, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await parcels.SuggestionsAsync(fullPii: ApiScopes.SeesFullPii(user), ct: ct));

    private static async Task<IResult> MergeAsync(MergeRequest request, OrderParcelService parcels, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        var numbers = (request.OrderNos ?? []).Select(n => n?.Trim() ?? "").ToList();
        if (numbers.FindIndex(n => n.Length is 0 or > 64) is var bad and >= 0)
        {
            return FieldProblems.Of($"orderNos[{bad}]", "An order number has 1 to 64 characters.").ToResult();
        }
        var result = await parcels.MergeAsync(numbers, Actor.OfApiKey(user), ct);
        return result.Outcome == ParcelChangeOutcome.Done
            ? TypedResults.Ok(await queries.GetAsync(result.LeadOrderNo!, ApiScopes.SeesFullPii(user), ct))
            : result.ToResult(() => TypedResults.NoContent());
    }

    private static async Task<IResult> UnmergeAsync(string orderNo, OrderParcelService parcels, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await AnswerAsync(await parcels.UnmergeAsync(orderNo, Actor.OfApiKey(user), ct), orderNo, queries, user, ct);

    private static async Task<IResult> SplitAsync(string orderNo, SplitRequest request, OrderParcelService parcels, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        var list = request.Parcels ?? [];
        if (list.Length > ParcelRules.MaxParcels * 5 || list.Any(p => (p?.Lines?.Length ?? 0) > 1000))
        {
            return FieldProblems.Of("parcels", $"A split has {ParcelRules.MinParcels} to {ParcelRules.MaxParcels} parcels.").ToResult();
        }
        IReadOnlyList<IReadOnlyList<ParcelLineRequest>> split = [.. list.Select(p => (IReadOnlyList<ParcelLineRequest>)[.. (p?.Lines ?? []).Where(l => l is not null).Select(l => new ParcelLineRequest(l!.LineNo, l.Quantity))])];
        return await AnswerAsync(await parcels.SplitAsync(orderNo, split, Actor.OfApiKey(user), ct), orderNo, queries, user, ct);
    }

    private static async Task<IResult> UnsplitAsync(string orderNo, OrderParcelService parcels, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await AnswerAsync(await parcels.UnsplitAsync(orderNo, Actor.OfApiKey(user), ct), orderNo, queries, user, ct);

    private static async Task<IResult> AnswerAsync(ParcelChange result, string orderNo, OrderQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        result.Outcome == ParcelChangeOutcome.Done
            ? TypedResults.Ok(await queries.GetAsync(orderNo.Trim(), ApiScopes.SeesFullPii(user), ct))
            : result.ToResult(() => TypedResults.NoContent());
}
