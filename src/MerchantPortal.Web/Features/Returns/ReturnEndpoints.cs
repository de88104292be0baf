using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Returns;

public static class ReturnEndpoints
{
    public sealed record ReturnLineRequest([property: Required, StringLength(64)] string Sku, int Quantity);

    public sealed record CreateReturnRequest(
        [property: Required, StringLength(64)] string OrderNo,
        [property: Required] IReadOnlyList<ReturnLineRequest> Lines,
        ReturnReason Reason,
        ReturnResolution Resolution,
        [property: StringLength(500)] string? ReasonText = null,
        [property: StringLength(256)] string? Email = null);

    public sealed record AddressRequest(string? Name, string? Phone, string? Province, string? City, string? District, string? Address);

    /// <param name="Address">Omitted = the order's ship-to address.</param>
    /// <param name="CarrierAccountId">Omitted = the warehouse's default account, else the portal's default.</param>
    public sealed record BookPickupRequest(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, AddressRequest? Address = null, int? CarrierAccountId = null);

    public sealed record CreatedReturn(long Id, string RmaNo, ReturnStatus Status);

    public sealed record PickupResponse(string OrderCode, string? PickupCode, string? TrackingNo, string ShipperCode, PickupStatus Status,
        DateTime WindowStart, DateTime WindowEnd, string? CourierName, string? CourierPhone, bool AlreadyBooked);

    public sealed record ReturnResponse(long Id, string RmaNo, string OrderNo, ReturnStatus Status, string? StatusReason, ReturnReason Reason, string? ReasonText,
        ReturnResolution Resolution, decimal Amount, IReadOnlyList<ReturnLineView> Lines, PickupView? Pickup, Tracking.ShipmentSummary? Shipment,
        IReadOnlyList<RefundView> Refunds, DateTime CreatedAt, IReadOnlyList<PhotoView> Photos);

    /// <param name="NextOffset">Pass back as offset for the next page; null on the last page.</param>
    public sealed record ReturnPage(IReadOnlyList<ReturnRow> Items, int Total, int? NextOffset);

    /// <param name="Reason">Why, shown on the return and sent in the webhook; required, as on the page (at most 500 characters).</param>
    public sealed record RejectReturnRequest([property: StringLength(500)] string? Reason);

    /// <summary>The page's search field takes at most this many characters.</summary>
    public const int MaxSearchLength = ReturnQueries.MaxSearchLength;

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var returns = api.MapGroup("/returns").WithTags("Returns");
        MapReturns(returns);
        MapDecisions(returns);
        // Browser download (cookie auth) of a return photo.
        app.MapGet("/returns/{id:long}/photos/{photoId:long}", PhotoAsync).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
    }

    private static void MapReturns(RouteGroupBuilder returns)
    {
        returns.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("CreateReturn").WithSummary("Opens a return for lines of a shipped order; never more than shipped minus earlier returns. Approved at once when the Admin's rules say so.")
          .Produces<CreatedReturn>(StatusCodes.Status201Created).ProducesValidationProblem();

        returns.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
            .WithName("ListReturns")
            .WithSummary("Returns as /returns lists them (newest first), filtered by status and by search (an exact RMA or order number). Offset paging with the total: pass nextOffset as offset; limit 1–500 (clamped), default 50.")
            .Produces<ReturnPage>().ProducesValidationProblem();

        returns.MapGet("/{id:long}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
            .WithName("GetReturn").WithSummary("A return with its lines, current pickup, return parcel and refunds; the pickup phone and address masked unless the key has pii:read.")
            .Produces<ReturnResponse>().Produces(StatusCodes.Status404NotFound);

        returns.MapPost("/{id:long}/pickup", BookPickupAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("BookReturnPickup").WithSummary("Books a courier pickup (1801) for an approved return. A repeat while a pickup is booked answers 200 with that pickup, never a second courier.")
          .Produces<PickupResponse>(StatusCodes.Status201Created).Produces<PickupResponse>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound);

        returns.MapDelete("/{id:long}/pickup", CancelPickupAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("CancelReturnPickup").WithSummary("Cancels the booked pickup (1802) so it can be rebooked. 404 for an unknown return; 409 when it has no booked pickup, the courier has collected the parcel or the carrier refused; 503 when the carrier could not be reached (the pickup is still booked: try again).")
          .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem(StatusCodes.Status409Conflict)
          .ProducesValidationProblem(StatusCodes.Status503ServiceUnavailable).Produces(StatusCodes.Status404NotFound);
    }

    private static void MapDecisions(RouteGroupBuilder returns)
    {
        returns.MapPost("/{id:long}/approve", ApproveAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
            .WithName("ApproveReturn").WithSummary("Approves a requested return, as the detail page's Approve button; 409 when the return is no longer Requested.")
            .Produces<ReturnResponse>().ProducesValidationProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound);

        returns.MapPost("/{id:long}/reject", RejectAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
            .WithName("RejectReturn").WithSummary("Rejects a requested return with a reason (required, at most 500 characters), as the detail page does; its goods can be returned again. 409 when the return is no longer Requested.")
            .Produces<ReturnResponse>().ProducesValidationProblem().ProducesValidationProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound);

        returns.MapPost("/{id:long}/cancel", CancelAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
            .WithName("CancelReturn").WithSummary("Cancels a requested or approved return, as the detail page does (a booked pickup is cancelled first: DELETE …/pickup); 409 in any other state.")
            .Produces<ReturnResponse>().ProducesValidationProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(CreateReturnRequest request, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await service.CreateAsync(new NewReturn(request.OrderNo ?? "", [.. (request.Lines ?? []).Select(l => new NewReturnLine(l.Sku, l.Quantity))],
            request.Reason, request.ReasonText, request.Resolution, request.Email), Actor.OfApiKey(user), ct);
        if (!outcome.Ok)
        {
            return Problem(outcome.Problems);
        }
        var detail = (await queries.GetAsync(outcome.Id!.Value, ApiScopes.SeesFullPii(user), ct))!;
        return TypedResults.Created($"/api/v1/returns/{outcome.Id}", new CreatedReturn(outcome.Id.Value, detail.Return.RmaNo, detail.Return.Status));
    }

    private static async Task<IResult> ListAsync(ReturnStatus? status, string? search, int? offset, int? limit, ReturnQueries queries, CancellationToken ct)
    {
        var problems = ReturnQueries.ListProblems(status, search, offset);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var skip = offset ?? 0;
        var (items, total) = await queries.ListAsync(status, search, skip, Math.Clamp(limit ?? 50, 1, 500), ct);
        return TypedResults.Ok(new ReturnPage(items, total, skip + items.Count < total ? skip + items.Count : null));
    }

    private static async Task<IResult> GetAsync(long id, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await queries.GetAsync(id, ApiScopes.SeesFullPii(user), ct) is { } d ? TypedResults.Ok(Response(d)) : TypedResults.NotFound();

    private static async Task<IResult> BookPickupAsync(long id, BookPickupRequest request, PickupService pickups, ClaimsPrincipal user, CancellationToken ct)
    {
        var a = request.Address;
        var address = a is null ? null : new PickupAddress(a.Name ?? "", a.Phone ?? "", a.Province ?? "", a.City ?? "", a.District ?? "", a.Address ?? "");
        var outcome = await pickups.BookAsync(id, new PickupInput(request.WindowStart.UtcDateTime, request.WindowEnd.UtcDateTime, address, request.CarrierAccountId), Actor.OfApiKey(user), ct);
        if (!outcome.Ok)
        {
            return outcome.Problems[0].Code == "NotFound" ? TypedResults.NotFound()
                : Problem(outcome.Problems, StateCodes.Contains(outcome.Problems[0].Code) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        var p = outcome.Pickup!;
        var body = new PickupResponse(p.OrderCode, p.PickupCode, p.TrackingNo, p.ShipperCode, p.Status, p.WindowStartUtc, p.WindowEndUtc, p.CourierName, p.CourierPhone, outcome.AlreadyBooked);
        return outcome.AlreadyBooked ? TypedResults.Ok(body) : TypedResults.Created($"/api/v1/returns/{id}", body);
    }

    private static async Task<IResult> CancelPickupAsync(long id, PickupService pickups, ClaimsPrincipal user, CancellationToken ct)
    {
        var outcome = await pickups.CancelAsync(id, Actor.OfApiKey(user), ct);
        return outcome.Ok ? TypedResults.NoContent() : outcome.Problems[0].Code switch
        {
            "NotFound" => TypedResults.NotFound(),
            // Nothing changed and the pickup is still booked: the caller may simply try again.
            "CancelCarrierUnavailable" => Problem(outcome.Problems, StatusCodes.Status503ServiceUnavailable),
            _ => Problem(outcome.Problems, StatusCodes.Status409Conflict),
        };
    }

    private static async Task<IResult> ApproveAsync(long id, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await Decided(await service.ApproveAsync(id, Actor.OfApiKey(user), ct), id, queries, user, ct);

    private static async Task<IResult> RejectAsync(long id, RejectReturnRequest request, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await Decided(await service.RejectAsync(id, request.Reason ?? "", Actor.OfApiKey(user), ct), id, queries, user, ct);

    private static async Task<IResult> CancelAsync(long id, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        await Decided(await service.CancelAsync(id, Actor.OfApiKey(user), ct), id, queries, user, ct);

    private static async Task<IResult> PhotoAsync(long id, long photoId, ReturnQueries queries, CancellationToken ct) =>
        await queries.PhotoAsync(id, photoId, ct) is { } photo ? TypedResults.File(photo.Content, photo.ContentType) : TypedResults.NotFound();

    /// <summary>Refusals that come from the return's state, not from the input.</summary>
    private static readonly HashSet<string> StateCodes = ["PickupNeedsApproval", "BookingInProgress", "CarrierRefused", "CarrierUnavailable", "WrongStatus", "Changed"];

    /// <summary>The answer to approve, reject and cancel: the return as it is now, or 404 / 400 / 409 from the service's problem.</summary>
    private static async Task<IResult> Decided(ReturnOutcome outcome, long id, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!outcome.Ok)
        {
            return outcome.Problems[0].Code == "NotFound" ? TypedResults.NotFound()
                : Problem(outcome.Problems, StateCodes.Contains(outcome.Problems[0].Code) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        return await queries.GetAsync(id, ApiScopes.SeesFullPii(user), ct) is { } d ? TypedResults.Ok(Response(d)) : TypedResults.NotFound();
    }

    /// <summary>Problem details naming each field; 409 when the state (not the input) refuses the action.</summary>
    private static IResult Problem(IReadOnlyList<FieldProblem> problems, int status = StatusCodes.Status400BadRequest) =>
        new FieldProblems(problems).ToResult(status, title: status switch
        {
            StatusCodes.Status409Conflict => "The action is not possible now",
            StatusCodes.Status503ServiceUnavailable => "The carrier could not be reached",
            _ => "One or more fields are invalid",
        });

    private static ReturnResponse Response(ReturnDetail d) => new(d.Return.Id, d.Return.RmaNo, d.Return.OrderNo, d.Return.Status, d.StatusReason, d.Return.Reason, d.ReasonText,
        d.Return.Resolution, d.Return.Amount, d.Lines, d.Pickup, d.Shipment, d.Refunds, d.Return.CreatedAtUtc, d.Photos);
}
