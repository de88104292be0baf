namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Whether a redirect target stays on this portal. The same rule as ASP.NET Core's IsLocalUrl, which LocalRedirect
/// enforces by throwing (a 500 for "/\evil.example"): callers check first and go home instead.
/// </summary>
public static class LocalUrl
{
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }
        var path = url[0] == '/' ? url.AsSpan() : url.StartsWith("~/", StringComparison.Ordinal) ? url.AsSpan(1) : [];
        if (path.IsEmpty)
        {
            return false;
        }
        // "//host" and "/\host" are read by browsers as another host; control characters hide either.
        return path.Length == 1 || (path[1] != '/' && path[1] != '\\' && !path.ContainsAnyInRange('\0', '\x1f') && !path.Contains('\x7f'));
    }

    /// <summary>The target when it is local, else the portal's home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
