using System.Globalization;
using System.Text.Encodings.Web;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// What a customer sees after too many lookups: the public page's own look (brand bar, card, colour) in their language
/// (the request's culture: cookie, then Accept-Language), saying when to try again. Written by the rate limiter, so
/// it is plain HTML rather than a component; status 429 and Retry-After stay as the limiter set them.
/// </summary>
public static class TrackLimitedPage
{
    public static async Task WriteAsync(HttpContext http, TimeSpan? retryAfter, CancellationToken ct)
    {
        var services = http.RequestServices;
        var l = services.GetRequiredService<IStringLocalizer<TrackingResources>>();
        var brand = await TrackingBrand.LoadAsync(services.GetRequiredService<PortalSettings>(), ct);
        var culture = CultureInfo.CurrentUICulture;
        var html = HtmlEncoder.Default;

        string message;
        if (retryAfter is { } wait)
        {
            var at = BusinessCalendar.ToBusinessTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime + wait);
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            message = l["Track.LimitedUntil", at.ToString("HH:mm", CultureInfo.InvariantCulture), minutes];
        }
        else
        {
            message = l["Track.LimitedLater"];
        }
        var title = l["Track.Limited"].Value;
        var brandName = brand.Name ?? l["Track.Title"].Value;
        var logo = brand.LogoUrl is null ? "" : $"<img src=\"{html.Encode(brand.LogoUrl)}\" alt=\"\" class=\"logo\" data-testid=\"track-logo\" />";

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="{{html.Encode(culture.Name)}}">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{{html.Encode(title)}} · {{html.Encode(brandName)}}</title>
            <style>
            body { margin: 0; min-height: 100vh; background: #f5f7fa; font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; color: #263238; }
            header { display: flex; align-items: center; gap: 12px; padding: 14px 24px; background: {{brand.PrimaryColor}}; color: #fff; }
            .logo { height: 36px; width: auto; }
            .brand { font-size: 1.25rem; font-weight: 600; }
            main { max-width: 640px; margin: 24px auto; background: #fff; border-radius: 8px; padding: 20px 24px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
            h1 { font-size: 1.4rem; margin: 0 0 12px; }
            a.back { display: inline-block; margin-top: 8px; padding: 10px 16px; color: #fff; background: {{brand.PrimaryColor}}; border-radius: 4px; text-decoration: none; }
            @media (max-width: 680px) { main { margin: 12px; padding: 16px; } }
            </style>
            </head>
            <body>
            <header>{{logo}}<span class="brand" data-testid="track-brand">{{html.Encode(brandName)}}</span></header>
            <main data-testid="track-limited">
            <h1>{{html.Encode(title)}}</h1>
            <p data-testid="track-limited-when">{{html.Encode(message)}}</p>
            <a class="back" href="/track">{{html.Encode(l["Track.LimitedBack"].Value)}}</a>
            </main>
            </body>
            </html>
            """, ct);
    }
}
