using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// 简体中文 and English. Resources are .resx files beside their feature (Features/X/XResources.resx and
/// .zh-CN.resx); the culture comes from the cookie set by /culture, then the browser's Accept-Language.
/// </summary>
public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["zh-CN", "en"];
    public const string DefaultCulture = "zh-CN";

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Cultures.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>
    /// GET /culture?culture=en&amp;redirectUri=/orders — persists the choice in the culture cookie for a year and
    /// goes back. A full reload is needed: a Blazor circuit keeps the culture it started with.
    /// </summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture", (HttpContext context, string? culture, string? redirectUri) =>
        {
            var chosen = Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? DefaultCulture;
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(Infrastructure.LocalUrl.OrHome(redirectUri));
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
