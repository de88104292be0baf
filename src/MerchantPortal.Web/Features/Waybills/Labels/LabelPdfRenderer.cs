using System.Globalization;
using System.Text;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Infrastructure;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Renders e-waybill labels (100×150 mm, the common Chinese 一联 thermal size) into one PDF, one page per label,
/// in the order given (the caller passes pick order).
/// </summary>
/// <remarks>
/// Stateless and thread-safe: every call builds its own document, fonts and measurements; the only shared state is
/// PDFsharp's global font resolver (installed once, see <see cref="LabelFontResolver"/>) and its own locked caches.
/// One document for many labels is what makes batches fast: the CJK font subset is embedded once per file
/// (≈54 KB for a label's worth of glyphs), not once per label.
/// </remarks>
public sealed class LabelPdfRenderer
{
    public const double PageWidthMm = 100;
    public const double PageHeightMm = 150;

    // 203 dpi is the resolution of nearly every thermal label printer in Chinese warehouses. Snapping barcode
    // modules to whole printer dots keeps every bar the same width when the driver rasterizes the PDF; 3 dots
    // (0.375 mm) is the smallest multiple above the 0.33 mm minimum scanners in sorting centres are set up for.
    private const double PrinterDotMm = 25.4 / 203;
    private const int MinModuleDots = 3;
    private const int MaxModuleDots = 4;
    private const double MinModuleMm = 0.33;

    private const double Margin = 2;
    private const double ContentWidth = PageWidthMm - (2 * Margin);
    private const double LineWidth = 0.3;

    // Row boundaries (mm from the top), the way carriers divide the 一联 label: band, 大头笔, barcode, 收, 寄, items, stub.
    private const double BandTop = Margin;
    private const double MarkTop = 14;
    private const double BarcodeTop = 31;
    private const double ReceiverTop = 58;
    private const double SenderTop = 88;
    private const double ItemsTop = 107;
    private const double StubTop = 126;
    private const double Bottom = PageHeightMm - Margin;
    private const double SideCellWidth = 9;

    public LabelPdfRenderer()
    {
        LabelFontResolver.EnsureRegistered();
    }

    /// <summary>One label as a one-page PDF.</summary>
    public byte[] Render(LabelData label) => Render([label]);

    /// <summary>All labels in one PDF, one page each, in the given order.</summary>
    public byte[] Render(IEnumerable<LabelData> labels, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        Render(labels, buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>All labels in one PDF of <paramref name="size"/> pages, one page each, in the given order.</summary>
    public byte[] Render(IEnumerable<LabelData> labels, LabelSize size, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        Render(labels, buffer, size, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Writes all labels as one PDF to <paramref name="output"/> (left open).</summary>
    public void Render(IEnumerable<LabelData> labels, Stream output, CancellationToken cancellationToken = default) =>
        Render(labels, output, LabelSize.Mm100x150, cancellationToken);

    /// <summary>
    /// Writes all labels as one PDF of <paramref name="size"/> pages to <paramref name="output"/> (left open). 76×130 is
    /// the 100×150 design drawn smaller (widths ×0.76, heights ×130/150) with its barcode drawn unscaled in whole
    /// printer dots; 100×180 is the 100×150 label with the sender's stub (寄件联) below it.
    /// </summary>
    public void Render(IEnumerable<LabelData> labels, Stream output, LabelSize size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(output);
        var list = labels as IReadOnlyList<LabelData> ?? [.. labels];
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one label is needed: an empty PDF cannot be printed.", nameof(labels));
        }

        using var document = new PdfDocument();
        document.Info.Title = list.Count == 1 ? $"Label {list[0].TrackingNo}" : $"Labels ({list.Count})";
        document.Info.Creator = "MerchantPortal";
        document.Options.CompressContentStreams = true;

        var style = new LabelStyle();
        var (widthMm, heightMm) = LabelGeometry.Millimetres(size);
        var (sx, sy) = size == LabelSize.Mm76x130 ? (widthMm / PageWidthMm, heightMm / PageHeightMm) : (1.0, 1.0);
        for (var i = 0; i < list.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(widthMm);
            page.Height = XUnit.FromMillimeter(heightMm);
            using var g = XGraphics.FromPdfPage(page);
            if (sx != 1)
            {
                g.ScaleTransform(sx, sy);
            }
            var canvas = new Canvas(g, style) { Sx = sx, Sy = sy };
            DrawLabel(canvas, list[i], i + 1, list.Count);
            if (size == LabelSize.Mm100x180)
            {
                DrawSenderStub(canvas, list[i]);
            }
        }

        if (output.CanSeek)
        {
            document.Save(output, closeStream: false);
        }
        else
        {
            // PDFsharp seeks back to write the cross-reference table; a response body cannot seek.
            using var buffer = new MemoryStream();
            document.Save(buffer, closeStream: false);
            buffer.Position = 0;
            buffer.CopyTo(output);
        }
    }

    private static void DrawLabel(Canvas c, LabelData label, int sequence, int count)
    {
        var s = c.Style;
        var right = Margin + ContentWidth;

        // Frame and row separators: thermal labels are ruled so the sorting centre finds each zone at a glance.
        c.Box(Margin, Margin, ContentWidth, Bottom - Margin);
        foreach (var rule in new[] { MarkTop, BarcodeTop, ReceiverTop, SenderTop, ItemsTop, StubTop })
        {
            c.HLine(Margin, right, rule);
        }

        DrawBand(c, label);

        // 大头笔 and sorting code: the biggest print on the label, read from a metre away at the sorting belt.
        const double sortCellWidth = 30;
        var markWidth = ContentWidth - sortCellWidth;
        c.VLine(Margin + markWidth, MarkTop, BarcodeTop);
        if (!string.IsNullOrWhiteSpace(label.MarkDestination))
        {
            var font = c.FitFont(label.MarkDestination, LabelStyle.MarkSize, markWidth - 4, bold: true);
            c.TextCentered(label.MarkDestination, font, Margin, MarkTop, markWidth, BarcodeTop - MarkTop);
        }
        if (!string.IsNullOrWhiteSpace(label.SortingCode))
        {
            var font = c.FitFont(label.SortingCode, LabelStyle.SortingSize, sortCellWidth - 3, bold: true);
            c.TextCentered(label.SortingCode, font, Margin + markWidth, MarkTop, sortCellWidth, BarcodeTop - MarkTop);
        }

        // Barcode with the number readable under it.
        DrawBarcode(c, label.TrackingNo, BarcodeTop + 2, 17);
        c.TextCentered(GroupDigits(label.TrackingNo), s.TrackingNo, Margin, BarcodeTop + 19.5, ContentWidth, 6);

        // 收: receiver, phone masked the way carriers print it.
        DrawParty(c, "收", ReceiverTop, SenderTop, label.Receiver, Pii.MaskPhone(label.Receiver.Phone), s.ReceiverName, s.ReceiverAddress, s.SideLabelLarge, 3);

        // 寄: the merchant's own contact, printed in full so the courier can call back on a failed delivery.
        DrawParty(c, "寄", SenderTop, ItemsTop, label.Sender, label.Sender.Phone, s.SenderName, s.SenderAddress, s.SideLabelSmall, 2);

        DrawItems(c, label);
        DrawStub(c, label, sequence, count);
    }

    /// <summary>Band: carrier code reversed out of a black block (stands in for the logo), carrier name, COD box.</summary>
    private static void DrawBand(Canvas c, LabelData label)
    {
        var s = c.Style;
        var right = Margin + ContentWidth;
        const double codeWidth = 20;
        c.Fill(Margin, BandTop, codeWidth, MarkTop - BandTop);
        var codeFont = c.FitFont(label.CarrierCode, LabelStyle.CarrierCodeSize, codeWidth - 2, bold: true);
        c.TextCentered(label.CarrierCode, codeFont, Margin, BandTop, codeWidth, MarkTop - BandTop, XBrushes.White);
        // Up to the COD box (34 mm + gap) on the right.
        var nameFont = c.FitFont(label.CarrierName, LabelStyle.CarrierNameSize, ContentWidth - codeWidth - 3 - 37, bold: true);
        c.TextMiddle(label.CarrierName, nameFont, Margin + codeWidth + 3, BandTop, MarkTop - BandTop);
        if (label.CodAmount is { } cod)
        {
            const double codWidth = 34;
            var x = right - codWidth - 1.5;
            c.Box(x, BandTop + 1.5, codWidth, MarkTop - BandTop - 3, 0.5);
            c.TextCentered($"代收货款 ¥{cod.ToString("0.00", CultureInfo.InvariantCulture)}", s.Cod, x, BandTop + 1.5, codWidth, MarkTop - BandTop - 3);
        }
        else
        {
            c.TextRightMiddle("电子面单", s.Small, right - 2, BandTop, MarkTop - BandTop);
        }
    }

    /// <summary>Items, order number, weight, remark.</summary>
    private static void DrawItems(Canvas c, LabelData label)
    {
        var s = c.Style;
        var right = Margin + ContentWidth;
        var x0 = Margin + 2;
        var width = ContentWidth - 4;
        var y = ItemsTop + 1.5;
        y = c.Wrapped($"物品：{label.ItemSummary}", s.Body, x0, y, width, 2);
        c.Text($"订单号：{label.OrderNo}", s.Body, x0, y + 0.5);
        c.TextRight($"重量：{label.WeightKg.ToString("0.00", CultureInfo.InvariantCulture)} kg", s.Body, right - 2, y + 0.5);
        y += s.Body.LineHeightMm + 0.5;
        if (!string.IsNullOrWhiteSpace(label.Remark))
        {
            // Two lines when the items took one, one line when they took two: the stub row below stays clear.
            var lines = Math.Max(1, (int)((StubTop - 0.5 - (y + 0.5)) / s.Body.LineHeightMm));
            c.Wrapped($"备注：{label.Remark}", s.Body, x0, y + 0.5, width, lines);
        }
    }

    /// <summary>Stub: tracking number again (the part the courier tears or photographs), signature line, print time.</summary>
    private static void DrawStub(Canvas c, LabelData label, int sequence, int count)
    {
        var s = c.Style;
        var right = Margin + ContentWidth;
        var x0 = Margin + 2;
        c.Text($"运单号：{label.TrackingNo}", s.StubBold, x0, StubTop + 1.5);
        c.Text("签收人：", s.Body, x0, StubTop + 7);
        c.HLine(x0 + 13, x0 + 50, StubTop + 11, 0.2);
        c.Text("时间：", s.Body, x0 + 54, StubTop + 7);
        c.HLine(x0 + 63, right - 2, StubTop + 11, 0.2);
        c.Text("您对此单的签收，代表您已验收，确认商品信息无误，包装完好。", s.Fine, x0, StubTop + 13.2);
        // Position in the merged file: the packer matches the label to the pick list at a glance.
        c.Text($"{sequence}/{count}", s.Fine, x0, Bottom - 3.3);
        c.TextRight($"打印时间：{label.PrintedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}", s.Fine, right - 2, Bottom - 3.3);
    }

    private static void DrawParty(
        Canvas c, string side, double top, double bottom, LabelParty party, string phone,
        StyledFont nameFont, StyledFont addressFont, StyledFont sideFont, int addressLines)
    {
        var left = Margin + SideCellWidth;
        c.VLine(left, top, bottom);
        c.TextCentered(side, sideFont, Margin, top, SideCellWidth, bottom - top);
        var x = left + 2;
        var width = Margin + ContentWidth - x - 2;
        var y = top + 1.5;
        c.Text($"{party.Name}  {phone}", nameFont, x, y);
        y += nameFont.LineHeightMm + 0.8;
        c.Wrapped(party.FullAddress, addressFont, x, y, width, addressLines);
    }

    /// <summary>二联单: the sender's stub (寄件联) in the 30 mm under the label: tracking number as barcode and text, receiver (phone masked), items.</summary>
    private static void DrawSenderStub(Canvas c, LabelData label)
    {
        var s = c.Style;
        const double top = PageHeightMm;
        const double stubBottom = 180 - Margin;
        c.Box(Margin, top, ContentWidth, stubBottom - top);
        var x0 = Margin + 2;
        c.Text("寄件联", s.StubBold, x0, top + 1.5);
        c.TextRight(GroupDigits(label.TrackingNo), s.TrackingNo, Margin + ContentWidth - 2, top + 1);
        DrawBarcode(c, label.TrackingNo, top + 6.5, 9);
        c.Text($"收：{label.Receiver.Name}  {Pii.MaskPhone(label.Receiver.Phone)}  {label.Receiver.FullAddress}", s.Body, x0, top + 16.5);
        c.Wrapped($"物品：{label.ItemSummary}", s.Body, x0, top + 21.5, ContentWidth - 4, 1);
    }

    private static void DrawBarcode(Canvas c, string content, double top, double height)
    {
        if (c.Sx != 1)
        {
            // A scaled page would scale the modules off the printer's dots: draw the barcode in page millimetres.
            var state = c.G.Save();
            c.G.ScaleTransform(1 / c.Sx, 1 / c.Sy);
            var pageWidth = PageWidthMm * c.Sx;
            var scaled = LayoutBarcode(content, pageWidth - (2 * Margin), Margin);
            DrawBars(c, scaled, top * c.Sy, height * c.Sy);
            c.G.Restore(state);
            return;
        }
        DrawBars(c, LayoutBarcode(content), top, height);
    }

    private static void DrawBars(Canvas c, BarcodeLayout layout, double top, double height)
    {
        var rects = new XRect[layout.Symbol.Bars.Count];
        for (var i = 0; i < rects.Length; i++)
        {
            var (start, width) = layout.Symbol.Bars[i];
            rects[i] = new XRect(Mm(layout.LeftMm + (start * layout.ModuleMm)), Mm(top), Mm(width * layout.ModuleMm), Mm(height));
        }
        c.G.DrawRectangles(XBrushes.Black, rects);
    }

    /// <summary>Module width and position of the tracking-number barcode, centred in the frame with its quiet zones.</summary>
    internal static BarcodeLayout LayoutBarcode(string content) => LayoutBarcode(content, ContentWidth, Margin);

    private static BarcodeLayout LayoutBarcode(string content, double contentWidth, double margin)
    {
        var symbol = Code128.Encode(content);
        var totalModules = symbol.Modules + (2 * Code128.QuietZoneModules);
        var fitDots = (int)Math.Floor(contentWidth / totalModules / PrinterDotMm);
        double module;
        if (fitDots >= MinModuleDots)
        {
            module = Math.Min(fitDots, MaxModuleDots) * PrinterDotMm;
        }
        else if (contentWidth / totalModules >= MinModuleMm)
        {
            // Long tracking numbers: not dot-aligned, still above the scanner minimum.
            module = contentWidth / totalModules;
        }
        else
        {
            throw new ArgumentException(
                $"Tracking number '{content}' is too long for a Code 128 with ≥ {MinModuleMm} mm modules on this label.",
                nameof(content));
        }
        // The quiet zones are the blank space either side, inside the frame.
        var left = margin + ((contentWidth - (symbol.Modules * module)) / 2);
        return new BarcodeLayout(symbol, module, left, margin + contentWidth - left - (symbol.Modules * module));
    }

    internal sealed record BarcodeLayout(Code128Symbol Symbol, double ModuleMm, double LeftMm, double RightQuietMm)
    {
        public double LeftQuietMm => LeftMm - Margin;
    }

    /// <summary>
    /// "73100012345678" → "7310 0012 3456 78", "SF1234567890123" → "SF 1234 5678 9012 3": easier to read aloud to a
    /// customer on the phone. A letter prefix stays one group.
    /// </summary>
    internal static string GroupDigits(string trackingNo)
    {
        if (trackingNo.Length <= 8)
        {
            return trackingNo;
        }
        var prefix = 0;
        while (prefix < trackingNo.Length && char.IsAsciiLetter(trackingNo[prefix]))
        {
            prefix++;
        }
        var groups = trackingNo[prefix..].Chunk(4).Select(chunk => new string(chunk));
        return string.Join(' ', prefix > 0 ? groups.Prepend(trackingNo[..prefix]) : groups);
    }

    private static double Mm(double mm) => mm * 72 / 25.4;

    /// <summary>A font with its line height in millimetres (PDFsharp measures in points).</summary>
    private sealed record StyledFont(XFont Font, double LineHeightMm);

    /// <summary>The fonts of one document. Built per render call: XFont is cheap, and nothing is shared across threads.</summary>
    private sealed class LabelStyle
    {
        public const double CarrierCodeSize = 15;
        public const double CarrierNameSize = 17;
        public const double MarkSize = 30;
        public const double SortingSize = 20;

        private readonly Dictionary<(double Size, bool Bold), StyledFont> fonts = [];

        /// <summary>Character widths in mm, measured once per document: wrapping measures the same characters on every label.</summary>
        public Dictionary<(XFont Font, int CodePoint), double> Widths { get; } = [];

        public LabelStyle()
        {
            Cod = Get(10, bold: true);
            TrackingNo = Get(11, bold: true);
            SideLabelLarge = Get(18, bold: true);
            SideLabelSmall = Get(13, bold: true);
            ReceiverName = Get(14, bold: true);
            ReceiverAddress = Get(12, bold: false);
            SenderName = Get(9, bold: false);
            SenderAddress = Get(8.5, bold: false);
            Body = Get(9, bold: false);
            StubBold = Get(9, bold: true);
            Small = Get(8, bold: false);
            Fine = Get(6.5, bold: false);
        }

        public StyledFont Cod { get; }
        public StyledFont TrackingNo { get; }
        public StyledFont SideLabelLarge { get; }
        public StyledFont SideLabelSmall { get; }
        public StyledFont ReceiverName { get; }
        public StyledFont ReceiverAddress { get; }
        public StyledFont SenderName { get; }
        public StyledFont SenderAddress { get; }
        public StyledFont Body { get; }
        public StyledFont StubBold { get; }
        public StyledFont Small { get; }
        public StyledFont Fine { get; }

        public StyledFont Get(double size, bool bold)
        {
            if (!fonts.TryGetValue((size, bold), out var font))
            {
                var xfont = new XFont(
                    LabelFontResolver.FamilyName, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, XPdfFontOptions.UnicodeDefault);
                // Line height ≈ 1.2 em, the usual leading for CJK body text.
                font = new StyledFont(xfont, size * 1.2 * 25.4 / 72);
                fonts[(size, bold)] = font;
            }
            return font;
        }
    }

    /// <summary>Drawing helpers in millimetres for one page.</summary>
    private sealed class Canvas(XGraphics g, LabelStyle style)
    {
        /// <summary>The page's scale against the 100×150 design (76×130: 0.76 × 130/150); 1 otherwise.</summary>
        public double Sx { get; init; } = 1;
        public double Sy { get; init; } = 1;

        // Per canvas, not static: PDFsharp's pens are mutable objects and canvases live on different threads.
        private readonly XPen hairline = new(XColors.Black, Mm(LineWidth));

        public XGraphics G { get; } = g;
        public LabelStyle Style { get; } = style;

        public void Box(double x, double y, double w, double h, double line = LineWidth) =>
            G.DrawRectangle(line == LineWidth ? hairline : new XPen(XColors.Black, Mm(line)), Mm(x), Mm(y), Mm(w), Mm(h));

        public void Fill(double x, double y, double w, double h) =>
            G.DrawRectangle(XBrushes.Black, Mm(x), Mm(y), Mm(w), Mm(h));

        public void HLine(double x1, double x2, double y, double line = LineWidth) =>
            G.DrawLine(line == LineWidth ? hairline : new XPen(XColors.Black, Mm(line)), Mm(x1), Mm(y), Mm(x2), Mm(y));

        public void VLine(double x, double y1, double y2) =>
            G.DrawLine(hairline, Mm(x), Mm(y1), Mm(x), Mm(y2));

        public void Text(string text, StyledFont font, double x, double y) =>
            G.DrawString(text, font.Font, XBrushes.Black, Mm(x), Mm(y), XStringFormats.TopLeft);

        public void TextRight(string text, StyledFont font, double right, double y) =>
            G.DrawString(text, font.Font, XBrushes.Black, Mm(right), Mm(y), XStringFormats.TopRight);

        public void TextMiddle(string text, StyledFont font, double x, double top, double height) =>
            G.DrawString(text, font.Font, XBrushes.Black, new XRect(Mm(x), Mm(top), Mm(PageWidthMm), Mm(height)), XStringFormats.CenterLeft);

        public void TextRightMiddle(string text, StyledFont font, double right, double top, double height) =>
            G.DrawString(text, font.Font, XBrushes.Black, new XRect(0, Mm(top), Mm(right), Mm(height)), XStringFormats.CenterRight);

        public void TextCentered(string text, StyledFont font, double x, double y, double w, double h, XBrush? brush = null) =>
            G.DrawString(text, font.Font, brush ?? XBrushes.Black, new XRect(Mm(x), Mm(y), Mm(w), Mm(h)), XStringFormats.Center);

        /// <summary>The largest font ≤ <paramref name="size"/> pt in which <paramref name="text"/> fits the width.</summary>
        public StyledFont FitFont(string text, double size, double widthMm, bool bold)
        {
            var font = Style.Get(size, bold);
            var width = Measure(text, font.Font);
            if (width <= widthMm)
            {
                return font;
            }
            // Width scales linearly with size; round down to a half point so the cache stays small.
            var fitted = Math.Max(6, Math.Floor(size * widthMm / width * 2) / 2);
            return Style.Get(fitted, bold);
        }

        /// <summary>
        /// Draws <paramref name="text"/> wrapped at any character (Chinese has no spaces to break at) in at most
        /// <paramref name="maxLines"/> lines, the last one cut with an ellipsis; returns the y below the text.
        /// </summary>
        public double Wrapped(string text, StyledFont font, double x, double y, double widthMm, int maxLines)
        {
            var lines = Wrap(text, font.Font, widthMm, maxLines);
            foreach (var line in lines)
            {
                Text(line, font, x, y);
                y += font.LineHeightMm;
            }
            return y;
        }

        private List<string> Wrap(string text, XFont font, double widthMm, int maxLines)
        {
            var lines = new List<string>();
            var start = 0;
            while (start < text.Length && lines.Count < maxLines)
            {
                if (lines.Count > 0 && text[start] == ' ')
                {
                    start++; // a continuation line does not start with the space it broke at
                    continue;
                }
                double used = 0;
                var end = start;
                var steps = new Stack<(int Length, double Width)>();
                while (end < text.Length)
                {
                    // Whole code points: a rare character outside the BMP (𠮷) must not be split across lines.
                    var rune = Rune.GetRuneAt(text, end);
                    var w = CharWidth(font, rune);
                    if (used + w > widthMm && end > start)
                    {
                        // Chinese breaks anywhere, but a house number or "A座" cut in half misleads the courier:
                        // move a Latin/digit run that straddles the edge to the next line, unless it fills the line.
                        var runStart = end;
                        while (runStart > start && char.IsAsciiLetterOrDigit(text[runStart - 1]) && char.IsAsciiLetterOrDigit(text[end]))
                        {
                            runStart--;
                        }
                        if (runStart > start && runStart < end)
                        {
                            while (end > runStart)
                            {
                                var (length, width) = steps.Pop();
                                end -= length;
                                used -= width;
                            }
                        }
                        break;
                    }
                    used += w;
                    end += rune.Utf16SequenceLength;
                    steps.Push((rune.Utf16SequenceLength, w));
                }
                if (lines.Count == maxLines - 1 && end < text.Length)
                {
                    // Last allowed line and text left over: make room for the ellipsis.
                    var ellipsis = CharWidth(font, new Rune('…'));
                    while (steps.Count > 1 && used + ellipsis > widthMm)
                    {
                        var (length, width) = steps.Pop();
                        end -= length;
                        used -= width;
                    }
                    lines.Add(string.Concat(text.AsSpan(start, end - start), "…"));
                    return lines;
                }
                lines.Add(text[start..end]);
                start = end;
            }
            return lines;
        }

        private double Measure(string text, XFont font)
        {
            double sum = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                sum += CharWidth(font, rune);
            }
            return sum;
        }

        private double CharWidth(XFont font, Rune rune)
        {
            if (!Style.Widths.TryGetValue((font, rune.Value), out var w))
            {
                w = G.MeasureString(rune.ToString(), font).Width * 25.4 / 72;
                Style.Widths[(font, rune.Value)] = w;
            }
            return w;
        }
    }
}
