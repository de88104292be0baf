using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Setup;

namespace MerchantPortal.Web.Features.Returns;

public static class ReturnEndpoints
{
    public sealed record ReturnLineRequest([property: Required, StringLength(64)] string Sku, int Quantity);

    public sealed record CreateReturnRequest(
        [property: Required, StringLength(64)] string OrderNo,
        [property: Required] IReadOnlyList<ReturnLineRequest> Lines,
        ReturnReason Reason,
        ReturnResolution Resolution,
        [property: StringLength(500)] string? ReasonText = null);

    public sealed record AddressRequest(string? Name, string? Phone, string? Province, string? City, string? District, string? Address);

    /// <param name="Address">Omitted = the order's ship-to address.</param>
    /// <param name="CarrierAccountId">Omitted = the warehouse's default account, else the portal's default.</param>
    public sealed record BookPickupRequest(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, AddressRequest? Address = null, int? CarrierAccountId = null);

    public sealed record CreatedReturn(long Id, string RmaNo, ReturnStatus Status);

    public sealed record PickupResponse(string OrderCode, string? PickupCode, string? TrackingNo, string ShipperCode, PickupStatus Status,
        DateTime WindowStart, DateTime WindowEnd, string? CourierName, string? CourierPhone, bool AlreadyBooked);

    public sealed record ReturnResponse(long Id, string RmaNo, string OrderNo, ReturnStatus Status, string? StatusReason, ReturnReason Reason, string? ReasonText,
        ReturnResolution Resolution, decimal Amount, IReadOnlyList<ReturnLineView> Lines, PickupView? Pickup, Tracking.ShipmentSummary? Shipment,
        IReadOnlyList<RefundView> Refunds, DateTime CreatedAt);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var returns = api.MapGroup("/returns").WithTags("Returns");

        returns.MapPost("/", async Task<IResult> (CreateReturnRequest request, ReturnService service, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var outcome = await service.CreateAsync(new NewReturn(request.OrderNo ?? "", [.. (request.Lines ?? []).Select(l => new NewReturnLine(l.Sku, l.Quantity))],
                request.Reason, request.ReasonText, request.Resolution), Actor(user), ct);
            if (!outcome.Ok)
            {
                return Problem(outcome.Problems);
            }
            var detail = (await queries.GetAsync(outcome.Id!.Value, ApiScopes.SeesFullPii(user), ct))!;
            return TypedResults.Created($"/api/v1/returns/{outcome.Id}", new CreatedReturn(outcome.Id.Value, detail.Return.RmaNo, detail.Return.Status));
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("CreateReturn").WithSummary("Opens a return for lines of a shipped order; never more than shipped minus earlier returns. Approved at once when the Admin's rules say so.")
          .Produces<CreatedReturn>(StatusCodes.Status201Created).ProducesValidationProblem();

        returns.MapGet("/{id:long}", async Task<IResult> (long id, ReturnQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
                await queries.GetAsync(id, ApiScopes.SeesFullPii(user), ct) is { } d ? TypedResults.Ok(Response(d)) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsRead))
            .WithName("GetReturn").WithSummary("A return with its lines, current pickup, return parcel and refunds; the pickup phone and address masked unless the key has pii:read.")
            .Produces<ReturnResponse>().Produces(StatusCodes.Status404NotFound);

        returns.MapPost("/{id:long}/pickup", async Task<IResult> (long id, BookPickupRequest request, PickupService pickups, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var a = request.Address;
            var address = a is null ? null : new PickupAddress(a.Name ?? "", a.Phone ?? "", a.Province ?? "", a.City ?? "", a.District ?? "", a.Address ?? "");
            var outcome = await pickups.BookAsync(id, new PickupInput(request.WindowStart.UtcDateTime, request.WindowEnd.UtcDateTime, address, request.CarrierAccountId), Actor(user), ct);
            if (!outcome.Ok)
            {
                return outcome.Problems[0].Code == "NotFound" ? TypedResults.NotFound()
                    : Problem(outcome.Problems, StateCodes.Contains(outcome.Problems[0].Code) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
            }
            var p = outcome.Pickup!;
            var body = new PickupResponse(p.OrderCode, p.PickupCode, p.TrackingNo, p.ShipperCode, p.Status, p.WindowStartUtc, p.WindowEndUtc, p.CourierName, p.CourierPhone, outcome.AlreadyBooked);
            return outcome.AlreadyBooked ? TypedResults.Ok(body) : TypedResults.Created($"/api/v1/returns/{id}", body);
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("BookReturnPickup").WithSummary("Books a courier pickup (1801) for an approved return. A repeat while a pickup is booked answers 200 with that pickup, never a second courier.")
          .Produces<PickupResponse>(StatusCodes.Status201Created).Produces<PickupResponse>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound);

        returns.MapDelete("/{id:long}/pickup", async Task<IResult> (long id, PickupService pickups, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var outcome = await pickups.CancelAsync(id, Actor(user), ct);
            return outcome.Ok ? TypedResults.NoContent() : Problem(outcome.Problems, StatusCodes.Status409Conflict);
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.ReturnsWrite))
          .WithName("CancelReturnPickup").WithSummary("Cancels the booked pickup (1802) so it can be rebooked; refused with 409 once the courier has collected the parcel.")
          .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem(StatusCodes.Status409Conflict);

        // Browser download (cookie auth) of a return photo.
        app.MapGet("/returns/{id:long}/photos/{photoId:long}", async Task<IResult> (long id, long photoId, ReturnQueries queries, CancellationToken ct) =>
                await queries.PhotoAsync(id, photoId, ct) is { } photo ? TypedResults.File(photo.Content, photo.ContentType) : TypedResults.NotFound())
            .RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
    }

    /// <summary>Refusals that come from the return's state, not from the input.</summary>
    private static readonly HashSet<string> StateCodes = ["PickupNeedsApproval", "BookingInProgress", "CarrierRefused", "CarrierUnavailable"];

    private static string Actor(ClaimsPrincipal user) => "api:" + (user.Identity?.Name ?? "key");

    /// <summary>Problem details naming each field; 409 when the state (not the input) refuses the action.</summary>
    private static IResult Problem(IReadOnlyList<ReturnProblem> problems, int status = StatusCodes.Status400BadRequest) =>
        Results.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            statusCode: status, title: status == StatusCodes.Status409Conflict ? "The action is not possible now" : "One or more fields are invalid");

    private static ReturnResponse Response(ReturnDetail d) => new(d.Return.Id, d.Return.RmaNo, d.Return.OrderNo, d.Return.Status, d.StatusReason, d.Return.Reason, d.ReasonText,
        d.Return.Resolution, d.Return.Amount, d.Lines, d.Pickup, d.Shipment, d.Refunds, d.Return.CreatedAtUtc);
}
