using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.CarrierAccounts;

public static class CarrierAccountEndpoints
{
    public sealed record UpdateCarrierAccountRequest(CarrierAccountInput Account, Guid Version);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/carrier-accounts").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithTags("Carrier accounts");

        group.MapGet("/", async (CarrierAccountService service, CancellationToken ct) => await service.ListAsync(ct))
            .WithName("ListCarrierAccounts").WithSummary("Carrier accounts with their health; secrets are never returned, only when they were set.");

        group.MapGet("/{id:int}", async Task<IResult> (int id, CarrierAccountService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } account ? TypedResults.Ok(account) : TypedResults.NotFound())
            .WithName("GetCarrierAccount");

        group.MapPost("/", async Task<IResult> (CarrierAccountInput input, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            try
            {
                var created = await service.CreateAsync(input, Actor(user), ct);
                return TypedResults.Created($"/api/v1/carrier-accounts/{created.Id}", created);
            }
            catch (CarrierAccountValidationException ex)
            {
                return TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
            }
        }).WithName("CreateCarrierAccount").WithSummary("Creates an account; AppKey and CustomerPwd are encrypted and never returned.");

        group.MapPut("/{id:int}", async Task<IResult> (int id, UpdateCarrierAccountRequest request, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (request.Account is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = ["The account to save is required."] });
            }
            try
            {
                return TypedResults.Ok(await service.UpdateAsync(id, request.Account, request.Version, Actor(user), ct));
            }
            catch (CarrierAccountValidationException ex)
            {
                return TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => e.Value));
            }
            catch (KeyNotFoundException)
            {
                return TypedResults.NotFound();
            }
            catch (CarrierAccountConcurrencyException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Changed by someone else");
            }
        }).WithName("UpdateCarrierAccount").WithSummary("Updates an account; omit appKey/customerPwd (null) to keep the saved secrets. Send the version you read.");

        group.MapPost("/{id:int}/disable", async Task<IResult> (int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
                await service.SetDisabledAsync(id, true, Actor(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("DisableCarrierAccount");

        group.MapPost("/{id:int}/enable", async Task<IResult> (int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
                await service.SetDisabledAsync(id, false, Actor(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("EnableCarrierAccount");

        group.MapPost("/{id:int}/test", async Task<IResult> (int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
                await service.GetAsync(id, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await service.TestConnectionAsync(id, Actor(user), ct)))
            .WithName("TestCarrierAccount").WithSummary("Makes a real signed call (2002) and reports the carrier's answer.");
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "api";
}
