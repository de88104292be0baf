namespace MerchantPortal.PrinterSandbox;

/// <summary>The printer language a job was written in.</summary>
public enum PrinterLanguage
{
    Zpl,
    Tspl,
}

/// <summary>A text field at its position (dots from the label's top-left corner) with its character height in dots.</summary>
public sealed record PrintedText(int X, int Y, int Height, string Font, string Text);

/// <summary>A rectangle outline (ZPL ^GB, TSPL BOX) or a filled bar (TSPL BAR, or a ^GB as thick as it is high).</summary>
public sealed record PrintedBox(int X, int Y, int Width, int Height, int Thickness, bool Filled);

/// <summary>A barcode: its symbology as the printer names it ("128" for Code 128), data, module width and height in dots.</summary>
public sealed record PrintedBarcode(int X, int Y, string Type, string Data, int ModuleWidth, int Height)
{
    /// <summary>
    /// The barcode as the printer would burn it: a grey-scale bitmap (one byte per pixel, 0 = black, 255 = white) with
    /// quiet zones, <see cref="ModuleWidth"/> pixels per module and <paramref name="height"/> pixels high. Only Code 128
    /// is drawn; another symbology throws, so a test finds out.
    /// </summary>
    public BarcodeBitmap Render(int height = 80)
    {
        if (Type is not ("128" or "128M" or "CODE128"))
        {
            throw new NotSupportedException($"The simulator draws Code 128 only, not {Type}.");
        }
        var modules = Code128Encoder.Modules(Data);
        var module = Math.Max(1, ModuleWidth);
        var quiet = Code128Encoder.QuietZoneModules * module;
        var width = (2 * quiet) + (modules.Length * module);
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)255);
        for (var m = 0; m < modules.Length; m++)
        {
            if (!modules[m])
            {
                continue;
            }
            for (var y = 0; y < height; y++)
            {
                pixels.AsSpan((y * width) + quiet + (m * module), module).Clear();
            }
        }
        return new BarcodeBitmap(width, height, pixels);
    }
}

/// <summary>A grey-scale bitmap, row by row, one byte per pixel.</summary>
public sealed record BarcodeBitmap(int Width, int Height, byte[] Pixels);

/// <summary>
/// One label as the printer understood it: its size in dots (ZPL ^PW/^LL, TSPL SIZE in mm × dots per mm), copies
/// (TSPL PRINT n, ZPL ^PQ), and every text, box and barcode in the order they were given.
/// </summary>
public sealed record PrintedLabel(
    PrinterLanguage Language,
    int WidthDots,
    int HeightDots,
    int Copies,
    IReadOnlyList<PrintedText> Texts,
    IReadOnlyList<PrintedBox> Boxes,
    IReadOnlyList<PrintedBarcode> Barcodes)
{
    /// <summary>All texts joined by newlines, for "does the label say X" checks.</summary>
    public string AllText => string.Join('\n', Texts.Select(t => t.Text));
}
