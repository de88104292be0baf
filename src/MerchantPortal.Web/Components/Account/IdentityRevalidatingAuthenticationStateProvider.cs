using System.Security.Claims;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Setup;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Components.Account;

// This is a server-side AuthenticationStateProvider that revalidates the security stamp and roles of the connected user
// every minute an interactive circuit is connected, and ends the circuit's sign-in at the absolute session limit:
// a circuit makes no HTTP requests, so the cookie's checks alone would never see it.
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        [FromKeyedServices(IdentitySetup.SessionClock)] TimeProvider clock,
        IOptions<PortalSessionOptions> session)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (IdentitySetup.IsPastAbsoluteTimeout(authenticationState.User, clock, session.Value))
        {
            return false;
        }
        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User);
    }

    /// <summary>
    /// A circuit keeps the principal it started with, so besides the stamp it must notice a changed role: the
    /// circuit then ends and the next page load brings a principal with the new role (the cookie refreshes it).
    /// </summary>
    internal async Task<bool> ValidateSecurityStampAsync(UserManager<ApplicationUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return false;
        }
        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        if (principalStamp != await userManager.GetSecurityStampAsync(user))
        {
            return false;
        }
        var roles = await userManager.GetRolesAsync(user);
        var principalRoles = principal.FindAll(options.Value.ClaimsIdentity.RoleClaimType).Select(c => c.Value);
        return roles.ToHashSet(StringComparer.Ordinal).SetEquals(principalRoles);
    }
}
