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
        app.MapPost(PushPath, ReceivePushAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        var shipments = api.MapGroup("/shipments").WithTags("Shipments");

        shipments.MapPost("/", RegisterAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsWrite))
          .WithName("RegisterShipment").WithSummary("Follows a parcel: creates the shipment, subscribes it for pushes and names it on its order. Idempotent on (carrier, tracking number).");

        shipments.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsRead))
            .Produces<ShipmentPage>().ProducesValidationProblem()
            .WithName("ListShipments")
            .WithSummary("Shipments as /shipments lists them, filtered by status, carrier code, lane (origin or destination province by its leading characters), staleOnly (not final and not checked for 12 hours) and willBeLate (not final, and the portal's predicted window ends after the promise to the customer). sort=Newest (default) or Expected (soonest expected delivery first, parcels without a prediction last). Each row carries expectedDelivery (the portal's prediction, null when none yet) and estimatedDelivery (the carrier's own). Keyset paging: pass nextBeforeId as beforeId; limit 1–500, default 50.");

        shipments.MapGet("/{trackingNo}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.ShipmentsRead))
            .WithName("GetShipment").WithSummary("A shipment's status and its scans, newest first, with when it was last and will next be checked; expectedDelivery is the portal's own prediction (expected, earliest, latest, the stage and lane it came from; null when none was made yet), estimatedDelivery the carrier's own estimate, promisedBy the promise to the customer and willBeLate whether the prediction's window ends after it.");
    }

    private static async Task<IResult> ReceivePushAsync(HttpRequest request, KdniaoPushReceiver receiver, CancellationToken ct)
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
    }

    private static async Task<IResult> RegisterAsync(RegisterShipmentRequest request, ShipmentService service, ShipmentQueries queries, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TrackingNo))
        {
            return FieldProblems.Of("trackingNo", "The tracking number is required.").ToResult();
        }
        var result = await service.RegisterAsync(request.OrderNo, request.ShipperCode, request.TrackingNo, null, ct: ct);
        var trackingNo = request.TrackingNo.Trim();
        return result.Outcome switch
        {
            RegisterOutcome.Created => TypedResults.Created($"/api/v1/shipments/{Uri.EscapeDataString(trackingNo)}", await queries.GetAsync(trackingNo, ct)),
            RegisterOutcome.Existing => TypedResults.Ok(await queries.GetAsync(trackingNo, ct)),
            RegisterOutcome.OrderNotFound => FieldProblems.Of("orderNo", "No order has this number.").ToResult(),
            RegisterOutcome.CarrierNotRecognised => FieldProblems.Of("shipperCode", "The carrier could not be recognised from the tracking number; send shipperCode.").ToResult(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No carrier account", detail: "No enabled carrier account can follow this parcel; an Admin adds one under /admin/carrier-accounts."),
        };
    }

    private static async Task<IResult> ListAsync(ShipmentStatus? status, string? carrier, string? lane, bool? staleOnly, bool? willBeLate, ShipmentSort? sort, long? beforeId, int? limit,
        ShipmentQueries queries, TimeProvider clock, CancellationToken ct)
    {
        var problems = ShipmentQueries.ListProblems(carrier, lane, limit);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var take = limit ?? 50;
        var filter = new ShipmentFilter(status, carrier, staleOnly ?? false, lane, WillBeLateOnly: willBeLate ?? false);
        var rows = await queries.ListAsync(filter, sort ?? ShipmentSort.Newest, beforeId, take + 1, clock.GetUtcNow().UtcDateTime, ct);
        var page = rows.Take(take).ToList();
        return TypedResults.Ok(new ShipmentPage(page, rows.Count > take ? page[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(string trackingNo, ShipmentQueries queries, CancellationToken ct) =>
        await queries.GetAsync(trackingNo, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
}
