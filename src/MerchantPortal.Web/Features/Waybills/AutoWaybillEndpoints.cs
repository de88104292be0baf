using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// /api/v1/settings/auto-waybills: the Waybills page's Admin switch "waybills on approval", for systems (admin scope).
/// The change goes through <see cref="AutoWaybills"/>, as the switch does (audited as setting.changed).
/// </summary>
public static class AutoWaybillEndpoints
{
    /// <param name="Enabled">True: every approved order gets its waybill at once, through a batch per warehouse.</param>
    public sealed record AutoWaybillSetting(bool Enabled);

    /// <param name="Enabled">Required.</param>
    public sealed record AutoWaybillRequest(bool? Enabled);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/auto-waybills").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", GetAsync)
            .Produces<AutoWaybillSetting>()
            .WithName("GetAutoWaybillSetting")
            .WithSummary("Whether approved orders get their waybill at once (the Waybills page's Admin switch).");

        group.MapPut("/", SetAsync)
            .Produces<AutoWaybillSetting>().ProducesValidationProblem()
            .WithName("SetAutoWaybillSetting")
            .WithSummary("Turns waybills on approval on or off (audited), as the Admin switch on the Waybills page. 400 naming enabled when it is missing.");
    }

    private static async Task<Ok<AutoWaybillSetting>> GetAsync(AutoWaybills auto, CancellationToken ct) => TypedResults.Ok(new AutoWaybillSetting(await auto.IsOnAsync(ct)));

    private static async Task<IResult> SetAsync(AutoWaybillRequest request, AutoWaybills auto, HttpContext http, CancellationToken ct)
    {
        if (request.Enabled is not { } enabled)
        {
            return FieldProblems.Of("enabled", "enabled is required: true or false.").ToResult();
        }
        await auto.SetAsync(enabled, Actor.OfApiKey(http.User), ct);
        return TypedResults.Ok(new AutoWaybillSetting(await auto.IsOnAsync(ct)));
    }
}
