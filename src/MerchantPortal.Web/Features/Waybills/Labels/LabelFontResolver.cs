using PdfSharp.Fonts;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Serves WenQuanYi Micro Hei to PDFsharp for every family name the portal asks for.
/// </summary>
/// <remarks>
/// PDFsharp 6 on Linux has no platform fonts: without a resolver every <c>XFont</c> throws. Labels must print
/// Chinese, and the only CJK font we ship is WQY Micro Hei (a .ttc that PDFsharp cannot read), so the resolver
/// cuts face 0 (the proportional "WenQuanYi Micro Hei"; face 1 is the mono variant) out of the collection once
/// and hands PDFsharp the same cached bytes forever after.
///
/// <see cref="GlobalFontSettings.FontResolver"/> is process-wide and PDFsharp refuses a change once a font was
/// used, so the resolver is installed exactly once, under a lock, by <see cref="EnsureRegistered"/>; every PDF
/// in the portal (labels now, the handover list later) goes through this one resolver.
///
/// The font (wwwroot-assets/fonts/, dual-licensed) is used under its Apache-2.0 terms; see wwwroot-assets/README.md.
///
/// The font has no bold face. Bold requests resolve to the same face with PDFsharp's bold simulation (the glyph
/// outline is stroked as well as filled), which is how Chinese thermal labels look anyway.
/// </remarks>
internal sealed class LabelFontResolver : IFontResolver
{
    public const string FamilyName = "WenQuanYi Micro Hei";

    /// <summary>Where the build puts the font (the Web csproj copies wwwroot-assets/** next to the app).</summary>
    public static string FontPath => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "fonts", "wqy-microhei.ttc");

    private const string FaceName = "wqy-microhei-0";

    private static readonly Lock RegistrationGate = new();
    private static volatile bool registered;

    // Lazy with ExecutionAndPublication: the 5 MB read and the rebuild run once even if many threads render
    // the first label at the same moment; a failure (missing file) is cached too, which is what we want: the
    // deployment is broken and every attempt should say so the same way.
    private static readonly Lazy<byte[]> Ttf = new(LoadTtf, LazyThreadSafetyMode.ExecutionAndPublication);

    public static LabelFontResolver Instance { get; } = new();

    private LabelFontResolver()
    {
    }

    /// <summary>The standalone TrueType bytes of face 0 (cached for the life of the process).</summary>
    public static byte[] TtfBytes => Ttf.Value;

    /// <summary>Installs the resolver as PDFsharp's global one, once. Safe to call from any thread, any number of times.</summary>
    public static void EnsureRegistered()
    {
        if (registered)
        {
            return;
        }
        lock (RegistrationGate)
        {
            if (registered)
            {
                return;
            }
            var current = GlobalFontSettings.FontResolver;
            if (current is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (current is not LabelFontResolver)
            {
                // Someone installed another resolver first; silently using it would print boxes instead of
                // Chinese. Better to fail loudly at the first label than to ship unreadable labels.
                throw new InvalidOperationException(
                    $"PDFsharp already has a font resolver ({current.GetType().FullName}); labels need {nameof(LabelFontResolver)}.");
            }
            registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(FaceName, mustSimulateBold: isBold, mustSimulateItalic: isItalic);

    public byte[]? GetFont(string faceName) => faceName == FaceName ? TtfBytes : null;

    private static byte[] LoadTtf()
    {
        var path = FontPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                "The label font is missing; the build copies wwwroot-assets/fonts/ next to the app.", path);
        }
        var bytes = File.ReadAllBytes(path);
        return TrueTypeCollection.IsCollection(bytes) ? TrueTypeCollection.ExtractFace(bytes, 0) : bytes;
    }
}
