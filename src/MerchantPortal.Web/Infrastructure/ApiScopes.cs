using Microsoft.AspNetCore.Authorization;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Scopes an API key can carry. Each scope is also a policy (named "api:" + scope) that accepts only the API key
/// scheme, so a browser cookie never authorizes a system call and an anonymous call gets 401, not a login page.
/// </summary>
public static class ApiScopes
{
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    public const string ShipmentsRead = "shipments:read";
    public const string ShipmentsWrite = "shipments:write";
    public const string WaybillsWrite = "waybills:write";
    public const string ReturnsRead = "returns:read";
    public const string ReturnsWrite = "returns:write";
    public const string ExceptionsRead = "exceptions:read";
    public const string ExceptionsWrite = "exceptions:write";
    public const string KpisRead = "kpis:read";
    public const string Admin = "admin";
    /// <summary>Uploading carrier bills for reconciliation (reading them is kpis:read; rate cards are admin).</summary>
    public const string FreightWrite = "freight:write";
    /// <summary>
    /// Customers' whole phone numbers and street addresses in API answers (orders, returns). Without it a key gets
    /// them masked, as CustomerService sees them (R6): a reporting key needs orders:read, not the customers' homes.
    /// </summary>
    public const string PiiRead = "pii:read";
    /// <summary>The delivery log (what was sent to whom), unsent customer messages and the opt-out list (the Ops page /notifications/log).</summary>
    public const string NotificationsRead = "notifications:read";
    /// <summary>Adding and removing opt-outs.</summary>
    public const string NotificationsWrite = "notifications:write";

    /// <summary>The merchant system's confirmation of refunds it was asked to pay (POST /api/v1/refunds/{id}/result).</summary>
    public const string RefundsWrite = "refunds:write";

    public const string ClaimType = "scope";

    public static readonly string[] All =
        [OrdersRead, OrdersWrite, ShipmentsRead, ShipmentsWrite, WaybillsWrite, ReturnsRead, ReturnsWrite, ExceptionsRead, ExceptionsWrite, KpisRead, Admin, FreightWrite, PiiRead, NotificationsRead, NotificationsWrite, RefundsWrite];

    /// <summary>Whether an API caller may read customers' whole phone numbers and addresses.</summary>
    public static bool SeesFullPii(System.Security.Claims.ClaimsPrincipal user) => user.HasClaim(ClaimType, PiiRead);

    public static string Policy(string scope) => "api:" + scope;

    /// <summary>Any valid key, whatever its scopes.</summary>
    public const string AnyKeyPolicy = "api:any";

    internal static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(AnyKeyPolicy, p => p.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser());
        foreach (var scope in All)
        {
            options.AddPolicy(Policy(scope), p => p
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimType, scope));
        }
    }
}

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
}
