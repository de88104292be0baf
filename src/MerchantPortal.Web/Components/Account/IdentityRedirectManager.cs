using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager, IStringLocalizer<AccountResources> localizer)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    /// <summary>Marks an error in the status cookie, so the message itself can be in any language.</summary>
    public const string ErrorMarker = "!";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri)
    {
        uri ??= "";
        // This portal's own absolute URLs (built from the navigation manager) become relative.
        if (uri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase))
        {
            uri = navigationManager.ToBaseRelativePath(uri);
        }
        // Prevent open redirects: a ReturnUrl of "//host", "/\host" or "https://host" goes home instead (and not to a 500).
        if (!IsOnThisPortal(uri))
        {
            uri = "";
        }

        navigationManager.NavigateTo(uri);
    }

    /// <summary>"/path", or a base-relative "Account/x" without a scheme.</summary>
    private static bool IsOnThisPortal(string uri)
    {
        if (uri.Length == 0 || uri[0] == '/')
        {
            return uri.Length == 0 || LocalUrl.IsLocal(uri);
        }
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var end = uri.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon >= 0 && (end < 0 || colon < end);
        return uri[0] != '\\' && !hasScheme && LocalUrl.IsLocal("/" + uri);
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context, bool isError = false)
    {
        context.Response.Cookies.Append(StatusCookieName, (isError ? ErrorMarker : "") + message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context, bool isError = false)
        => RedirectToWithStatus(CurrentPath, message, context, isError);

    public void RedirectToInvalidUser(UserManager<ApplicationUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", localizer["InvalidUser.Text", userManager.GetUserId(context.User) ?? ""], context, isError: true);
}
