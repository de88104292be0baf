using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Admin.ApiKeys;

public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyRequest(
        [property: Required, StringLength(100, MinimumLength = 1)] string Name,
        [property: Required, MinLength(1)] string[] Scopes);

    public sealed record ApiKeyCreatedResponse(int Id, string Name, string Key, IReadOnlyList<string> Scopes);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/api-keys").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).WithTags("Admin");

        group.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("All API keys (never the key itself).");
        group.MapPost("/", CreateAsync).WithName("CreateApiKey").WithSummary("Creates a key; the answer is the only time the key is shown.");
        group.MapDelete("/{id:int}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revokes a key at once.");
    }

    private static async Task<IReadOnlyList<ApiKeyRow>> ListAsync(ApiKeyService keys, CancellationToken ct) => await keys.ListAsync(ct);

    private static async Task<IResult> CreateAsync(CreateApiKeyRequest request, ApiKeyService keys, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var created = await keys.CreateAsync(request.Name, request.Scopes, Actor.OfUser(user), ct);
            return TypedResults.Created($"/api/v1/api-keys/{created.Id}", new ApiKeyCreatedResponse(created.Id, created.Name, created.Key, created.Scopes));
        }
        catch (ArgumentException ex)
        {
            return FieldProblems.Of(ex.ParamName == "scopes" ? "scopes" : "name", ex.Message.Split(" (Parameter")[0]).ToResult();
        }
    }

    private static async Task<IResult> RevokeAsync(int id, ApiKeyService keys, ClaimsPrincipal user, CancellationToken ct) =>
        await keys.RevokeAsync(id, Actor.OfUser(user), ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
