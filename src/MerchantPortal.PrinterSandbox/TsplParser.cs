using System.Globalization;
using System.Text;

namespace MerchantPortal.PrinterSandbox;

/// <summary>
/// Reads TSPL/TSPL2 as TSC's programming manual describes it: one command per line (CR LF or LF), parameters comma
/// separated, strings in double quotes with \["] standing for a double quote inside one. SIZE w mm,h mm sets the
/// label, CLS clears the image buffer (a new label begins), TEXT x,y,"font",rotation,x-mul,y-mul,"content",
/// BARCODE x,y,"type",height,readable,rotation,narrow,wide,"content", BOX x,y,x_end,y_end,thickness, BAR x,y,w,h,
/// and PRINT m[,n] prints the buffer m times. Coordinates are dots; the dots per mm come from the printer's
/// resolution (8 at 203 dpi, 12 at 300). Commands the simulator does not need (GAP, DIRECTION, REFERENCE, CODEPAGE,
/// DENSITY, SPEED, SET …) are accepted and ignored.
/// </summary>
public static class TsplParser
{
    public static IReadOnlyList<PrintedLabel> Parse(string tspl, int dotsPerMm = 8)
    {
        ArgumentNullException.ThrowIfNull(tspl);
        var labels = new List<PrintedLabel>();
        int width = 0, height = 0;
        var texts = new List<PrintedText>();
        var boxes = new List<PrintedBox>();
        var barcodes = new List<PrintedBarcode>();
        foreach (var raw in tspl.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var command = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var args = Split(space < 0 ? "" : line[(space + 1)..]);
            switch (command)
            {
                case "SIZE":
                    width = Mm(args, 0, dotsPerMm);
                    height = Mm(args, 1, dotsPerMm);
                    break;
                case "CLS":
                    texts = [];
                    boxes = [];
                    barcodes = [];
                    break;
                case "TEXT":
                    // Height: a bitmap font's nominal size (TSS24.BF2 = 24 dots, "3" = 16×24) times the y multiplier.
                    texts.Add(new PrintedText(Int(args, 0), Int(args, 1), FontHeight(Arg(args, 2)) * Math.Max(1, Int(args, 5, 1)), Arg(args, 2), Arg(args, 6)));
                    break;
                case "BARCODE":
                    barcodes.Add(new PrintedBarcode(Int(args, 0), Int(args, 1), Arg(args, 2), Arg(args, 8), Int(args, 6, 2), Int(args, 3)));
                    break;
                case "BOX":
                    var x = Int(args, 0);
                    var y = Int(args, 1);
                    boxes.Add(new PrintedBox(x, y, Int(args, 2) - x, Int(args, 3) - y, Int(args, 4, 1), false));
                    break;
                case "BAR":
                    boxes.Add(new PrintedBox(Int(args, 0), Int(args, 1), Int(args, 2), Int(args, 3), Math.Min(Int(args, 2), Int(args, 3)), true));
                    break;
                case "PRINT":
                    var sets = Math.Max(1, Int(args, 0, 1));
                    var copies = Math.Max(1, Int(args, 1, 1));
                    labels.Add(new PrintedLabel(PrinterLanguage.Tspl, width, height, sets * copies, [.. texts], [.. boxes], [.. barcodes]));
                    break;
                default:
                    break;
            }
        }
        return labels;
    }

    private static int FontHeight(string font) => font.ToUpperInvariant() switch
    {
        "1" => 12,
        "2" => 20,
        "3" => 24,
        "4" => 32,
        "5" => 48,
        "6" => 22,
        "7" => 24,
        "8" => 28,
        _ when font.Contains("16", StringComparison.Ordinal) => 16,
        _ when font.Contains("24", StringComparison.Ordinal) => 24,
        _ => 24,
    };

    /// <summary>Splits on commas outside double quotes; a quoted parameter loses its quotes and \["] becomes ".</summary>
    internal static List<string> Split(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\' && string.CompareOrdinal(text, i, "\\[\"]", 0, 4) == 0)
            {
                current.Append('"');
                i += 3;
                continue;
            }
            if (c == '"')
            {
                quoted = !quoted;
                continue;
            }
            if (c == ',' && !quoted)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        parts.Add(current.ToString().Trim());
        return parts;
    }

    private static string Arg(List<string> args, int index) => index < args.Count ? args[index] : "";

    private static int Int(List<string> args, int index, int fallback = 0) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    /// <summary>"100 mm" → 800 dots at 8 dots/mm; a bare number is inches (TSPL's default unit).</summary>
    private static int Mm(List<string> args, int index, int dotsPerMm)
    {
        var value = Arg(args, index);
        var mm = value.EndsWith("mm", StringComparison.OrdinalIgnoreCase);
        var number = mm ? value[..^2].Trim() : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return 0;
        }
        return (int)Math.Round((mm ? v : v * 25.4) * dotsPerMm);
    }
}
