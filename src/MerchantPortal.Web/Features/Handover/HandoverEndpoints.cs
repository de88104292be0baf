using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Handover;

public static class HandoverEndpoints
{
    /// <param name="Carrier">The carrier's code (Kdniao ShipperCode, e.g. ZTO, SF).</param>
    /// <param name="Day">The Beijing business day whose waybills the pickup expects (default today).</param>
    /// <param name="WarehouseId">Only this warehouse's waybills are expected (default: every warehouse's).</param>
    public sealed record OpenRequest([property: StringLength(20)] string? Carrier, DateOnly? Day, int? WarehouseId);

    /// <param name="Code">What the scanner read: the waybill number.</param>
    public sealed record ScanRequest(string? Code);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var handovers = api.MapGroup("/handovers").WithTags("Handover");
        handovers.MapPost("/", OpenAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<HandoverSummary>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("OpenHandover")
            .WithSummary("Opens a pickup (交接) for a carrier and a Beijing day (default today), optionally for one warehouse: the parcels scanned onto the courier's truck. Several pickups a day are allowed.");
        handovers.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<HandoverSummary>>().ProducesValidationProblem()
            .WithName("ListHandovers")
            .WithSummary("The pickups of a Beijing day (default today), open ones first; carrier=<code> keeps one carrier's. Each with its counts of scanned parcels and flagged scans.");
        handovers.MapGet("/{id:long}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<HandoverView>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetHandover")
            .WithSummary("A pickup as /handover shows it: expected count (the carrier's live waybills of the day no other pickup has, as /waybills/handover lists them), the scanned parcels, the missing ones and the flagged scans (Duplicate with the pickup that has the parcel, OtherCarrier with its carrier, Voided, Unknown).");
        handovers.MapPost("/{id:long}/scans", ScanAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<HandoverScanView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("ScanHandoverParcel")
            .WithSummary("Scans a parcel onto the pickup and answers the outcome (every scan is kept): Accepted (a live waybill of the pickup's carrier on no pickup yet), Duplicate, OtherCarrier, Voided or Unknown. A closed pickup refuses scans with 409.");
        handovers.MapPost("/{id:long}/close", CloseAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<HandoverSummary>().ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("CloseHandover")
            .WithSummary("Closes a pickup (audited): no more scans; its handover list stays printable.");
        handovers.MapGet("/{id:long}/list.pdf", ListPdfAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetHandoverListPdf")
            .WithSummary("The pickup's handover list (交接单) as an A4 PDF: the accepted parcels only, with count, total weight and signature lines for the courier and the warehouse.");

        // The page's print link (cookie auth, Operations): no file name, so the browser shows the PDF and its print button.
        app.MapGet("/handover/{id:long}/list.pdf", ListPdfAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<IResult> OpenAsync(OpenRequest request, HandoverService service, BusinessCalendar calendar, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = HandoverService.OpenProblems(request.Carrier, request.Day);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        try
        {
            var opened = await service.OpenAsync(request.Carrier!, request.Day ?? calendar.Today().Date, request.WarehouseId, Actor.OfApiKey(user), ct);
            return TypedResults.Created($"/api/v1/handovers/{opened.Id}", opened);
        }
        catch (KeyNotFoundException)
        {
            return FieldProblems.Of("warehouseId", $"No warehouse has the id {request.WarehouseId}.").ToResult();
        }
    }

    private static async Task<IResult> ListAsync(DateOnly? day, string? carrier, HandoverService service, BusinessCalendar calendar, CancellationToken ct) =>
        WaybillService.HandoverDayProblem(day) is { } problem
            ? FieldProblems.Of("day", problem).ToResult()
            : TypedResults.Ok(await service.ListAsync(day ?? calendar.Today().Date, carrier, ct));

    private static async Task<IResult> GetAsync(long id, HandoverService service, CancellationToken ct) =>
        await service.ViewAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<IResult> ScanAsync(long id, ScanRequest request, HandoverService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (HandoverService.CodeProblem(request.Code) is { } problem)
        {
            return FieldProblems.Of("code", problem).ToResult();
        }
        var result = await service.ScanAsync(id, request.Code!, Actor.OfApiKey(user), ct);
        return result.Status switch
        {
            ScanStatus.Scanned => TypedResults.Ok(result.Scan),
            ScanStatus.Closed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The pickup is closed", detail: $"Handover {id} takes no more scans."),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<IResult> CloseAsync(long id, HandoverService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.CloseAsync(id, Actor.OfApiKey(user), ct) switch
        {
            CloseOutcome.Closed => TypedResults.Ok(await service.GetAsync(id, ct)),
            CloseOutcome.AlreadyClosed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already closed"),
            _ => TypedResults.NotFound(),
        };

    private static async Task<IResult> ListPdfAsync(long id, HandoverService service, CancellationToken ct) =>
        await service.ListPdfAsync(id, ct) is { } pdf ? TypedResults.File(pdf, "application/pdf") : TypedResults.NotFound();
}
