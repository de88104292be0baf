using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// /api/v1/settings/auto-merge: the merge page's Admin switch "merge automatically on approval" (合并发货), for systems
/// (admin scope). The change goes through <see cref="AutoMerge"/>, as the switch does (audited as setting.changed).
/// </summary>
public static class AutoMergeEndpoints
{
    /// <param name="Enabled">True: an approved order is merged with the other open orders to the very same receiver.</param>
    public sealed record AutoMergeSetting(bool Enabled);

    /// <param name="Enabled">Required.</param>
    public sealed record AutoMergeRequest(bool? Enabled);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/auto-merge").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", GetAsync)
            .Produces<AutoMergeSetting>()
            .WithName("GetAutoMergeSetting")
            .WithSummary("Whether approved orders are merged at once with the other open orders to the same receiver (the merge page's Admin switch; off by default).");

        group.MapPut("/", SetAsync)
            .Produces<AutoMergeSetting>().ProducesValidationProblem()
            .WithName("SetAutoMergeSetting")
            .WithSummary("Turns merging on approval on or off (audited), as the Admin switch on the merge page. 400 naming enabled when it is missing.");
    }

    private static async Task<Ok<AutoMergeSetting>> GetAsync(Admin.Settings.PortalSettings settings, CancellationToken ct) =>
        TypedResults.Ok(new AutoMergeSetting(await AutoMerge.IsOnAsync(settings, ct)));

    private static async Task<IResult> SetAsync(AutoMergeRequest request, AutoMerge auto, HttpContext http, CancellationToken ct)
    {
        if (request.Enabled is not { } enabled)
        {
            return FieldProblems.Of("enabled", "enabled is required: true or false.").ToResult();
        }
        await auto.SetAsync(enabled, Actor.OfApiKey(http.User), ct);
        return TypedResults.Ok(new AutoMergeSetting(enabled));
    }
}
