using System.Globalization;
using System.Text;

namespace MerchantPortal.PrinterSandbox;

/// <summary>
/// Reads ZPL II as the Zebra Programming Guide describes it: every command starts with a caret (format commands) or
/// a tilde (control commands) and its two-letter name (the font command is ^A plus the font's one-character name);
/// parameters follow, comma separated. A label is ^XA … ^XZ. Fields are ^FO (origin) + an optional ^A (font),
/// ^GB (graphic box), ^BY (module width, ratio, height) + ^BC (Code 128) and ^FD … ^FS (data); ^FH makes _hh a hex
/// byte in the field data. ^CI28 declares UTF-8 (the only encoding read here). Commands the simulator does not
/// need (^LH, ^FB, ^FR, ^PR …) are accepted and ignored, as a printer ignores what does not apply.
/// </summary>
public static class ZplParser
{
    public static IReadOnlyList<PrintedLabel> Parse(string zpl)
    {
        ArgumentNullException.ThrowIfNull(zpl);
        var labels = new List<PrintedLabel>();
        State? label = null;
        var i = 0;
        while (i < zpl.Length)
        {
            var c = zpl[i];
            if (c is not ('^' or '~') || i + 1 >= zpl.Length)
            {
                i++;
                continue;
            }
            // No ZPL II command but the font command starts with A (^A0N, ^ADN, ^A@N): its font name is its first parameter.
            var name = char.ToUpperInvariant(zpl[i + 1]) == 'A' ? "A" : zpl.Substring(i + 1, Math.Min(2, zpl.Length - i - 1)).ToUpperInvariant();
            var start = i + 1 + name.Length;
            int end;
            if (name == "FD")
            {
                // Field data runs to the next caret (the ^FS); a literal caret would have been sent as _5E with ^FH.
                end = zpl.IndexOf('^', start);
            }
            else
            {
                end = zpl.IndexOfAny(['^', '~'], start);
            }
            if (end < 0)
            {
                end = zpl.Length;
            }
            var args = zpl[start..end];
            i = end;

            label = Apply(label, name, args, labels);
        }
        return labels;
    }

    /// <summary>One command on the label being built; returns the label still open (null after ^XZ, a new one after ^XA).</summary>
    private static State? Apply(State? label, string name, string args, List<PrintedLabel> labels)
    {
        if (name == "XA")
        {
            return new State();
        }
        if (label is null)
        {
            return null; // outside ^XA…^XZ: a printer ignores it
        }
        switch (name)
        {
            case "XZ":
                labels.Add(label.ToLabel());
                return null;
            case "PW":
                label.Width = Int(args, 0);
                break;
            case "LL":
                label.Height = Int(args, 0);
                break;
            case "PQ":
                label.Copies = Math.Max(1, Int(args, 0, 1));
                break;
            case "FO":
            case "FT":
                label.X = Int(args, 0);
                label.Y = Int(args, 1);
                break;
            case "A":
                // ^Afo,h,w or ^A@o,h,w,d:font.ext
                var font = args.Length > 0 ? args[..1] : "0";
                var rest = args.Length > 1 ? args[1..] : "";
                var parts = rest.Split(',');
                label.FontHeight = Int(parts, 1, label.FontHeight);
                label.Font = font == "@" && parts.Length > 3 ? parts[3] : font;
                break;
            case "BY":
                label.ModuleWidth = Int(args, 0, 2);
                label.BarcodeHeight = Int(args, 2, 10);
                break;
            case "BC":
                label.PendingBarcode = "128";
                var height = Int(args, 1, 0);
                if (height > 0)
                {
                    label.BarcodeHeight = height;
                }
                break;
            case "GB":
                var w = Int(args, 0, 1);
                var h = Int(args, 1, 1);
                var t = Int(args, 2, 1);
                label.Boxes.Add(new PrintedBox(label.X, label.Y, w, h, t, t >= Math.Min(w, h)));
                break;
            case "FH":
                label.HexIndicator = args.Length > 0 ? args[0] : '_';
                break;
            case "FD":
                label.Data = label.HexIndicator is { } indicator ? Unhex(args, indicator) : args;
                break;
            case "FS":
                label.EndField();
                break;
            default:
                break;
        }
        return label;
    }

    /// <summary>^FH: the indicator followed by two hex digits is that byte; the bytes are UTF-8 (^CI28).</summary>
    private static string Unhex(string data, char indicator)
    {
        if (!data.Contains(indicator, StringComparison.Ordinal))
        {
            return data;
        }
        var bytes = new List<byte>(data.Length);
        var utf8 = Encoding.UTF8;
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == indicator && i + 2 < data.Length
                && byte.TryParse(data.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
                continue;
            }
            bytes.AddRange(utf8.GetBytes(data[i].ToString()));
        }
        return utf8.GetString([.. bytes]);
    }

    private static int Int(string args, int index, int fallback = 0) => Int(args.Split(','), index, fallback);

    private static int Int(string[] parts, int index, int fallback = 0) =>
        index < parts.Length && int.TryParse(parts[index].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private sealed class State
    {
        public int Width { get; set; }
        public int Height { get; set; }
        public int Copies { get; set; } = 1;
        public int X { get; set; }
        public int Y { get; set; }
        public int FontHeight { get; set; } = 9;
        public string Font { get; set; } = "0";
        public int ModuleWidth { get; set; } = 2;
        public int BarcodeHeight { get; set; } = 10;
        public string? PendingBarcode { get; set; }
        public char? HexIndicator { get; set; }
        public string? Data { get; set; }
        public List<PrintedText> Texts { get; } = [];
        public List<PrintedBox> Boxes { get; } = [];
        public List<PrintedBarcode> Barcodes { get; } = [];

        public void EndField()
        {
            if (Data is not null)
            {
                if (PendingBarcode is { } type)
                {
                    Barcodes.Add(new PrintedBarcode(X, Y, type, Data, ModuleWidth, BarcodeHeight));
                }
                else
                {
                    Texts.Add(new PrintedText(X, Y, FontHeight, Font, Data));
                }
            }
            // ^FS ends the field: its data, hex indicator and barcode type do not carry over.
            Data = null;
            PendingBarcode = null;
            HexIndicator = null;
        }

        public PrintedLabel ToLabel() => new(PrinterLanguage.Zpl, Width, Height, Copies, Texts, Boxes, Barcodes);
    }
}
