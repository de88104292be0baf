using System.Security.Claims;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// Checks the sign-in cookie against the user row on every request, in place of Identity's interval-based
/// SecurityStampValidator. A password change, a disable or a two-factor reset (each a new security stamp) refuses
/// every other session at its next request, not minutes later. The check is one primary-key read of three
/// columns; the principal is rebuilt (roles, claims) only when the row changed since the cookie was issued, which
/// is how a role change reaches an open session without signing it out. Cost: docs/benchmarks.md (R7).
/// </summary>
public static class SessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claimTypes = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var principal = context.Principal;
        var userId = principal?.FindFirstValue(claimTypes.UserIdClaimType);
        if (principal is null || userId is null)
        {
            await RejectAsync(context);
            return;
        }
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(context.HttpContext.RequestAborted);
        var row = await db.Users.Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.ConcurrencyStamp, u.IsDisabled })
            .SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (row is null || row.IsDisabled || row.SecurityStamp != principal.FindFirstValue(claimTypes.SecurityStampClaimType))
        {
            await RejectAsync(context);
            return;
        }
        if (row.ConcurrencyStamp != principal.FindFirstValue(IdentitySetup.UserVersionClaim))
        {
            await RefreshAsync(context, principal, userId);
        }
    }

    /// <summary>Rebuilds the principal from the user row, keeping the sign-in time (absolute limit) and the sign-in method.</summary>
    private static async Task RefreshAsync(CookieValidatePrincipalContext context, ClaimsPrincipal current, string userId)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<ApplicationUser>>();
        var user = await signIn.UserManager.FindByIdAsync(userId);
        if (user is null)
        {
            await RejectAsync(context);
            return;
        }
        var fresh = await signIn.CreateUserPrincipalAsync(user);
        if (fresh.Identity is ClaimsIdentity identity)
        {
            foreach (var type in new[] { IdentitySetup.AuthTimeClaim, "amr" })
            {
                if (current.FindFirst(type) is { } kept)
                {
                    foreach (var claim in identity.FindAll(type).ToList())
                    {
                        identity.RemoveClaim(claim);
                    }
                    identity.AddClaim(new Claim(type, kept.Value));
                }
            }
        }
        context.ReplacePrincipal(fresh);
        context.ShouldRenew = true;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}

/// <summary>
/// R7 "two-factor required for Admin": while Security:RequireTwoFactorForAdmin is on, an Admin without two-factor
/// gets the enrolment page for every page until it is enabled. Account pages, the culture switch, Blazor's own
/// endpoints and static files stay reachable so that enrolment itself works; the API uses keys, not users.
/// </summary>
internal static class TwoFactorEnrolment
{
    public const string EnrolPath = "/Account/Manage/EnableAuthenticator";

    private static readonly string[] Exempt = ["/Account", "/_blazor", "/_framework", "/_content", "/culture", "/health", "/api", "/assets"];

    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (await MustEnrolAsync(context))
            {
                context.Response.Redirect(EnrolPath + "?required=true");
                return;
            }
            await next();
        });

    private static async Task<bool> MustEnrolAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PortalSecurityOptions>>().Value;
        if (!options.RequireTwoFactorForAdmin || context.User.Identity?.IsAuthenticated != true || !context.User.IsInRole(Roles.Admin))
        {
            return false;
        }
        var path = context.Request.Path;
        if (Exempt.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) || Path.HasExtension(path.Value))
        {
            return false;
        }
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var dbFactory = context.RequestServices.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        return !await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, context.RequestAborted);
    }
}
