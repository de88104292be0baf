using System.Security.Claims;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>Who did an action, as histories and the audit log write it.</summary>
public static class Actor
{
    /// <summary>
    /// A client of the REST API with an API key: "api:" and the key's name, so a history line tells a shop system
    /// from a person.
    /// </summary>
    public static string OfApiKey(ClaimsPrincipal user) => "api:" + (user.Identity?.Name ?? "key");

    /// <summary>A signed-in person on an admin route (by user name); "api" when the caller has no name.</summary>
    public static string OfUser(ClaimsPrincipal user) => user.Identity?.Name ?? "api";
}
