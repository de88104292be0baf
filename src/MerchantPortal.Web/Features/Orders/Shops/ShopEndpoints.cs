using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

public static class ShopEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/shops").WithTags("Shops");
        group.MapGet("/", ListAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListShops").WithSummary("Shops (店铺) with their platform, default warehouse and the sender printed on their orders' labels (empty: the warehouse's).");
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .WithName("CreateShop").WithSummary("Creates a shop; code is 1–32 letters, digits, '-' or '_' (kept lower-case); the sender is all of name, phone and address or none.");
        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .WithName("UpdateShop").WithSummary("Changes a shop (the same rules as creating one).");
        group.MapPost("/{id:int}/deactivate", DeactivateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .WithName("DeactivateShop").WithSummary("Deactivates a shop: no longer offered for new orders; its orders keep it.");
    }

    private static async Task<IReadOnlyList<ShopView>> ListAsync(ShopService service, CancellationToken ct) => await service.ListAsync(ct: ct);

    private static Task<IResult> CreateAsync(ShopInput input, ShopService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(null, input, service, user, ct);

    private static Task<IResult> UpdateAsync(int id, ShopInput input, ShopService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(id, input, service, user, ct);

    private static async Task<IResult> SaveAsync(int? id, ShopInput input, ShopService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var saved = await service.SaveAsync(id, input, Actor.OfUser(user), ct);
            return id is null ? TypedResults.Created($"/api/v1/shops/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (ShopValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static async Task<IResult> DeactivateAsync(int id, ShopService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.DeactivateAsync(id, Actor.OfUser(user), ct) is { } shop ? TypedResults.Ok(shop) : TypedResults.NotFound();
}
