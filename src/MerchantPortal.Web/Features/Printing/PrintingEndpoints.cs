using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Printing;

public static class PrintingEndpoints
{
    /// <param name="Reason">Why the label is printed again (damaged, lost, smudged …), kept with the job and in the audit log.</param>
    public sealed record ReprintRequest([property: Required, StringLength(PrintJobService.MaxReasonLength)] string Reason);

    public sealed record RetryResponse(int Retried);

    /// <param name="Ok">The printer took the sample label (raw TCP).</param>
    /// <param name="Error">Why it did not: the connection error.</param>
    public sealed record TestPrintResponse(bool Ok, string? Error);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        MapPrinters(api.MapGroup("/printers").WithTags("Printing"));
        MapJobs(api.MapGroup("/print-jobs").WithTags("Printing"));
        // The browser's test print of a browser printer: the sample label as an inline PDF (cookie auth, Admin).
        app.MapGet("/admin/printers/{id:int}/test.pdf", TestPdfAsync).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
    }

    private static void MapPrinters(RouteGroupBuilder printers)
    {
        printers.MapGet("/", async (PrinterService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListPrinters").WithSummary("Every warehouse's printers: connection (RawTcp or Browser), language (Zpl, Tspl, Pdf), host and port, label size, dpi, default, and the last success or failure.");
        printers.MapPost("/", (PrinterInput input, PrinterService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(null, input, service, user, ct))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<PrinterView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithName("CreatePrinter").WithSummary("Adds a printer to a warehouse. isDefault makes it the one the labels of finished batches go to (it takes that from the warehouse's other printers).");
        printers.MapPut("/{id:int}", (int id, PrinterInput input, PrinterService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(id, input, service, user, ct))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<PrinterView>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("UpdatePrinter").WithSummary("Changes a printer; active=false takes it out of use (its jobs keep their history).");
        printers.MapPost("/{id:int}/test", TestAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<TestPrintResponse>().Produces(StatusCodes.Status404NotFound)
            .WithName("TestPrinter").WithSummary("Sends one sample label (its size and language) to a raw-TCP printer and says whether it took it; the outcome is recorded on the printer.");
    }

    private static void MapJobs(RouteGroupBuilder jobs)
    {
        jobs.MapGet("/", ListJobsAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<IReadOnlyList<PrintJobView>>().ProducesValidationProblem()
            .WithName("ListPrintJobs").WithSummary("A waybill batch's print jobs (batchId, required) in queue order: status Queued, Sending, Sent or Failed, attempts, last error, reprints with their reason.");
        jobs.MapPost("/retry", RetryAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<RetryResponse>().ProducesValidationProblem()
            .WithName("RetryPrintJobs").WithSummary("Puts a batch's failed print jobs back in the queue and makes its waiting ones due now (batchId, required).");
        jobs.MapPost("/{id:long}/reprint", ReprintAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<PrintJobView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("ReprintPrintJob").WithSummary("Prints a sent label again on the same printer, with a reason (audited). A waybill's label is reprinted at most Printing:MaxReprints times (3 by default); one more is refused with 409.");
    }

    private static async Task<IResult> SaveAsync(int? id, PrinterInput input, PrinterService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var saved = await service.SaveAsync(id, input, Actor.OfApiKey(user), ct);
            return id is null ? TypedResults.Created($"/api/v1/printers/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (PrinterValidationException e)
        {
            return e.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> TestAsync(int id, PrinterService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.TestPrintAsync(id, Actor.OfApiKey(user), ct) is { } result
            ? TypedResults.Ok(new TestPrintResponse(result.Ok, result.Error))
            : TypedResults.NotFound();

    private static async Task<IResult> TestPdfAsync(int id, PrinterService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.TestPrintAsync(id, Actor.OfUser(user), ct) is { Pdf: { } pdf }
            ? TypedResults.File(pdf, "application/pdf")
            : TypedResults.NotFound();

    private static async Task<IResult> ListJobsAsync(long? batchId, PrintJobService service, CancellationToken ct) =>
        batchId is { } id and > 0
            ? TypedResults.Ok(await service.ForBatchAsync(id, ct))
            : FieldProblems.Of("batchId", "batchId (a waybill batch's id) is required.").ToResult();

    private static async Task<IResult> RetryAsync(long? batchId, PrintJobService service, ClaimsPrincipal user, CancellationToken ct) =>
        batchId is { } id and > 0
            ? TypedResults.Ok(new RetryResponse(await service.RetryBatchAsync(id, Actor.OfApiKey(user), ct)))
            : FieldProblems.Of("batchId", "batchId (a waybill batch's id) is required.").ToResult();

    private static async Task<IResult> ReprintAsync(long id, ReprintRequest request, PrintJobService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.ReprintAsync(id, request.Reason, Actor.OfApiKey(user), ct);
        return result.Outcome switch
        {
            ReprintOutcome.Queued => TypedResults.Created($"/api/v1/print-jobs/{result.JobId}", await service.GetAsync(result.JobId!.Value, ct)),
            ReprintOutcome.NotFound => TypedResults.NotFound(),
            ReprintOutcome.NoReason => FieldProblems.Of("reason", $"A reason (1–{PrintJobService.MaxReasonLength} characters) is required.").ToResult(),
            ReprintOutcome.NotPrintedYet => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not printed yet",
                detail: "The label has not been sent to the printer yet; it will print without a reprint."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Reprint limit reached",
                detail: $"This label was already reprinted {result.Reprints} times, the most allowed ({result.Limit}). Void the waybill and issue a new one if the parcel needs another label."),
        };
    }
}
