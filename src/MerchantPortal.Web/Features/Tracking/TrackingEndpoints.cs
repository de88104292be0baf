using System.ComponentModel.DataAnnotations;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Tracking;

public static class TrackingEndpoints
{
    public const string PushPath = "/api/carriers/kdniao/push";

    /// <param name="OrderNo">The order the parcel belongs to; empty for a parcel sent outside the portal.</param>
    /// <param name="ShipperCode">Empty = recognised by the aggregator (2002).</param>
    public sealed record RegisterShipmentRequest(
        [property: StringLength(64)] string? OrderNo,
        [property: StringLength(20)] string? ShipperCode,
        [property: Required, StringLength(64, MinimumLength = 5)] string TrackingNo);

    /// <param name="NextBeforeId">Pass as beforeId for the next page; null on the last.</param>
    public sealed record ShipmentPage(IReadOnlyList<ShipmentRow> Items, long? NextBeforeId);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        // Anonymous on purpose: the aggregator authenticates with DataSign (§2.5), checked before anything is stored.
        // It posts a plain form without an antiforgery token.
        app.MapPost(PushPath, async (HttpRequest request, KdniaoPushReceiver receiver, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return Results.Content(await receiver.ReceiveAsync(null, null, null, ct), "application/json");
                }
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(ct);
                }
                catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
                {
                    // Over the form value limit (4 MB) or the request body limit: answered as §2.5 asks, not with a 500.
                    return Results.Content(receiver.TooLarge(), "application/json");
                }
                var answer = await receiver.ReceiveAsync(form["RequestData"], form["RequestType"], form["DataSign"], ct);
                return Results.Content(answer, "application/json");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        var shipments = api.MapGroup("/shipments").WithTags("Shipments");

        shipments.MapPost("/", async Task<IResult> (RegisterShipmentRequest request, ShipmentService service, ShipmentQueries queries, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.TrackingNo))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["trackingNo"] = ["The tracking number is required."] });
            }
            var result = await service.RegisterAsync(request.OrderNo, request.ShipperCode, request.TrackingNo, null, ct: ct);
            var trackingNo = request.TrackingNo.Trim();
            return result.Outcome switch
            {
                RegisterOutcome.Created => TypedResults.Created($"/api/v1/shipments/{Uri.EscapeDataString(trackingNo)}", await queries.GetAsync(trackingNo, ct)),
                RegisterOutcome.Existing => TypedResults.Ok(await queries.GetAsync(trackingNo, ct)),
                RegisterOutcome.OrderNotFound => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderNo"] = ["No order has this number."] }),
                RegisterOutcome.CarrierNotRecognised => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["shipperCode"] = ["The carrier could not be recognised from the tracking number; send shipperCode."] }),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No carrier account", detail: "No enabled carrier account can follow this parcel; an Admin adds one under /admin/carrier-accounts."),
            };
        }).RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsWrite))
          .WithName("RegisterShipment").WithSummary("Follows a parcel: creates the shipment, subscribes it for pushes and names it on its order. Idempotent on (carrier, tracking number).");

        shipments.MapGet("/", async Task<IResult> (ShipmentStatus? status, string? carrier, string? lane, bool? staleOnly, long? beforeId, int? limit,
                ShipmentQueries queries, TimeProvider clock, CancellationToken ct) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (carrier?.Length > 20)
                {
                    errors["carrier"] = [$"carrier is a carrier code of at most 20 characters; it had {carrier.Length}."];
                }
                if (lane?.Length > 100)
                {
                    errors["lane"] = [$"lane is the leading characters of a province, at most 100; it had {lane.Length}."];
                }
                if (limit is < 1 or > 500)
                {
                    errors["limit"] = [$"limit is 1 to 500; it was {limit}."];
                }
                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors);
                }
                var take = limit ?? 50;
                var rows = await queries.ListAsync(new ShipmentFilter(status, carrier, staleOnly ?? false, lane), beforeId, take + 1, clock.GetUtcNow().UtcDateTime, ct);
                var page = rows.Take(take).ToList();
                return TypedResults.Ok(new ShipmentPage(page, rows.Count > take ? page[^1].Id : null));
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsRead))
            .Produces<ShipmentPage>().ProducesValidationProblem()
            .WithName("ListShipments")
            .WithSummary("Shipments as /shipments lists them (newest first), filtered by status, carrier code, lane (origin or destination province by its leading characters) and staleOnly (not final and not checked for 12 hours). Keyset paging: pass nextBeforeId as beforeId; limit 1–500, default 50.");

        shipments.MapGet("/{trackingNo}", async Task<IResult> (string trackingNo, ShipmentQueries queries, CancellationToken ct) =>
                await queries.GetAsync(trackingNo, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsRead))
            .WithName("GetShipment").WithSummary("A shipment's status and its scans, newest first, with when it was last and will next be checked.");
    }
}
