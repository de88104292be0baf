using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// The short link in a shipping message: /t/{token}, the token being the tracking number and an HMAC of it under a
/// key only the portal holds. The link opens /track with the number filled in; a made-up or altered token opens the
/// empty page, so links cannot be forged or counted through (the customer still gives the phone's last four digits).
/// The key is random, made once and kept in the database so every instance signs alike.
/// </summary>
public static class TrackingLinks
{
    public const string Prefix = "/t/";
    public const string KeySetting = "tracking.linkKey";
    private const int SignatureBytes = 10; // 80 bits: far beyond guessing, and the link stays short enough for an SMS.

    public static string Path(string trackingNo, byte[] key) => Prefix + Token(trackingNo, key);

    public static string Token(string trackingNo, byte[] key)
    {
        var number = Encoding.UTF8.GetBytes(trackingNo);
        return WebEncoders.Base64UrlEncode(number) + "." + WebEncoders.Base64UrlEncode(Sign(number, key));
    }

    /// <summary>The tracking number a token names, or null when it is not one the portal signed.</summary>
    public static string? Read(string? token, byte[] key)
    {
        if (token is not { Length: > 0 and <= 200 } || token.Split('.') is not [var payload, var signature])
        {
            return null;
        }
        try
        {
            var number = WebEncoders.Base64UrlDecode(payload);
            var given = WebEncoders.Base64UrlDecode(signature);
            return number.Length is > 0 and <= 64 && CryptographicOperations.FixedTimeEquals(given, Sign(number, key))
                ? Encoding.UTF8.GetString(number)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The link for a message: signed when the key exists (made at start), else the plain /track?no= link.</summary>
    public static async Task<string> ForMessageAsync(PortalDbContext db, string trackingNo, CancellationToken ct) =>
        await ReadKeyAsync(db, ct) is { } key ? Path(trackingNo, key) : "/track?no=" + Uri.EscapeDataString(trackingNo);

    public static async Task<byte[]?> ReadKeyAsync(PortalDbContext db, CancellationToken ct)
    {
        var json = await db.Set<PortalSetting>().AsNoTracking().Where(s => s.Key == KeySetting).Select(s => s.Value).FirstOrDefaultAsync(ct);
        return json is null ? null : Convert.FromBase64String(JsonSerializer.Deserialize<string>(json)!);
    }

    private static byte[] Sign(byte[] number, byte[] key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, [.. "track-link:"u8, .. number], mac);
        return mac[..SignatureBytes].ToArray();
    }
}

/// <summary>Makes the link key once (at start, before any message is written) and hands it to the /t/ endpoint.</summary>
public sealed class TrackingLinkKey(PortalSettings settings) : IHostedService
{
    private byte[]? key;

    public async Task<byte[]> GetAsync(CancellationToken ct = default)
    {
        if (key is not null)
        {
            return key;
        }
        // The settings own the row: the key is made once, by whichever instance asks first.
        var json = await settings.GetOrAddAsync(
            TrackingLinks.KeySetting, JsonSerializer.Serialize(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), "system", ct);
        return key = Convert.FromBase64String(JsonSerializer.Deserialize<string>(json)!);
    }

    public Task StartAsync(CancellationToken cancellationToken) => GetAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>GET /t/{token}: the short link from a message, opening the public page with its number filled in.</summary>
public static class TrackingLinkEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapGet(TrackingLinks.Prefix + "{token}", async (string token, TrackingLinkKey links, CancellationToken ct) =>
            TrackingLinks.Read(token, await links.GetAsync(ct)) is { } number
                ? Results.Redirect("/track?no=" + Uri.EscapeDataString(number))
                : Results.Redirect("/track"))
            .AllowAnonymous().ExcludeFromDescription();
}
