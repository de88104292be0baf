using Microsoft.AspNetCore.Authorization;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>The three roles of product.md.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Ops = "Ops";
    public const string CustomerService = "CustomerService";

    public static readonly string[] All = [Admin, Ops, CustomerService];
}

/// <summary>
/// The permission matrix of product.md as named policies. Pages and endpoints name a policy, never a role, so
/// the matrix lives here once. Deny by default: the fallback policy needs a signed-in user with a portal role.
/// </summary>
public static class Policies
{
    /// <summary>Any portal role: orders list/detail/search, tracking, lookup, returns, exception comments.</summary>
    public const string SignedIn = "signed-in";
    /// <summary>Orders import/approve/cancel, waybills, exception assign/resolve, refunds, KPIs: Ops and Admin.</summary>
    public const string Operations = "operations";
    /// <summary>Unmasked phone numbers and addresses (CustomerService sees them masked).</summary>
    public const string FullPii = "full-pii";
    /// <summary>Carrier accounts, users, API keys, settings, Hangfire dashboard, audit log.</summary>
    public const string Admin = "admin";

    public static void Configure(AuthorizationOptions options)
    {
        var signedIn = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireRole(Roles.All)
            .Build();
        options.AddPolicy(SignedIn, signedIn);
        options.DefaultPolicy = signedIn;
        options.FallbackPolicy = signedIn;
        options.AddPolicy(Operations, p => p.RequireAuthenticatedUser().RequireRole(Roles.Ops, Roles.Admin));
        options.AddPolicy(FullPii, p => p.RequireAuthenticatedUser().RequireRole(Roles.Ops, Roles.Admin));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        ApiScopes.AddPolicies(options);
    }
}
