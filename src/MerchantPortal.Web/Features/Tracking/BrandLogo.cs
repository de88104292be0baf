using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>The merchant's logo as uploaded (one row): shown on /track and linked from messages.</summary>
public sealed class BrandLogo
{
    public const int SingleId = 1;
    public int Id { get; set; } = SingleId;
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    /// <summary>Hex SHA-256 of the content: the served URL carries its start, so a new logo is never a cached old one.</summary>
    public required string Sha256 { get; set; }
    public DateTime UploadedAtUtc { get; set; }
    public required string UploadedBy { get; set; }
}

internal sealed class BrandLogoConfiguration : IEntityTypeConfiguration<BrandLogo>
{
    public void Configure(EntityTypeBuilder<BrandLogo> b)
    {
        b.ToTable("BrandLogos");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ContentType).HasMaxLength(40);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.UploadedBy).HasMaxLength(256);
    }
}

/// <summary>Why an uploaded logo was refused: the page and the API word it from this.</summary>
public enum LogoProblem
{
    Empty,
    TooLarge,
    NotAnImage,
    SvgWithScript,
}

/// <summary>
/// Checks and stores an uploaded logo. The type comes from the bytes, never from the file name or the browser's claim:
/// PNG and JPEG by their signatures, SVG when it parses as XML with an svg root and nothing that can run (script
/// elements, on* handlers, javascript: or external references, foreignObject). Served from /brand/logo/{version}
/// on this portal, so the content security policy (images from the portal only) admits it.
/// </summary>
public sealed partial class BrandLogos(IDbContextFactory<PortalDbContext> dbFactory, PortalSettings settings, TimeProvider clock)
{
    public const int MaxBytes = 512 * 1024;
    public const string PathPrefix = "/brand/logo/";

    public static (string? ContentType, LogoProblem? Problem) Inspect(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
        {
            return (null, LogoProblem.Empty);
        }
        if (content.Length > MaxBytes)
        {
            return (null, LogoProblem.TooLarge);
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ("image/png", null);
        }
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ("image/jpeg", null);
        }
        return InspectSvg(content);
    }

    private static (string? ContentType, LogoProblem? Problem) InspectSvg(ReadOnlySpan<byte> content)
    {
        System.Xml.Linq.XDocument doc;
        try
        {
            var text = Encoding.UTF8.GetString(content);
            using var reader = System.Xml.XmlReader.Create(new StringReader(text), new System.Xml.XmlReaderSettings
            {
                DtdProcessing = System.Xml.DtdProcessing.Prohibit, // no entities: no billion laughs, no external files
                XmlResolver = null,
            });
            doc = System.Xml.Linq.XDocument.Load(reader);
        }
        catch (System.Xml.XmlException)
        {
            return (null, LogoProblem.NotAnImage);
        }
        if (doc.Root is not { } root || root.Name.LocalName != "svg")
        {
            return (null, LogoProblem.NotAnImage);
        }
        foreach (var element in root.DescendantsAndSelf())
        {
            var name = element.Name.LocalName.ToLowerInvariant();
            if (name is "script" or "foreignobject" or "iframe" or "embed" or "object" or "handler")
            {
                return (null, LogoProblem.SvgWithScript);
            }
            foreach (var attribute in element.Attributes())
            {
                var attr = attribute.Name.LocalName.ToLowerInvariant();
                var value = attribute.Value.Trim();
                if (attr.StartsWith("on", StringComparison.Ordinal) || ScriptUrl().IsMatch(value)
                    || (attr == "href" && value.Length > 0 && !value.StartsWith('#') && !value.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)))
                {
                    return (null, LogoProblem.SvgWithScript);
                }
            }
        }
        return ("image/svg+xml", null);
    }

    [GeneratedRegex(@"^\s*(javascript|vbscript|data:text)\s*:?", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptUrl();

    /// <summary>Stores the logo and points the public page at it; the problem when refused (nothing stored then).</summary>
    public async Task<(string? Url, LogoProblem? Problem)> SaveAsync(byte[] content, string actor, CancellationToken ct = default)
    {
        var (type, problem) = Inspect(content);
        if (problem is not null)
        {
            return (null, problem);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.Set<BrandLogo>().FirstOrDefaultAsync(l => l.Id == BrandLogo.SingleId, ct);
            if (row is null)
            {
                db.Add(row = new BrandLogo { ContentType = type!, Content = content, Sha256 = hash, UploadedBy = actor });
            }
            row.ContentType = type!;
            row.Content = content;
            row.Sha256 = hash;
            row.UploadedAtUtc = clock.GetUtcNow().UtcDateTime;
            row.UploadedBy = actor;
            await db.SaveChangesAsync(ct);
        }
        var url = PathPrefix + hash[..16];
        await settings.SetAsync(TrackingBrand.LogoUrlKey, url, actor, ct);
        return (url, null);
    }

    public async Task<BrandLogo?> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<BrandLogo>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == BrandLogo.SingleId, ct);
    }
}

/// <summary>
/// The logo on the portal (/brand/logo/{version}, public: the tracking page and messages show it) and its upload for
/// systems (POST /api/v1/settings/tracking-brand/logo, admin scope), with the settings page's checks.
/// </summary>
public static class BrandLogoEndpoints
{
    /// <param name="LogoUrl">Where the public page now loads the logo from.</param>
    /// <param name="ContentType">The type recognised from the bytes: image/png, image/jpeg or image/svg+xml.</param>
    public sealed record LogoView(string LogoUrl, string ContentType);

    /// <summary>The API's words for a refusal (the page words them from its resources, in the reader's language).</summary>
    public static string Describe(LogoProblem problem) => problem switch
    {
        LogoProblem.Empty => "The file is empty.",
        LogoProblem.TooLarge => $"The logo is larger than {BrandLogos.MaxBytes / 1024} KB.",
        LogoProblem.SvgWithScript => "The SVG contains a script, an event handler or an external reference; save it as plain SVG or as PNG.",
        _ => "The logo must be a PNG, JPEG or SVG image (recognised by its content, not its name).",
    };

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        app.MapGet(BrandLogos.PathPrefix + "{version}", ServeAsync).AllowAnonymous().ExcludeFromDescription();

        api.MapPost("/settings/tracking-brand/logo", UploadAsync)
            .WithTags("Settings").RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin)).DisableAntiforgery()
            // The logo limit plus room for the multipart envelope; larger bodies are cut off by Kestrel with a 413.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BrandLogos.MaxBytes + (64 * 1024)))
            .WithFormOptions(multipartBodyLengthLimit: BrandLogos.MaxBytes + (64 * 1024))
            .Produces<LogoView>().ProducesValidationProblem()
            .WithName("UploadTrackingBrandLogo")
            .WithSummary("Uploads the public tracking page's logo (multipart field 'file', audited): PNG, JPEG or SVG recognised by its bytes, at most 512 KB; an SVG with scripts, event handlers or external references is refused. The page then shows it from the returned logoUrl. 400 naming file otherwise; nothing is stored then. The colour is set with PUT /api/v1/settings/tracking-brand.");
    }

    private static async Task<IResult> ServeAsync(string version, BrandLogos logos, HttpContext http, CancellationToken ct)
    {
        if (await logos.GetAsync(ct) is not { } logo)
        {
            return TypedResults.NotFound();
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // An SVG opened on its own is a document: let it run nothing and load nothing, whatever slipped past the check.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        // The URL names the content's hash: the current logo is cached long, an old URL only briefly.
        http.Response.Headers.CacheControl = logo.Sha256.StartsWith(version, StringComparison.Ordinal) && version.Length >= 16
            ? "public, max-age=31536000, immutable"
            : "public, max-age=60";
        return TypedResults.File(logo.Content, logo.ContentType);
    }

    private static async Task<IResult> UploadAsync(IFormFile file, BrandLogos logos, ClaimsPrincipal user, CancellationToken ct)
    {
        if (file.Length > BrandLogos.MaxBytes)
        {
            return FieldProblems.Of("file", Describe(LogoProblem.TooLarge)).ToResult();
        }
        using var buffer = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, ct);
        }
        var (url, problem) = await logos.SaveAsync(buffer.ToArray(), Actor.OfApiKey(user), ct);
        if (problem is { } p)
        {
            return FieldProblems.Of("file", Describe(p)).ToResult();
        }
        var stored = await logos.GetAsync(ct);
        return TypedResults.Ok(new LogoView(url!, stored!.ContentType));
    }
}
