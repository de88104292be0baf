using System.Globalization;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace MerchantPortal.Web.Features.Kpis.Freight;

public sealed record FreightBillAccepted(long Id, string StatusUrl, string DiscrepanciesUrl);

public static class FreightEndpoints
{
    public static string ExportPath(long billId, string format) => $"/kpis/freight/bills/{billId}/discrepancies.{format}";

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var freight = api.MapGroup("/freight").WithTags("Freight");

        freight.MapGet("/rate-cards", async (int? carrierAccountId, RateCardService service, CancellationToken ct) => await service.ListAsync(carrierAccountId, ct))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<RateCardAccount>>()
            .WithName("ListRateCards").WithSummary("Rate cards per carrier account: first weight price and price per additional kg per destination province (null province = the default row).");

        freight.MapPut("/rate-cards/{id:int}", async Task<IResult> (int id, List<RateCardRowInput> rows, RateCardService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                try
                {
                    return TypedResults.Ok(await service.SaveAsync(id, rows ?? [], user.Identity?.Name ?? "api", ct));
                }
                catch (RateCardValidationException ex)
                {
                    return TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
                }
                catch (KeyNotFoundException)
                {
                    return TypedResults.NotFound();
                }
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<RateCardAccount>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("SaveRateCard").WithSummary("Replaces a carrier account's whole rate card (a JSON array of rows).");

        freight.MapGet("/expected-cost", async Task<IResult> (string? trackingNo, RateCardService service, CancellationToken ct) =>
                string.IsNullOrWhiteSpace(trackingNo)
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["trackingNo"] = ["trackingNo is required."] })
                    : await service.ForWaybillAsync(trackingNo.Trim(), ct) is { } cost ? TypedResults.Ok(cost) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<WaybillCost>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("GetExpectedFreightCost").WithSummary("The expected cost of a live waybill from its weight and destination against its account's rate card (cost null without a rate).");

        freight.MapGet("/bills", async (FreightBillService service, CancellationToken ct) => await service.ListAsync(ct: ct))
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<FreightBillSummary>>()
            .WithName("ListFreightBills").WithSummary("Imported carrier bills, newest first, with their totals.");

        freight.MapGet("/bills/{id:long}", async Task<IResult> (long id, FreightBillService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<FreightBillReport>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetFreightBill").WithSummary("A bill's status and progress, totals per kind of discrepancy, and its rejected rows (row, column, value, reason).");

        freight.MapGet("/bills/{id:long}/discrepancies", async Task<IResult> (long id, FreightDiscrepancyKind? kind, FreightBillService service, CancellationToken ct) =>
                await service.DiscrepanciesAsync(id, kind, ct) is { } rows ? TypedResults.Ok(rows) : TypedResults.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<FreightDiscrepancyView>>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetFreightBillDiscrepancies").WithSummary("Every discrepancy of a bill: overcharged weight or amount, numbers not shipped, billed twice, never billed (kind= narrows).");

        freight.MapPost("/bill-imports", async Task<IResult> (IFormFile file, [FromForm] int carrierAccountId, [FromForm] string? periodFrom, [FromForm] string? periodTo,
                FreightBillService service, ClaimsPrincipal user, CancellationToken ct) =>
            {
                try
                {
                    await using var stream = file.OpenReadStream();
                    var id = await service.StoreAsync(stream, file.FileName, carrierAccountId, Date(periodFrom), Date(periodTo), user.Identity?.Name ?? "api", ct);
                    return TypedResults.Accepted($"/api/v1/freight/bills/{id}", new FreightBillAccepted(id, $"/api/v1/freight/bills/{id}", $"/api/v1/freight/bills/{id}/discrepancies"));
                }
                catch (FreightBillValidationException ex)
                {
                    return TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
                }
            })
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.FreightWrite)).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<FreightBillAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .WithName("ImportFreightBill").WithSummary("Uploads a carrier bill (CSV or XLSX; columns tracking number, billed weight, amount, headers in Chinese or English) for an account and period (yyyy-MM-dd); it is reconciled in the background.");

        foreach (var format in new[] { "xlsx", "csv" })
        {
            app.MapGet($"/kpis/freight/bills/{{id:long}}/discrepancies.{format}", async Task<IResult> (long id, FreightBillService service, HttpContext http, CancellationToken ct) =>
                {
                    if (await service.GetAsync(id, ct) is not { } report || await service.DiscrepanciesAsync(id, null, ct) is not { } rows)
                    {
                        return TypedResults.NotFound();
                    }
                    if (format == "xlsx")
                    {
                        await FreightExport.WriteXlsxAsync(http, report, rows, ct);
                    }
                    else
                    {
                        await FreightExport.WriteCsvAsync(http, report, rows, ct);
                    }
                    return TypedResults.Empty;
                })
                .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        }
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
