using System.Globalization;
using System.Text;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Renders labels as ZPL II for 203 dpi Zebra-compatible thermal printers (100×150 mm = 800×1200 dots), one
/// <c>^XA…^XZ</c> block per label, concatenated in the order given.
/// </summary>
/// <remarks>
/// Chinese text. ZPL's built-in fonts are Latin only, so CJK depends on a font stored on the printer. We send
/// <c>^CI28</c> (field data is UTF-8) and print Chinese fields with <c>^A@N,h,w,E:SIMSUN.TTF</c>: SimSun is the
/// font Zebra and the Chinese-market printer makers (Zebra China, TSC, Gprinter, Xprinter in ZPL emulation) ship
/// or document for Chinese ZPL, and the path is a constructor option for a warehouse whose printers carry another
/// one (e.g. <c>E:ANMDS.TTF</c>, Zebra's Andale CJK). What a sorting centre needs to route and scan the parcel —
/// the barcode, the tracking number, the masked phone, the order number — is ASCII and printed with the built-in
/// scalable font 0, so a printer without the CJK font still produces a label that can be scanned and delivered;
/// only the Chinese text would be missing. Field data goes through <c>^FH</c> so a <c>^</c> or <c>~</c> in an
/// address cannot end the field or start a command.
///
/// Stateless and thread-safe; plain string building (the target is ≥ 5,000 labels/s).
/// </remarks>
public sealed class LabelZplRenderer(string cjkFontPath = LabelZplRenderer.DefaultCjkFont)
{
    public const string DefaultCjkFont = "E:SIMSUN.TTF";

    private const int Dpmm = 8; // 203 dpi ≈ 8 dots per mm
    private const int Width = 100 * Dpmm;
    private const int Height = 150 * Dpmm;
    private const int Margin = 16;
    private const int Right = Width - Margin;

    // Same row boundaries as the PDF, in dots.
    private const int MarkTop = 14 * Dpmm;
    private const int BarcodeTop = 31 * Dpmm;
    private const int ReceiverTop = 58 * Dpmm;
    private const int SenderTop = 88 * Dpmm;
    private const int ItemsTop = 107 * Dpmm;
    private const int StubTop = 126 * Dpmm;
    private const int Bottom = Height - Margin;
    private const int SideCell = 9 * Dpmm;

    private readonly string cjkFont = ValidateFontPath(cjkFontPath);

    /// <summary>All labels as one ZPL string.</summary>
    public string Render(IEnumerable<LabelData> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sb = new StringBuilder(2048);
        foreach (var label in labels)
        {
            Append(sb, label);
        }
        return sb.ToString();
    }

    /// <summary>One label as one <c>^XA…^XZ</c> block.</summary>
    public string Render(LabelData label) => Render([label]);

    /// <summary>All labels as UTF-8 bytes (what a raw-socket print on port 9100 sends).</summary>
    public byte[] RenderUtf8(IEnumerable<LabelData> labels) => Encoding.UTF8.GetBytes(Render(labels));

    private void Append(StringBuilder sb, LabelData label)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("^XA^CI28^PW").Append(Width).Append("^LL").Append(Height).Append("^LH0,0\n");

        // Frame and row rules.
        Box(sb, Margin, Margin, Width - (2 * Margin), Bottom - Margin, 3);
        foreach (var y in new[] { MarkTop, BarcodeTop, ReceiverTop, SenderTop, ItemsTop, StubTop })
        {
            Box(sb, Margin, y, Width - (2 * Margin), 0, 2);
        }

        // Band: reversed carrier code block, carrier name, COD.
        const int codeWidth = 20 * Dpmm;
        Box(sb, Margin, Margin, codeWidth, MarkTop - Margin, MarkTop - Margin); // filled block
        sb.Append(inv, $"^FO{Margin},{Margin + 24}^A0N,48,40^FR^FB{codeWidth},1,0,C^FH^FD{Escape(label.CarrierCode)}^FS\n");
        Cjk(sb, Margin + codeWidth + 24, Margin + 20, FitHeight(label.CarrierName, 56, 280), label.CarrierName);
        if (label.CodAmount is { } cod)
        {
            Box(sb, Right - (36 * Dpmm), Margin + 12, 34 * Dpmm, MarkTop - Margin - 24, 4);
            Cjk(sb, Right - (34 * Dpmm), Margin + 30, 32, $"代收货款 ¥{cod.ToString("0.00", inv)}");
        }

        // 大头笔 and sorting code.
        const int sortCell = 30 * Dpmm;
        Box(sb, Right - sortCell, MarkTop, 0, BarcodeTop - MarkTop, 2);
        if (!string.IsNullOrWhiteSpace(label.MarkDestination))
        {
            var cell = Width - (2 * Margin) - sortCell;
            var h = FitHeight(label.MarkDestination, 96, cell - 24);
            sb.Append(inv, $"^FO{Margin},{MarkTop + ((BarcodeTop - MarkTop - h) / 2)}^A@N,{h},{h},{cjkFont}^FB{cell},1,0,C^FH^FD{Escape(label.MarkDestination)}^FS\n");
        }
        if (!string.IsNullOrWhiteSpace(label.SortingCode))
        {
            var h = FitHeight(label.SortingCode, 60, sortCell - 24);
            sb.Append(inv, $"^FO{Right - sortCell},{MarkTop + ((BarcodeTop - MarkTop - h) / 2)}^A@N,{h},{h},{cjkFont}^FB{sortCell},1,0,C^FH^FD{Escape(label.SortingCode)}^FS\n");
        }

        // Code 128: module width in whole dots (3 = 0.375 mm ≥ 0.33 mm), bigger when the number is short.
        // ^BC mode A lets the printer pick code sets (C for digit runs), the same density as the PDF.
        var modules = Code128.Encode(label.TrackingNo).Modules;
        var available = Width - (2 * Margin) - (2 * Code128.QuietZoneModules * 3);
        var moduleDots = Math.Min(available / modules, 4);
        if (moduleDots < 3)
        {
            throw new ArgumentException($"Tracking number '{label.TrackingNo}' is too long for a Code 128 with 3-dot modules on a 100 mm label.", nameof(label));
        }
        var barcodeWidth = modules * moduleDots;
        var barcodeX = Math.Max(Margin, (Width - barcodeWidth) / 2);
        sb.Append(inv, $"^FO{barcodeX},{BarcodeTop + 16}^BY{moduleDots},3,136^BCN,136,N,N,N,A^FH^FD{Escape(label.TrackingNo)}^FS\n");
        sb.Append(inv, $"^FO{Margin},{BarcodeTop + 160}^A0N,36,30^FB{Width - (2 * Margin)},1,0,C^FH^FD{Escape(LabelPdfRenderer.GroupDigits(label.TrackingNo))}^FS\n");

        // 收 and 寄.
        Party(sb, "收", ReceiverTop, SenderTop, label.Receiver, Pii.MaskPhone(label.Receiver.Phone), 44, 36, 3);
        Party(sb, "寄", SenderTop, ItemsTop, label.Sender, label.Sender.Phone, 28, 26, 2);

        // Items, order number, weight, remark.
        var x = Margin + 16;
        var width = Width - (2 * Margin) - 32;
        sb.Append(inv, $"^FO{x},{ItemsTop + 12}^A@N,28,28,{cjkFont}^FB{width},2,4,L^FH^FD{Escape("物品：" + label.ItemSummary)}^FS\n");
        Cjk(sb, x, ItemsTop + 78, 28, "订单号：");
        sb.Append(inv, $"^FO{x + 112},{ItemsTop + 78}^A0N,28,24^FH^FD{Escape(label.OrderNo)}^FS\n");
        sb.Append(inv, $"^FO{x},{ItemsTop + 78}^A0N,28,24^FB{width},1,0,R^FH^FD{label.WeightKg.ToString("0.00", inv)} kg^FS\n");
        if (!string.IsNullOrWhiteSpace(label.Remark))
        {
            sb.Append(inv, $"^FO{x},{ItemsTop + 116}^A@N,26,26,{cjkFont}^FB{width},2,2,L^FH^FD{Escape("备注：" + label.Remark)}^FS\n");
        }

        // Stub.
        Cjk(sb, x, StubTop + 12, 28, "运单号：");
        sb.Append(inv, $"^FO{x + 112},{StubTop + 12}^A0N,30,26^FH^FD{Escape(label.TrackingNo)}^FS\n");
        Cjk(sb, x, StubTop + 64, 28, "签收人：");
        Box(sb, x + 112, StubTop + 92, 300, 0, 2);
        Cjk(sb, x + 432, StubTop + 64, 28, "时间：");
        Box(sb, x + 516, StubTop + 92, Right - 16 - (x + 516), 0, 2);
        sb.Append(inv, $"^FO{x},{Bottom - 30}^A0N,22,20^FD{label.PrintedAt.ToString("yyyy-MM-dd HH:mm", inv)}^FS\n");
        sb.Append("^XZ\n");
    }

    private void Party(StringBuilder sb, string side, int top, int bottom, LabelParty party, string phone, int nameHeight, int addressHeight, int addressLines)
    {
        var inv = CultureInfo.InvariantCulture;
        Box(sb, Margin + SideCell, top, 0, bottom - top, 2);
        sb.Append(inv, $"^FO{Margin},{top + ((bottom - top - 64) / 2)}^A@N,64,64,{cjkFont}^FB{SideCell},1,0,C^FH^FD{side}^FS\n");
        var x = Margin + SideCell + 16;
        var width = Right - x - 16;
        Cjk(sb, x, top + 12, nameHeight, party.Name);
        // Phone in the built-in font, right after a generous gap for the name: readable on any printer.
        sb.Append(inv, $"^FO{x},{top + 12}^A0N,{nameHeight},{nameHeight * 5 / 6}^FB{width},1,0,R^FH^FD{Escape(phone)}^FS\n");
        sb.Append(inv, $"^FO{x},{top + 24 + nameHeight}^A@N,{addressHeight},{addressHeight},{cjkFont}^FB{width},{addressLines},4,L^FH^FD{Escape(party.FullAddress)}^FS\n");
    }

    /// <summary>
    /// The largest character height (dots, ≤ <paramref name="max"/>) at which <paramref name="text"/> fits in
    /// <paramref name="width"/> dots on one line. A ^FB block prints overflow on top of its last line, so long
    /// 大头笔 must shrink instead. CJK fonts are square (one em per ideograph) and half-width for ASCII.
    /// </summary>
    internal static int FitHeight(string text, int max, int width)
    {
        double ems = 0;
        foreach (var ch in text)
        {
            ems += ch < 0x2E80 ? 0.5 : 1.0;
        }
        return ems == 0 ? max : Math.Clamp((int)(width / ems), 20, max);
    }

    private void Cjk(StringBuilder sb, int x, int y, int height, string text) =>
        sb.Append(CultureInfo.InvariantCulture, $"^FO{x},{y}^A@N,{height},{height},{cjkFont}^FH^FD{Escape(text)}^FS\n");

    /// <summary>^GB: a line when one side is 0, a filled block when the thickness reaches the height.</summary>
    private static void Box(StringBuilder sb, int x, int y, int w, int h, int thickness) =>
        sb.Append(CultureInfo.InvariantCulture, $"^FO{x},{y}^GB{Math.Max(w, thickness)},{Math.Max(h, thickness)},{thickness}^FS\n");

    /// <summary>
    /// With ^FH, '_' introduces a hex byte; ^ and ~ would start commands. Escaping those three keeps any
    /// address intact; everything else goes through as UTF-8 (^CI28).
    /// </summary>
    internal static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("^~_") < 0)
        {
            return text;
        }
        return text.Replace("_", "_5F", StringComparison.Ordinal)
            .Replace("^", "_5E", StringComparison.Ordinal)
            .Replace("~", "_7E", StringComparison.Ordinal);
    }

    private static string ValidateFontPath(string path)
    {
        // A printer font path like E:SIMSUN.TTF; anything with ^ , or ~ would break the command it sits in.
        if (string.IsNullOrWhiteSpace(path) || path.AsSpan().IndexOfAny("^~,\n\r") >= 0 || !path.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not a printer font path like {DefaultCjkFont}.", nameof(path));
        }
        return path;
    }
}
