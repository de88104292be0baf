using System.Globalization;
using System.Text;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Renders labels as TSPL/TSPL2, the language of TSC and of most domestic thermal printers (Gprinter, Xprinter, HPRT
/// and others speak it), one <c>CLS … PRINT 1</c> per label in the order given, in the same layout as ZPL
/// (<see cref="LabelGeometry"/>).
/// </summary>
/// <remarks>
/// From TSC's TSPL/TSPL2 programming manual: SIZE and GAP in mm, DIRECTION, REFERENCE, CLS, TEXT x,y,"font",rotation,
/// x-multiplier,y-multiplier,"content", BARCODE x,y,"128",height,human readable,rotation,narrow,wide,"content" ("128"
/// switches code sets by itself), BOX, BAR, REVERSE and PRINT m. Chinese text uses the resident simplified-Chinese
/// font <c>TSS24.BF2</c> (24×24 dots, GB 2312 code), so the stream is encoded as GB18030 (a superset; characters
/// outside GB 2312 print as the printer's blank). A double quote inside a string is sent as <c>\["]</c>, as the
/// manual prescribes; line breaks are flattened so no text can end its command and start another.
///
/// Stateless and thread-safe; plain string building (the target is ≥ 5,000 labels/s).
/// </remarks>
public sealed class LabelTsplRenderer
{
    public const string CjkFont = "TSS24.BF2";

    /// <summary>TSS24.BF2's cell: 24 dots high, 24 wide for an ideograph and 12 for a half-width character.</summary>
    private const int FontDots = 24;

    private static readonly Encoding Gb18030;

    static LabelTsplRenderer()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gb18030 = Encoding.GetEncoding("GB18030");
    }

    /// <summary>All labels as one TSPL program in <paramref name="size"/>.</summary>
    public string Render(IEnumerable<LabelData> labels, LabelSize size = LabelSize.Mm100x150, int dpi = 203)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var g = LabelGeometry.For(size, dpi >= 300 ? 12 : LabelGeometry.DefaultDpmm);
        var (wMm, hMm) = LabelGeometry.Millimetres(size);
        var sb = new StringBuilder(2048);
        sb.Append(CultureInfo.InvariantCulture, $"SIZE {wMm} mm,{hMm} mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1\r\nREFERENCE 0,0\r\n");
        foreach (var label in labels)
        {
            Append(sb, g, label);
        }
        return sb.ToString();
    }

    /// <summary>The program as the bytes a raw-socket print sends (GB18030, for TSS24.BF2).</summary>
    public byte[] RenderBytes(IEnumerable<LabelData> labels, LabelSize size = LabelSize.Mm100x150, int dpi = 203) =>
        Gb18030.GetBytes(Render(labels, size, dpi));

    private static void Append(StringBuilder sb, LabelGeometry g, LabelData label)
    {
        sb.Append("CLS\r\n");
        int margin = g.Margin, right = g.Right, inner = g.Width - (2 * g.Margin);
        Box(sb, margin, margin, right, g.Bottom, 3);
        foreach (var y in new[] { g.MarkTop, g.BarcodeTop, g.ReceiverTop, g.SenderTop, g.ItemsTop, g.StubTop })
        {
            Bar(sb, margin, y, inner, 2);
        }

        // Band: the carrier code reversed out of a black block (the logo area), then the carrier's name.
        var codeWidth = g.X(20 * 8);
        Text(sb, margin + g.X(12), margin + g.Y(24), g.Font(48), label.CarrierCode);
        sb.Append(CultureInfo.InvariantCulture, $"REVERSE {margin},{margin},{codeWidth},{g.MarkTop - margin}\r\n");
        Text(sb, margin + codeWidth + g.X(24), margin + g.Y(20), Fit(label.CarrierName, g.Font(56), g.X(280)), label.CarrierName);
        if (label.CodAmount is { } cod)
        {
            Text(sb, right - g.X(34 * 8), margin + g.Y(30), g.Font(24), $"代收货款 ¥{cod.ToString("0.00", CultureInfo.InvariantCulture)}");
        }

        // 大头笔 and 三段码.
        var sortCell = g.X(30 * 8);
        Bar(sb, right - sortCell, g.MarkTop, 2, g.BarcodeTop - g.MarkTop);
        if (!string.IsNullOrWhiteSpace(label.MarkDestination))
        {
            var h = Fit(label.MarkDestination, g.Font(96), inner - sortCell - g.X(24));
            Text(sb, margin + g.X(12), g.MarkTop + ((g.BarcodeTop - g.MarkTop - h) / 2), h, label.MarkDestination);
        }
        if (!string.IsNullOrWhiteSpace(label.SortingCode))
        {
            var h = Fit(label.SortingCode, g.Font(48), sortCell - g.X(24));
            Text(sb, right - sortCell + g.X(12), g.MarkTop + ((g.BarcodeTop - g.MarkTop - h) / 2), h, label.SortingCode);
        }

        // Code 128 in whole-dot modules, centred.
        var moduleDots = LabelZplRenderer.ModuleDots(label.TrackingNo, inner, g.Dpmm);
        var barcodeWidth = Code128.Encode(label.TrackingNo).Modules * moduleDots;
        Barcode(sb, Math.Max(margin, (g.Width - barcodeWidth) / 2), g.BarcodeTop + g.Y(16), g.Y(136), moduleDots, label.TrackingNo);
        Text(sb, margin + g.X(16), g.BarcodeTop + g.Y(160), g.Font(24), LabelPdfRenderer.GroupDigits(label.TrackingNo));

        Party(sb, g, "收", g.ReceiverTop, label.Receiver, Pii.MaskPhone(label.Receiver.Phone), g.Font(48), 3);
        Party(sb, g, "寄", g.SenderTop, label.Sender, label.Sender.Phone, g.Font(24), 2);

        var x = margin + g.X(16);
        var width = inner - g.X(32);
        var body = g.Font(24);
        Wrapped(sb, x, g.ItemsTop + g.Y(12), body, width, 2, "物品：" + label.ItemSummary);
        Text(sb, x, g.ItemsTop + g.Y(78), body, $"订单号：{label.OrderNo}  {label.WeightKg.ToString("0.00", CultureInfo.InvariantCulture)} kg");
        if (!string.IsNullOrWhiteSpace(label.Remark))
        {
            Wrapped(sb, x, g.ItemsTop + g.Y(116), body, width, 1, "备注：" + label.Remark);
        }
        Text(sb, x, g.StubTop + g.Y(12), body, $"运单号：{label.TrackingNo}");
        Text(sb, x, g.StubTop + g.Y(64), body, "签收人：");
        Bar(sb, x + g.X(112), g.StubTop + g.Y(92), g.X(300), 2);
        Text(sb, x + g.X(432), g.StubTop + g.Y(64), body, "时间：");
        Text(sb, x, g.Bottom - g.Y(30), g.Font(24), label.PrintedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        if (g.HasSenderStub)
        {
            var top = g.LabelHeight;
            Box(sb, margin, top, right, g.Height - margin, 2);
            Text(sb, x, top + 12, 24, $"寄件联  {label.TrackingNo}");
            Barcode(sb, Math.Max(margin, (g.Width - barcodeWidth) / 2), top + 50, 80, moduleDots, label.TrackingNo);
            Text(sb, x, top + 142, 24, $"收：{label.Receiver.Name} {Pii.MaskPhone(label.Receiver.Phone)} {label.Receiver.Province}{label.Receiver.City}");
            Wrapped(sb, x, top + 180, 24, width, 1, "物品：" + label.ItemSummary);
        }
        sb.Append("PRINT 1\r\n");
    }

    private static void Party(StringBuilder sb, LabelGeometry g, string side, int top, LabelParty party, string phone, int nameHeight, int addressLines)
    {
        var sideCell = g.X(9 * 8);
        var bottom = side == "收" ? g.SenderTop : g.ItemsTop;
        Bar(sb, g.Margin + sideCell, top, 2, bottom - top);
        Text(sb, g.Margin + g.X(12), top + ((bottom - top - g.Font(48)) / 2), g.Font(48), side);
        var x = g.Margin + sideCell + g.X(16);
        var width = g.Right - x - g.X(16);
        Text(sb, x, top + g.Y(12), nameHeight, $"{party.Name}  {phone}");
        Wrapped(sb, x, top + g.Y(24) + nameHeight, nameHeight >= 48 ? 48 : 24, width, addressLines, party.FullAddress);
    }

    /// <summary>Breaks text into lines of at most <paramref name="width"/> dots (TEXT does not wrap), the last one ending in … when cut.</summary>
    private static void Wrapped(StringBuilder sb, int x, int y, int height, int width, int lines, string text)
    {
        var mul = Multiplier(height);
        var line = new StringBuilder();
        var used = 0;
        var row = 0;
        foreach (var ch in Flatten(text))
        {
            var w = Width(ch) * mul;
            if (used + w > width)
            {
                if (row == lines - 1)
                {
                    line.Append('…');
                    break;
                }
                Text(sb, x, y + (row * FontDots * mul) + (row * 4), height, line.ToString());
                line.Clear();
                used = 0;
                row++;
            }
            line.Append(ch);
            used += w;
        }
        if (line.Length > 0)
        {
            Text(sb, x, y + (row * FontDots * mul) + (row * 4), height, line.ToString());
        }
    }

    /// <summary>The largest height (a multiple of the 24-dot font, at least 24) at which text fits in <paramref name="width"/> on one line.</summary>
    private static int Fit(string text, int max, int width)
    {
        var dots = Flatten(text).Sum(Width);
        for (var mul = Multiplier(max); mul > 1; mul--)
        {
            if (dots * mul <= width)
            {
                return mul * FontDots;
            }
        }
        return FontDots;
    }

    private static int Width(char ch) => ch < 0x2E80 ? FontDots / 2 : FontDots;

    private static int Multiplier(int height) => Math.Clamp((int)Math.Round(height / (double)FontDots), 1, 10);

    private static void Text(StringBuilder sb, int x, int y, int height, string text)
    {
        var mul = Multiplier(height);
        sb.Append(CultureInfo.InvariantCulture, $"TEXT {x},{y},\"{CjkFont}\",0,{mul},{mul},\"{Escape(text)}\"\r\n");
    }

    private static void Barcode(StringBuilder sb, int x, int y, int height, int moduleDots, string data) =>
        sb.Append(CultureInfo.InvariantCulture, $"BARCODE {x},{y},\"128\",{height},0,0,{moduleDots},{moduleDots},\"{Escape(data)}\"\r\n");

    private static void Box(StringBuilder sb, int x, int y, int xEnd, int yEnd, int thickness) =>
        sb.Append(CultureInfo.InvariantCulture, $"BOX {x},{y},{xEnd},{yEnd},{thickness}\r\n");

    private static void Bar(StringBuilder sb, int x, int y, int width, int height) =>
        sb.Append(CultureInfo.InvariantCulture, $"BAR {x},{y},{Math.Max(width, 1)},{Math.Max(height, 1)}\r\n");

    private static string Flatten(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>TSPL strings are in double quotes; one inside is written \["] (TSPL/TSPL2 manual, TEXT).</summary>
    internal static string Escape(string text) => Flatten(text).Replace("\"", "\\[\"]", StringComparison.Ordinal);
}
