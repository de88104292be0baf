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
        MapRateCards(freight);
        MapBills(freight);
        foreach (var format in new[] { "xlsx", "csv" })
        {
            app.MapGet($"/kpis/freight/bills/{{id:long}}/discrepancies.{format}", (long id, FreightBillService service, HttpContext http, CancellationToken ct) =>
                    ExportDiscrepanciesAsync(format, id, service, http, ct))
                .RequireAuthorization(Policies.Operations).ExcludeFromDescription();
        }
    }

    private static void MapRateCards(RouteGroupBuilder freight)
    {
        freight.MapGet("/rate-cards", ListRateCardsAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<RateCardAccount>>()
            .WithName("ListRateCards").WithSummary("Rate cards per carrier account: first weight price and price per additional kg per destination province (null province = the default row).");

        freight.MapPut("/rate-cards/{id:int}", SaveRateCardAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces<RateCardAccount>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("SaveRateCard").WithSummary("Replaces a carrier account's whole rate card (a JSON array of rows).");

        freight.MapGet("/expected-cost", ExpectedCostAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<WaybillCost>().ProducesValidationProblem().Produces(StatusCodes.Status404NotFound)
            .WithName("GetExpectedFreightCost").WithSummary("The expected cost of a live waybill from its weight and destination against its account's rate card (cost null without a rate).");
    }

    private static void MapBills(RouteGroupBuilder freight)
    {
        freight.MapGet("/bills", ListBillsAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<FreightBillSummary>>()
            .WithName("ListFreightBills").WithSummary("Imported carrier bills, newest first, with their totals.");

        freight.MapGet("/bills/{id:long}", GetBillAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<FreightBillReport>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetFreightBill").WithSummary("A bill's status and progress, totals per kind of discrepancy, and its rejected rows (row, column, value, reason).");

        freight.MapGet("/bills/{id:long}/discrepancies", DiscrepanciesAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<IReadOnlyList<FreightDiscrepancyView>>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetFreightBillDiscrepancies").WithSummary("Every discrepancy of a bill: overcharged weight or amount, numbers not shipped, billed twice, never billed (kind= narrows).");

        freight.MapPost("/bill-imports", ImportBillAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.FreightWrite)).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<FreightBillAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .WithName("ImportFreightBill").WithSummary("Uploads a carrier bill (CSV or XLSX; columns tracking number, billed weight, amount, headers in Chinese or English) for an account and period (yyyy-MM-dd); it is reconciled in the background.");
    }

    private static async Task<IReadOnlyList<RateCardAccount>> ListRateCardsAsync(int? carrierAccountId, RateCardService service, CancellationToken ct) =>
        await service.ListAsync(carrierAccountId, ct);

    private static async Task<IResult> SaveRateCardAsync(int id, List<RateCardRowInput> rows, RateCardService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await service.SaveAsync(id, rows ?? [], Actor.OfUser(user), ct));
        }
        catch (RateCardValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> ExpectedCostAsync(string? trackingNo, RateCardService service, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(trackingNo)
            ? FieldProblems.Of("trackingNo", "trackingNo is required.").ToResult()
            : await service.ForWaybillAsync(trackingNo.Trim(), ct) is { } cost ? TypedResults.Ok(cost) : TypedResults.NotFound();

    private static async Task<IReadOnlyList<FreightBillSummary>> ListBillsAsync(FreightBillService service, CancellationToken ct) => await service.ListAsync(ct: ct);

    private static async Task<IResult> GetBillAsync(long id, FreightBillService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();

    private static async Task<IResult> DiscrepanciesAsync(long id, FreightDiscrepancyKind? kind, FreightBillService service, CancellationToken ct) =>
        await service.DiscrepanciesAsync(id, kind, ct) is { } rows ? TypedResults.Ok(rows) : TypedResults.NotFound();

    private static async Task<IResult> ImportBillAsync(IFormFile file, [FromForm] int carrierAccountId, [FromForm] string? periodFrom, [FromForm] string? periodTo,
        FreightBillService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            await using var stream = file.OpenReadStream();
            var id = await service.StoreAsync(stream, file.FileName, carrierAccountId, Date(periodFrom), Date(periodTo), Actor.OfUser(user), ct);
            return TypedResults.Accepted($"/api/v1/freight/bills/{id}", new FreightBillAccepted(id, $"/api/v1/freight/bills/{id}", $"/api/v1/freight/bills/{id}/discrepancies"));
        }
        catch (FreightBillValidationException ex)
        {
            return ex.Problems.ToResult();
        }
    }

    private static async Task<IResult> ExportDiscrepanciesAsync(string format, long id, FreightBillService service, HttpContext http, CancellationToken ct)
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
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
