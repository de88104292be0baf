using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

public static class WarehouseEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/warehouses").WithTags("Warehouses");
        group.MapGet("/", ListAsync)
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("ListWarehouses").WithSummary("Ship-from warehouses with their sender address and default carrier account.");
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithName("CreateWarehouse");
        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithName("UpdateWarehouse");
    }

    private static async Task<IReadOnlyList<WarehouseView>> ListAsync(WarehouseService service, CancellationToken ct) => await service.ListAsync(ct);

    private static Task<IResult> CreateAsync(WarehouseInput input, WarehouseService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(null, input, service, user, ct);

    private static Task<IResult> UpdateAsync(int id, WarehouseInput input, WarehouseService service, ClaimsPrincipal user, CancellationToken ct) => SaveAsync(id, input, service, user, ct);

    private static async Task<IResult> SaveAsync(int? id, WarehouseInput input, WarehouseService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var saved = await service.SaveAsync(id, input, Actor.OfUser(user), ct);
            return id is null ? TypedResults.Created($"/api/v1/warehouses/{saved.Id}", saved) : TypedResults.Ok(saved);
        }
        catch (WarehouseValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }
}
