using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>What the public page shows: status, the customer-safe timeline and the route. Nothing about the order.</summary>
/// <param name="EstimatedDeliveryUtc">The carrier's own estimate: shown only when the portal has no prediction.</param>
/// <param name="Expected">The portal's prediction as dates only (never the stage or lane behind it); null when none, or
/// when the parcel no longer travels to the customer (final, or on its way back).</param>
public sealed record PublicTrackingView(string TrackingNo, string ShipperCode, ShipmentStatus Status, DateTime? EstimatedDeliveryUtc,
    IReadOnlyList<ShipmentEventView> Events, IReadOnlyList<RouteStop> Route, DeliveryWindow? Expected = null)
{
    /// <summary>An expected date means something only while the parcel is on its way to the customer.</summary>
    public bool StillComing => !Status.IsFinal() && Status != ShipmentStatus.Returning;
}

/// <summary>The merchant's look on the public page, from <see cref="PortalSettings"/> (edited on /admin/settings).</summary>
public sealed partial record TrackingBrand(string? Name, string? LogoUrl, string PrimaryColor)
{
    public const string NameKey = "tracking.brandName";
    public const string LogoUrlKey = "tracking.logoUrl";
    public const string PrimaryColorKey = "tracking.primaryColor";
    public const string DefaultColor = "#1e88e5";
    public const int NameMax = 60;

    /// <summary>What is wrong with a brand to store (values already trimmed, null = default), field by field.</summary>
    public static FieldProblems Check(string? name, string? logoUrl, string? primaryColor)
    {
        var problems = new FieldProblems();
        if (name?.Length > NameMax)
        {
            problems.Add("name", $"name has at most {NameMax} characters; it had {name.Length}. Nothing was saved.");
        }
        if (logoUrl is not null && !IsValidLogoUrl(logoUrl))
        {
            problems.Add("logoUrl", "logoUrl is a path on this portal such as /assets/brand/logo.png (one leading slash, no spaces, at most 300 characters).");
        }
        if (primaryColor is not null && !IsValidColor(primaryColor))
        {
            problems.Add("primaryColor", "primaryColor is #rgb or #rrggbb, for example #1e88e5.");
        }
        return problems;
    }

    public static async Task<TrackingBrand> LoadAsync(PortalSettings settings, CancellationToken ct = default)
    {
        var name = await settings.GetAsync<string?>(NameKey, null, ct);
        var logo = await settings.GetAsync<string?>(LogoUrlKey, null, ct);
        var color = await settings.GetAsync<string?>(PrimaryColorKey, null, ct);
        // Checked again on the way out: a value written around the settings page must not become CSS or a script URL.
        return new(string.IsNullOrWhiteSpace(name) ? null : name.Trim(), IsValidLogoUrl(logo) ? logo : null, IsValidColor(color) ? color! : DefaultColor);
    }

    /// <summary>#rgb or #rrggbb only: the value goes into a style attribute.</summary>
    public static bool IsValidColor(string? value) => value is not null && ColorPattern().IsMatch(value);

    /// <summary>
    /// A path on this portal ("/assets/brand/logo.png"): the content security policy admits images from the portal
    /// only, so another origin would not load, and a javascript: or protocol-relative URL is refused outright.
    /// </summary>
    public static bool IsValidLogoUrl(string? value) =>
        value is { Length: > 1 and <= 300 } && value[0] == '/' && value[1] != '/' && value[1] != '\\' && !value.Any(char.IsWhiteSpace);

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex ColorPattern();
}

/// <summary>
/// The public tracking lookup (/track): a tracking number and the last four digits of the receiver's phone. A wrong
/// number and wrong digits give the same answer (null), so the page cannot be used to learn which numbers exist.
/// </summary>
public sealed class PublicTracking(IDbContextFactory<PortalDbContext> dbFactory, ShipmentQueries queries)
{
    public async Task<PublicTrackingView?> FindAsync(string? trackingNo, string? phoneLast4, CancellationToken ct = default)
    {
        trackingNo = trackingNo?.Trim();
        phoneLast4 = phoneLast4?.Trim();
        if (string.IsNullOrEmpty(trackingNo) || trackingNo.Length > 64 || phoneLast4 is not { Length: 4 } || !phoneLast4.All(char.IsAsciiDigit))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.TrackingNo == trackingNo && s.OrderId != null)
            .OrderByDescending(s => s.Id)
            .Select(s => new { s.Id, Order = db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => new { o.PhoneLast4 }).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        // Parcels registered without an order have no phone to check against: never public.
        var expected = row?.Order?.PhoneLast4 ?? "0000";
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected.PadRight(4)[..4]), Encoding.ASCII.GetBytes(phoneLast4))
            && row?.Order is not null;
        // The same reads follow whatever the outcome (id 0 matches nothing): a known number with wrong digits must
        // cost what an unknown number costs, or the time of the answer tells which numbers exist.
        var view = await queries.GetByIdWithConstantWorkAsync(matches ? row!.Id : 0, ct);
        if (view is null)
        {
            return null;
        }
        var events = CustomerSafe.Timeline(view.Events);
        var route = RouteStops.From(events, view.OriginProvince, view.DestinationProvince, view.Status == ShipmentStatus.Delivered);
        return new(view.TrackingNo, view.ShipperCode, view.Status, view.EstimatedDelivery, events, route, view.ExpectedDelivery?.Window);
    }
}

/// <summary>
/// Guessing protection for /track: lookups (form posts) per client IP, fixed window. Showing the empty form is free.
/// Limits from configuration Tracking:PublicPage:PermitLimit (10) and :WindowMinutes (5).
/// </summary>
public sealed class TrackRateLimitPolicy(IConfiguration configuration) : IRateLimiterPolicy<string>
{
    public const string Name = "public-tracking";

    private readonly int permitLimit = configuration.GetValue("Tracking:PublicPage:PermitLimit", 10);
    private readonly TimeSpan window = TimeSpan.FromMinutes(configuration.GetValue("Tracking:PublicPage:WindowMinutes", 5.0));

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        TimeSpan? wait = null;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            wait = retryAfter;
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await TrackLimitedPage.WriteAsync(http, wait, ct);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        if (!HttpMethods.IsPost(httpContext.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("view");
        }
        var ip = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            QueueLimit = 0,
        });
    }
}
