using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// /api/v1/settings/tracking-brand: the public tracking page's look from /admin/settings, for systems (admin scope).
/// The same checks as the settings section; a value that fails one is refused by name, never cut or stored.
/// </summary>
public static class TrackingBrandEndpoints
{
    /// <param name="Name">Shown at the top of /track; null: the portal's own name.</param>
    /// <param name="LogoUrl">A path on this portal ("/assets/brand/logo.png"); null: no logo.</param>
    /// <param name="PrimaryColor">#rgb or #rrggbb.</param>
    public sealed record TrackingBrandView(string? Name, string? LogoUrl, string PrimaryColor);

    /// <param name="Name">At most 60 characters; empty or null: the portal's own name.</param>
    /// <param name="LogoUrl">A path on this portal starting with one "/" (the content security policy loads images from the portal only), at most 300 characters; empty or null: no logo.</param>
    /// <param name="PrimaryColor">#rgb or #rrggbb; empty or null: the default blue.</param>
    public sealed record TrackingBrandRequest(string? Name, string? LogoUrl, string? PrimaryColor);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/tracking-brand").WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin));

        group.MapGet("/", GetAsync)
            .Produces<TrackingBrandView>()
            .WithName("GetTrackingBrand")
            .WithSummary("The public tracking page's brand name, logo and colour, as /admin/settings shows them.");

        group.MapPut("/", SetAsync)
            .Produces<TrackingBrandView>().ProducesValidationProblem()
            .WithName("SetTrackingBrand")
            .WithSummary("Replaces the public tracking page's brand (audited), as /admin/settings saves it; a field left out or empty goes back to its default. 400 naming name (over 60 characters), logoUrl (not a path on this portal) or primaryColor (not #rgb/#rrggbb); nothing is saved then.");
    }

    private static async Task<Ok<TrackingBrandView>> GetAsync(PortalSettings settings, CancellationToken ct) => TypedResults.Ok(View(await TrackingBrand.LoadAsync(settings, ct)));

    private static async Task<IResult> SetAsync(TrackingBrandRequest request, PortalSettings settings, HttpContext http, CancellationToken ct)
    {
        var (name, logo, color) = (Clean(request.Name), Clean(request.LogoUrl), Clean(request.PrimaryColor));
        var problems = TrackingBrand.Check(name, logo, color);
        if (problems.Any)
        {
            return problems.ToResult();
        }
        var actor = Actor.OfApiKey(http.User);
        await settings.SetAsync(TrackingBrand.NameKey, name, actor, ct);
        await settings.SetAsync(TrackingBrand.LogoUrlKey, logo, actor, ct);
        await settings.SetAsync(TrackingBrand.PrimaryColorKey, color, actor, ct);
        return TypedResults.Ok(View(await TrackingBrand.LoadAsync(settings, ct)));
    }

    private static TrackingBrandView View(TrackingBrand b) => new(b.Name, b.LogoUrl, b.PrimaryColor);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
