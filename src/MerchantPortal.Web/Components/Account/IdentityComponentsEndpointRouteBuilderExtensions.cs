using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Microsoft.AspNetCore.Routing;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // Endpoints the Identity Razor components post to. External logins and passkeys were removed: accounts are
    // created by an Admin (docs/product.md), and two-factor is TOTP.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account").ExcludeFromDescription();

        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<ApplicationUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            // A crafted ReturnUrl ("/\host") would make LocalRedirect throw: anything not on the portal goes home.
            return TypedResults.LocalRedirect(LocalUrl.OrHome("/" + returnUrl?.TrimStart('/')));
        }).AllowAnonymous();

        // Where the browser's idle watch (portal.js) posts the layout's hidden form. Only a post with the antiforgery
        // token signs out: a link or a form on another site must not sign staff out. Without a valid token a signed-in
        // user stays signed in; someone already signed out (the session ran out first) just goes to the login page.
        accountGroup.MapPost("/IdleSignOut", async (HttpContext http, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<ApplicationUser> signInManager) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return http.User.Identity?.IsAuthenticated == true ? Results.BadRequest() : Results.LocalRedirect("~/Account/Login?idle=true");
            }
            await signInManager.SignOutAsync();
            return Results.LocalRedirect("~/Account/Login?idle=true");
        }).AllowAnonymous().DisableAntiforgery();

        return accountGroup;
    }
}
