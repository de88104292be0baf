using MerchantPortal.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace MerchantPortal.Web.Features.Picking;

public static class PickingEndpoints
{
    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        MapDocuments(api.MapGroup("/waybill-batches").WithTags("Picking"), api);
        WaveEndpoints.Map(api.MapGroup("/waves").WithTags("Picking"));
        MapDownloads(app);
    }

    private static void MapDocuments(RouteGroupBuilder batches, RouteGroupBuilder api)
    {
        batches.MapGet("/{id:long}/pick-list", PickListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<PickList>().Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithName("GetPickList")
            .WithSummary("The batch's pick list (拣货单): the SKUs of its parcels with a live waybill (split parcels: their lines; merged parcels: every order's lines), with units and the number of orders, sorted by catalogue location then SKU (no location last, lines without SKU by name). JSON, or the A4 PDF with format=pdf or Accept: application/pdf.");
        batches.MapGet("/{id:long}/pick-list.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.PickListPdfAsync(id, ct), $"pick-list-{id}.pdf", inline: false))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetPickListPdf").WithSummary("The batch's pick list as an A4 PDF (header with batch or wave, carrier, warehouse, print time and totals; page numbers).");
        batches.MapGet("/{id:long}/packing-slips.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.PackingSlipsPdfAsync(id, ct), $"packing-slips-{id}.pdf", inline: false))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetPackingSlips").WithSummary("The packing slips (发货单) of the batch's parcels with a live waybill, in pick order, two per A4 page: brand, order number as Code 128, waybill, receiver (phone masked), lines, remark. 404 when no parcel has a waybill.");
        batches.MapGet("/{id:long}/labels-with-slips.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.LabelsWithSlipsPdfAsync(id, ct), $"labels-with-slips-{id}.pdf", inline: false))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetLabelsWithSlips").WithSummary("For each parcel in pick order its 100×150 label then its packing slip on a page of the same size: one file for the label printer.");
        api.MapGet("/packing-slips/{orderNo}", (string orderNo, PickingService service, CancellationToken ct) => PdfAsync(service.PackingSlipPdfAsync(orderNo, ct), "packing-slip.pdf", inline: false))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead)).WithTags("Picking")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status404NotFound)
            .WithName("GetOrderPackingSlip").WithSummary("The packing slip of one order's parcels with a live waybill (a split order: one per parcel) as an A4 PDF (a merged order: its lead's parcel); 404 when the order has no live waybill.");
    }

    /// <summary>Browser downloads (cookie auth, Operations): inline PDFs so the browser opens them (and its print dialog), as the labels.</summary>
    private static void MapDownloads(WebApplication app)
    {
        app.MapGet("/waybills/batches/{id:long}/pick-list.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.PickListPdfAsync(id, ct), $"pick-list-{id}.pdf", inline: true))
            .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/batches/{id:long}/packing-slips.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.PackingSlipsPdfAsync(id, ct), $"packing-slips-{id}.pdf", inline: true))
            .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/waybills/batches/{id:long}/labels-with-slips.pdf", (long id, PickingService service, CancellationToken ct) => PdfAsync(service.LabelsWithSlipsPdfAsync(id, ct), $"labels-with-slips-{id}.pdf", inline: true))
            .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        app.MapGet("/orders/{orderNo}/packing-slip.pdf", (string orderNo, PickingService service, CancellationToken ct) => PdfAsync(service.PackingSlipPdfAsync(orderNo, ct), "packing-slip.pdf", inline: true))
            .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<IResult> PickListAsync(long id, string? format, HttpRequest request, PickingService service, CancellationToken ct)
    {
        if (format is not (null or "" or "json" or "pdf"))
        {
            return FieldProblems.Of("format", "format is json (default) or pdf.").ToResult();
        }
        var wantsPdf = format == "pdf" || (format is null or "" && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)));
        if (await service.PickListAsync(id, ct) is not { } list)
        {
            return TypedResults.NotFound();
        }
        return wantsPdf ? TypedResults.File(PickListPdf.Render(list), "application/pdf", $"pick-list-{id}.pdf") : TypedResults.Ok(list);
    }

    private static async Task<IResult> PdfAsync(Task<byte[]?> render, string fileName, bool inline)
    {
        if (await render is not { } bytes)
        {
            return TypedResults.NotFound();
        }
        return inline ? new InlinePdf(bytes, fileName) : TypedResults.File(bytes, "application/pdf", fileName);
    }

    /// <summary>Content-Disposition: inline, so the PDF opens in the browser's viewer instead of downloading.</summary>
    private sealed class InlinePdf(byte[] bytes, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/pdf";
            httpContext.Response.Headers[HeaderNames.ContentDisposition] = $"inline; filename=\"{fileName}\"";
            httpContext.Response.ContentLength = bytes.Length;
            await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
