using ZXing;
using ZXing.Common;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Code 128 symbols as runs of dark modules, so a renderer can draw them as vector rectangles.
/// </summary>
/// <remarks>
/// PDFsharp has no Code 128. ZXing encodes (it picks code sets A/B/C, so a numeric tracking number uses the dense
/// set C) and we only read the module pattern back: with width 1 and margin 0 the <see cref="BitMatrix"/> is exactly
/// one pixel per module, quiet zones excluded (the renderer adds its own).
/// </remarks>
internal static class Code128
{
    /// <summary>Quiet zone each side, in modules (ISO/IEC 15417 asks for at least 10).</summary>
    public const int QuietZoneModules = 10;

    /// <summary>The symbol for <paramref name="content"/>: total width in modules and the dark runs (start, width).</summary>
    public static Code128Symbol Encode(string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(content);
        var hints = new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = 0 };
        var matrix = new MultiFormatWriter().encode(content, BarcodeFormat.CODE_128, 1, 1, hints);

        var runs = new List<(int Start, int Width)>();
        var x = 0;
        while (x < matrix.Width)
        {
            if (!matrix[x, 0])
            {
                x++;
                continue;
            }
            var start = x;
            while (x < matrix.Width && matrix[x, 0])
            {
                x++;
            }
            runs.Add((start, x - start));
        }
        return new Code128Symbol(matrix.Width, runs);
    }
}

internal sealed record Code128Symbol(int Modules, IReadOnlyList<(int Start, int Width)> Bars);
