using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.CarrierAccounts;

public static class CarrierAccountEndpoints
{
    public sealed record UpdateCarrierAccountRequest(CarrierAccountInput Account, Guid Version);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/carrier-accounts").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithTags("Carrier accounts");

        group.MapGet("/", ListAsync)
            .WithName("ListCarrierAccounts").WithSummary("Carrier accounts with their health; secrets are never returned, only when they were set.");
        group.MapGet("/{id:int}", GetAsync).WithName("GetCarrierAccount");
        group.MapPost("/", CreateAsync).WithName("CreateCarrierAccount").WithSummary("Creates an account; AppKey and CustomerPwd are encrypted and never returned.");
        group.MapPut("/{id:int}", UpdateAsync)
            .WithName("UpdateCarrierAccount").WithSummary("Updates an account; omit appKey/customerPwd (null) to keep the saved secrets. Send the version you read.");
        group.MapPost("/{id:int}/disable", DisableAsync).WithName("DisableCarrierAccount");
        group.MapPost("/{id:int}/enable", EnableAsync).WithName("EnableCarrierAccount");
        group.MapPost("/{id:int}/test", TestAsync).WithName("TestCarrierAccount").WithSummary("Makes a real signed call (2002) and reports the carrier's answer.");
    }

    private static async Task<IReadOnlyList<CarrierAccountView>> ListAsync(CarrierAccountService service, CancellationToken ct) => await service.ListAsync(ct);

    private static async Task<IResult> GetAsync(int id, CarrierAccountService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } account ? TypedResults.Ok(account) : TypedResults.NotFound();

    private static async Task<IResult> CreateAsync(CarrierAccountInput input, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var created = await service.CreateAsync(input, Actor.OfUser(user), ct);
            return TypedResults.Created($"/api/v1/carrier-accounts/{created.Id}", created);
        }
        catch (CarrierAccountValidationException ex)
        {
            return ex.Problems.ToResult();
        }
    }

    private static async Task<IResult> UpdateAsync(int id, UpdateCarrierAccountRequest request, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Account is null)
        {
            return FieldProblems.Of("account", "The account to save is required.").ToResult();
        }
        try
        {
            return TypedResults.Ok(await service.UpdateAsync(id, request.Account, request.Version, Actor.OfUser(user), ct));
        }
        catch (CarrierAccountValidationException ex)
        {
            return ex.Problems.ToResult();
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (CarrierAccountConcurrencyException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Changed by someone else");
        }
    }

    private static async Task<IResult> DisableAsync(int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.SetDisabledAsync(id, true, Actor.OfUser(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<IResult> EnableAsync(int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.SetDisabledAsync(id, false, Actor.OfUser(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<IResult> TestAsync(int id, CarrierAccountService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.GetAsync(id, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await service.TestConnectionAsync(id, Actor.OfUser(user), ct));
}
