using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

public static class CatalogueEndpoints
{
    public sealed record CatalogueListResponse(IReadOnlyList<CatalogueView> Items, int Total);

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var group = api.MapGroup("/catalogue").WithTags("Catalogue");
        group.MapGet("/skus", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListCatalogueSkus").WithSummary("The SKU catalogue (商品资料) by SKU; q is the start of a SKU or a barcode, or part of a name; skip/limit page it (limit at most 500).");
        group.MapGet("/skus/{id:int}", GetAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead)).WithName("GetCatalogueSku");
        group.MapPost("/skus", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite))
            .WithName("CreateCatalogueSku").WithSummary("Adds a SKU: weightKg > 0 is what order lines without a weight take (× quantity).");
        group.MapPut("/skus/{id:int}", UpdateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).WithName("UpdateCatalogueSku");
        group.MapDelete("/skus/{id:int}", DeleteAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).WithName("DeleteCatalogueSku");
        group.MapPost("/imports", ImportAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersWrite)).DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(CatalogueService.MaxFileBytes + 64 * 1024))
            .WithFormOptions(multipartBodyLengthLimit: CatalogueService.MaxFileBytes + 64 * 1024)
            .WithName("ImportCatalogue").WithSummary("Uploads a CSV (UTF-8 or GB18030) or XLSX catalogue (multipart field 'file'; columns sku, name, weightKg and optionally barcode, lengthCm, widthCm, heightCm, warehouse (code), location; common Chinese headers too) and upserts it by SKU; rejected rows come back with row, column and reason.");

        // The page's download (cookie auth), in the import's columns.
        app.MapGet("/catalogue/export", ExportAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<CatalogueListResponse> ListAsync(string? q, int? skip, int? limit, CatalogueService service, CancellationToken ct)
    {
        var page = await service.ListAsync(q, skip ?? 0, Math.Clamp(limit ?? 50, 1, 500), ct);
        return new CatalogueListResponse(page.Items, page.Total);
    }

    private static async Task<IResult> GetAsync(int id, CatalogueService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } sku ? TypedResults.Ok(sku) : TypedResults.NotFound();

    private static Task<IResult> CreateAsync(CatalogueInput input, CatalogueService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(null, input, service, user, ct);

    private static Task<IResult> UpdateAsync(int id, CatalogueInput input, CatalogueService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(id, input, service, user, ct);

    private static async Task<IResult> SaveAsync(int? id, CatalogueInput input, CatalogueService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var saved = await service.SaveAsync(id, input, Actor.OfUser(user), ct);
            return id is null ? TypedResults.Created($"/api/v1/catalogue/skus/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (CatalogueValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> DeleteAsync(int id, CatalogueService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.DeleteAsync(id, Actor.OfUser(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<IResult> ImportAsync(IFormFile file, CatalogueService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (file.Length > CatalogueService.MaxFileBytes)
        {
            return FieldProblems.Of("file", "The file is larger than 10 MB.").ToResult();
        }
        await using var stream = file.OpenReadStream();
        return TypedResults.Ok(await service.ImportAsync(stream, file.FileName, Actor.OfUser(user), ct));
    }

    private static async Task ExportAsync(CatalogueService service, HttpContext http, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=catalogue.csv";
        await service.WriteCsvAsync(http.Response.Body, ct);
    }
}
