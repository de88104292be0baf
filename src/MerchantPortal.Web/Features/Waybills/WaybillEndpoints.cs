using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Waybills;

public static class WaybillEndpoints
{
    public sealed record CreateBatchRequest(
        [property: Required, MinLength(1), MaxLength(20_000)] string[] OrderNos,
        int? CarrierAccountId,
        [property: StringLength(10)] string? ServiceType);

    public sealed record BatchAccepted(long Id);

    /// <param name="Code">The ExpType value a batch's serviceType takes.</param>
    /// <param name="Name">The product's name in the request's language.</param>
    public sealed record CarrierProductResponse(string Code, string Name);

    /// <param name="Error">Why the order has no waybill: the reason key, then the carrier's words or the existing waybill's number.</param>
    public sealed record BatchItemResponse(string OrderNo, string Status, string? TrackingNo, string? Error);

    public sealed record BatchResponse(long Id, WaybillBatchStatus Status, int Total, int Succeeded, int Failed, int Skipped, int CarrierAccountId,
        DateTime CreatedAtUtc, DateTime? FinishedAtUtc, IReadOnlyList<BatchItemResponse> Items);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        MapBatches(api.MapGroup("/waybill-batches").WithTags("Waybills"));
        MapWaybills(api.MapGroup("/waybills").WithTags("Waybills"));
        MapDownloads(app);
    }

    private static void MapBatches(RouteGroupBuilder batches)
    {
        batches.MapPost("/", CreateBatchAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
          .Produces<BatchAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
          .WithName("CreateWaybillBatch")
          .WithSummary("Starts a batch of e-waybills for approved orders (202 with its id). The carrier account defaults to the orders' warehouse's, else the default account. Orders with a problem or a live waybill are skipped with a reason.");

        batches.MapGet("/", ListBatchesAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<BatchSummary>>()
            .WithName("ListWaybillBatches")
            .WithSummary("The most recent batches, newest first, with their counters, as /waybills lists them (limit 1–200, default 50).");

        batches.MapGet("/{id:long}", GetBatchAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
          .Produces<BatchResponse>().Produces(StatusCodes.Status404NotFound)
          .WithName("GetWaybillBatch").WithSummary("A batch's status, counters and every order's outcome (tracking number, or why there is none).");

        batches.MapGet("/{id:long}/labels", BatchLabelsAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetWaybillBatchLabels").WithSummary("The batch's live labels as one file in pick order (warehouse, first line's SKU, order number); format=pdf (default), zpl or tspl; size=100x150 (default), 76x130 (一联单) or 100x180 (二联单, with the sender's stub).");

        foreach (var control in Enum.GetValues<BatchControl>())
        {
            var verb = control == BatchControl.RetryFailed ? "retry" : control.ToString().ToLowerInvariant();
            batches.MapPost($"/{{id:long}}/{verb}", (long id, long? itemId, WaybillBatchService service, ClaimsPrincipal user, CancellationToken ct) =>
                    ControlBatchAsync(control, verb, id, itemId, service, user, ct))
                .RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
                .Produces<BatchSummary>().ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
                .WithName("WaybillBatch" + control).WithSummary(ControlSummary(control));
        }
    }

    private static void MapWaybills(RouteGroupBuilder waybills)
    {
        waybills.MapGet("/handover", HandoverAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<HandoverList>>().Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesValidationProblem()
            .WithName("GetHandoverList")
            .WithSummary("The handover list (交接单) of a Beijing day (default today) as /waybills/handover shows it: live waybills issued that day, per carrier, in pick order; carrier=<code> (e.g. SF) keeps one carrier's list. format=json (default) or pdf (the printable list with signature lines).");
        waybills.MapGet("/products", (string? carrier, Microsoft.Extensions.Localization.IStringLocalizer<WaybillsResources> l) =>
                TypedResults.Ok(CarrierProducts.For(carrier).Select(p => new CarrierProductResponse(p.Code, CarrierProducts.Name(l, p))).ToList()))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListCarrierProducts")
            .WithSummary("A carrier's products (carrier=<code>, e.g. SF), standard first, as the new-batch dialog offers them: the code is a batch's serviceType. A carrier without further products has the standard one (1).");
        waybills.MapPost("/{trackingNo}/void", VoidAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
          .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
          .WithName("VoidWaybill").WithSummary("Voids a waybill at the carrier (1147, only before pickup); it stays in the order's history and the order can get a new one.");
    }

    /// <summary>Browser downloads (cookie auth, Operations): inline PDF so the browser opens it (and its print dialog).</summary>
    private static void MapDownloads(WebApplication app)
    {
        app.MapGet("/waybills/batches/{id:long}/labels.pdf", BatchLabelsPdfAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/batches/{id:long}/labels.zpl", BatchLabelsZplAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/batches/{id:long}/labels.tspl", BatchLabelsTsplAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/{trackingNo}/label.pdf", LabelPdfAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/handover.pdf", HandoverPdfAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<IResult> CreateBatchAsync(CreateBatchRequest request, WaybillBatchService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CreateAsync(request.OrderNos ?? [], request.CarrierAccountId, request.ServiceType, Actor.OfApiKey(user), "api", ct);
        return result.Outcome switch
        {
            CreateBatchOutcome.Created => TypedResults.Accepted($"/api/v1/waybill-batches/{result.BatchId}", new BatchAccepted(result.BatchId!.Value)),
            CreateBatchOutcome.UnknownOrders => FieldProblems.Of("orderNos", $"No order has these numbers: {string.Join(", ", result.UnknownOrderNos!.Take(50))}").ToResult(),
            CreateBatchOutcome.NoCarrierAccount => FieldProblems.Of("carrierAccountId", "No enabled carrier account with this id (or no default account).").ToResult(),
            _ => FieldProblems.Of("orderNos", "At least one order number is required.").ToResult(),
        };
    }

    private static async Task<Ok<IReadOnlyList<BatchSummary>>> ListBatchesAsync(int? limit, WaybillBatchService service, CancellationToken ct) =>
        TypedResults.Ok(await service.RecentAsync(Math.Clamp(limit ?? 50, 1, 200), ct));

    private static async Task<IResult> GetBatchAsync(long id, WaybillBatchService service, CancellationToken ct)
    {
        if (await service.GetAsync(id, ct) is not { } b)
        {
            return TypedResults.NotFound();
        }
        var items = await service.ItemsAsync(id, ct: ct);
        return TypedResults.Ok(new BatchResponse(b.Id, b.Status, b.Total, b.Succeeded, b.Failed, b.Skipped, b.CarrierAccountId, b.CreatedAtUtc, b.FinishedAtUtc,
            [.. items.Select(i => new BatchItemResponse(i.OrderNo, i.Status.ToString(), i.TrackingNo, Error(i)))]));
    }

    private static Task<IResult> BatchLabelsAsync(long id, string? format, string? size, WaybillService waybills, CancellationToken ct) =>
        LabelsAsync(waybills, id, format, size, inline: false, ct);

    private static async Task<IResult> ControlBatchAsync(BatchControl control, string verb, long id, long? itemId, WaybillBatchService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await service.GetAsync(id, ct) is null)
        {
            return TypedResults.NotFound();
        }
        return await service.ControlAsync(id, control, Actor.OfApiKey(user), itemId, ct)
            ? TypedResults.Ok(await service.GetAsync(id, ct))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The batch cannot {verb} now", detail: $"Batch {id} is {(await service.GetAsync(id, ct))!.Status}.");
    }

    private static string ControlSummary(BatchControl control) => control switch
    {
        BatchControl.Pause => "Pauses a queued or running batch (calls in flight finish).",
        BatchControl.Resume => "Resumes a paused batch.",
        BatchControl.Cancel => "Cancels a batch: orders not started get no waybill; waybills already issued stay.",
        _ => "Retries the failed and skipped orders of a batch (or only itemId).",
    };

    private static async Task<IResult> HandoverAsync(DateOnly? day, string? format, string? carrier, WaybillService service, BusinessCalendar calendar, CancellationToken ct)
    {
        var problems = WaybillService.HandoverProblems(day, format);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var date = day ?? calendar.Today().Date;
        return format == "pdf"
            ? TypedResults.File(await service.HandoverPdfAsync(date, carrier, ct), "application/pdf", $"handover-{date:yyyyMMdd}.pdf")
            : TypedResults.Ok(await service.HandoverAsync(date, carrier, ct));
    }

    private static async Task<IResult> VoidAsync(string trackingNo, WaybillService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.VoidAsync(trackingNo, Actor.OfApiKey(user), ct);
        return result.Outcome switch
        {
            VoidOutcome.Voided => TypedResults.NoContent(),
            VoidOutcome.NotFound => TypedResults.NotFound(),
            VoidOutcome.AlreadyVoided => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already voided"),
            VoidOutcome.CarrierUnavailable => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The carrier could not be reached; try again", detail: result.Reason),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The carrier refused to void the waybill", detail: result.Reason),
        };
    }

    private static Task<IResult> BatchLabelsPdfAsync(long id, string? size, WaybillService service, CancellationToken ct) => LabelsAsync(service, id, "pdf", size, inline: true, ct);

    private static Task<IResult> BatchLabelsZplAsync(long id, string? size, WaybillService service, CancellationToken ct) => LabelsAsync(service, id, "zpl", size, inline: false, ct);

    private static Task<IResult> BatchLabelsTsplAsync(long id, string? size, WaybillService service, CancellationToken ct) => LabelsAsync(service, id, "tspl", size, inline: false, ct);

    private static async Task<IResult> LabelPdfAsync(string trackingNo, WaybillService service, CancellationToken ct) =>
        await service.LabelAsync(trackingNo, LabelFormat.Pdf, ct) is { } bytes
            ? Inline(bytes, "application/pdf", $"label-{trackingNo}.pdf")
            : TypedResults.NotFound();

    private static async Task<IResult> HandoverPdfAsync(DateOnly? day, string? carrier, WaybillService service, BusinessCalendar calendar, CancellationToken ct) =>
        WaybillService.HandoverDayProblem(day) is { } problem
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid day", detail: problem)
            : Inline(await service.HandoverPdfAsync(day ?? calendar.Today().Date, carrier, ct), "application/pdf", "handover.pdf");

    private static string? Error(BatchItemView i) =>
        i.ErrorCode is null ? null : i.Error is null ? i.ErrorCode : $"{i.ErrorCode}: {i.Error}";

    private static async Task<IResult> LabelsAsync(WaybillService service, long batchId, string? format, string? size, bool inline, CancellationToken ct)
    {
        LabelFormat? kind = format?.ToLowerInvariant() switch { null or "" or "pdf" => LabelFormat.Pdf, "zpl" => LabelFormat.Zpl, "tspl" => LabelFormat.Tspl, _ => null };
        LabelSize? labelSize = size switch { null or "" or "100x150" => LabelSize.Mm100x150, "76x130" => LabelSize.Mm76x130, "100x180" => LabelSize.Mm100x180, _ => null };
        var problems = new FieldProblems();
        if (kind is null)
        {
            problems.Add("format", "format is pdf (default), zpl or tspl.");
        }
        if (labelSize is null)
        {
            problems.Add("size", "size is 100x150 (default), 76x130 or 100x180.");
        }
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var bytes = await service.BatchLabelsAsync(batchId, kind!.Value, labelSize!.Value, ct);
        if (bytes is null)
        {
            return TypedResults.NotFound();
        }
        var extension = kind.Value.ToString().ToLowerInvariant();
        var name = $"waybills-batch-{batchId}{(labelSize == LabelSize.Mm100x150 ? "" : "-" + size)}.{extension}";
        var type = kind switch { LabelFormat.Zpl => "application/zpl", LabelFormat.Tspl => "application/octet-stream", _ => "application/pdf" };
        return inline ? Inline(bytes, type, name) : TypedResults.File(bytes, type, name);
    }

    private static IResult Inline(byte[] bytes, string contentType, string fileName) =>
        new InlineFile(bytes, contentType, fileName);

    /// <summary>Content-Disposition: inline, so the PDF opens in the browser's viewer (and print dialog) instead of downloading.</summary>
    private sealed class InlineFile(byte[] bytes, string contentType, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
            httpContext.Response.ContentLength = bytes.Length;
            await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
