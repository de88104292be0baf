using System.Globalization;
using System.Text;
using MerchantPortal.Web.Features.Printing;
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

    private readonly string cjkFont = ValidateFontPath(cjkFontPath);

    /// <summary>All labels as one ZPL string (100×150 mm).</summary>
    public string Render(IEnumerable<LabelData> labels) => Render(labels, LabelSize.Mm100x150);

    /// <summary>All labels as one ZPL string in <paramref name="size"/> (203 dpi unless <paramref name="dpi"/> says 300).</summary>
    public string Render(IEnumerable<LabelData> labels, LabelSize size, int dpi = 203)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var g = LabelGeometry.For(size, dpi >= 300 ? 12 : LabelGeometry.DefaultDpmm);
        var sb = new StringBuilder(2048);
        foreach (var label in labels)
        {
            Append(sb, g, label);
        }
        return sb.ToString();
    }

    /// <summary>One label as one <c>^XA…^XZ</c> block.</summary>
    public string Render(LabelData label) => Render([label]);

    /// <summary>All labels as UTF-8 bytes (what a raw-socket print on port 9100 sends).</summary>
    public byte[] RenderUtf8(IEnumerable<LabelData> labels) => Encoding.UTF8.GetBytes(Render(labels));

    /// <summary>All labels in <paramref name="size"/> as UTF-8 bytes.</summary>
    public byte[] RenderUtf8(IEnumerable<LabelData> labels, LabelSize size, int dpi = 203) => Encoding.UTF8.GetBytes(Render(labels, size, dpi));

    private void Append(StringBuilder sb, LabelGeometry g, LabelData label)
    {
        var inv = CultureInfo.InvariantCulture;
        int margin = g.Margin, width = g.Width, right = g.Right, markTop = g.MarkTop, barcodeTop = g.BarcodeTop, receiverTop = g.ReceiverTop,
            senderTop = g.SenderTop, itemsTop = g.ItemsTop, stubTop = g.StubTop, bottom = g.Bottom;
        sb.Append("^XA^CI28^PW").Append(width).Append("^LL").Append(g.Height).Append("^LH0,0\n");

        // Frame and row rules.
        Box(sb, margin, margin, width - (2 * margin), bottom - margin, 3);
        foreach (var y in new[] { markTop, barcodeTop, receiverTop, senderTop, itemsTop, stubTop })
        {
            Box(sb, margin, y, width - (2 * margin), 0, 2);
        }

        // Band: reversed carrier code block (the carrier's logo area), carrier name, COD.
        var codeWidth = g.X(20 * 8);
        Box(sb, margin, margin, codeWidth, markTop - margin, markTop - margin); // filled block
        sb.Append(inv, $"^FO{margin},{margin + g.Y(24)}^A0N,{g.Font(48)},{g.Font(40)}^FR^FB{codeWidth},1,0,C^FH^FD{Escape(label.CarrierCode)}^FS\n");
        Cjk(sb, margin + codeWidth + g.X(24), margin + g.Y(20), FitHeight(label.CarrierName, g.Font(56), g.X(280)), label.CarrierName);
        if (label.CodAmount is { } cod)
        {
            Box(sb, right - g.X(36 * 8), margin + g.Y(12), g.X(34 * 8), markTop - margin - g.Y(24), 4);
            Cjk(sb, right - g.X(34 * 8), margin + g.Y(30), g.Font(32), $"代收货款 ¥{cod.ToString("0.00", inv)}");
        }

        // 大头笔 and sorting code (三段码).
        var sortCell = g.X(30 * 8);
        Box(sb, right - sortCell, markTop, 0, barcodeTop - markTop, 2);
        if (!string.IsNullOrWhiteSpace(label.MarkDestination))
        {
            var cell = width - (2 * margin) - sortCell;
            var h = FitHeight(label.MarkDestination, g.Font(96), cell - g.X(24));
            sb.Append(inv, $"^FO{margin},{markTop + ((barcodeTop - markTop - h) / 2)}^A@N,{h},{h},{cjkFont}^FB{cell},1,0,C^FH^FD{Escape(label.MarkDestination)}^FS\n");
        }
        if (!string.IsNullOrWhiteSpace(label.SortingCode))
        {
            var h = FitHeight(label.SortingCode, g.Font(60), sortCell - g.X(24));
            sb.Append(inv, $"^FO{right - sortCell},{markTop + ((barcodeTop - markTop - h) / 2)}^A@N,{h},{h},{cjkFont}^FB{sortCell},1,0,C^FH^FD{Escape(label.SortingCode)}^FS\n");
        }

        // Code 128: module width in whole dots (3 = 0.375 mm ≥ 0.33 mm), bigger when the number is short.
        // ^BC mode A lets the printer pick code sets (C for digit runs), the same density as the PDF.
        var moduleDots = ModuleDots(label.TrackingNo, width - (2 * margin), g.Dpmm);
        var barcodeWidth = Code128.Encode(label.TrackingNo).Modules * moduleDots;
        var barcodeX = Math.Max(margin, (width - barcodeWidth) / 2);
        var barHeight = g.Y(136);
        sb.Append(inv, $"^FO{barcodeX},{barcodeTop + g.Y(16)}^BY{moduleDots},3,{barHeight}^BCN,{barHeight},N,N,N,A^FH^FD{Escape(label.TrackingNo)}^FS\n");
        sb.Append(inv, $"^FO{margin},{barcodeTop + g.Y(160)}^A0N,{g.Font(36)},{g.Font(30)}^FB{width - (2 * margin)},1,0,C^FH^FD{Escape(LabelPdfRenderer.GroupDigits(label.TrackingNo))}^FS\n");

        // 收 and 寄.
        Party(sb, g, "收", receiverTop, senderTop, label.Receiver, Pii.MaskPhone(label.Receiver.Phone), g.Font(44), g.Font(36), 3);
        Party(sb, g, "寄", senderTop, itemsTop, label.Sender, label.Sender.Phone, g.Font(28), g.Font(26), 2);

        // Items, order number, weight, remark.
        var x = margin + g.X(16);
        var itemsWidth = width - (2 * margin) - g.X(32);
        var body = g.Font(28);
        sb.Append(inv, $"^FO{x},{itemsTop + g.Y(12)}^A@N,{body},{body},{cjkFont}^FB{itemsWidth},2,4,L^FH^FD{Escape("物品：" + label.ItemSummary)}^FS\n");
        Cjk(sb, x, itemsTop + g.Y(78), body, "订单号：");
        sb.Append(inv, $"^FO{x + g.X(112)},{itemsTop + g.Y(78)}^A0N,{body},{g.Font(24)}^FH^FD{Escape(label.OrderNo)}^FS\n");
        sb.Append(inv, $"^FO{x},{itemsTop + g.Y(78)}^A0N,{body},{g.Font(24)}^FB{itemsWidth},1,0,R^FH^FD{label.WeightKg.ToString("0.00", inv)} kg^FS\n");
        if (!string.IsNullOrWhiteSpace(label.Remark))
        {
            sb.Append(inv, $"^FO{x},{itemsTop + g.Y(116)}^A@N,{g.Font(26)},{g.Font(26)},{cjkFont}^FB{itemsWidth},2,2,L^FH^FD{Escape("备注：" + label.Remark)}^FS\n");
        }

        // Stub.
        Cjk(sb, x, stubTop + g.Y(12), body, "运单号：");
        sb.Append(inv, $"^FO{x + g.X(112)},{stubTop + g.Y(12)}^A0N,{g.Font(30)},{g.Font(26)}^FH^FD{Escape(label.TrackingNo)}^FS\n");
        Cjk(sb, x, stubTop + g.Y(64), body, "签收人：");
        Box(sb, x + g.X(112), stubTop + g.Y(92), g.X(300), 0, 2);
        Cjk(sb, x + g.X(432), stubTop + g.Y(64), body, "时间：");
        Box(sb, x + g.X(516), stubTop + g.Y(92), right - g.X(16) - (x + g.X(516)), 0, 2);
        sb.Append(inv, $"^FO{x},{bottom - g.Y(30)}^A0N,{g.Font(22)},{g.Font(20)}^FD{label.PrintedAt.ToString("yyyy-MM-dd HH:mm", inv)}^FS\n");
        if (g.HasSenderStub)
        {
            SenderStub(sb, g, label, moduleDots);
        }
        sb.Append("^XZ\n");
    }

    /// <summary>
    /// 二联单: the sender's stub (寄件联) under the label, kept by the sender: tracking number as barcode and text, the
    /// receiver (phone masked) and the items.
    /// </summary>
    private void SenderStub(StringBuilder sb, LabelGeometry g, LabelData label, int moduleDots)
    {
        var inv = CultureInfo.InvariantCulture;
        var top = g.LabelHeight;
        var x = g.Margin + 16;
        var width = g.Width - (2 * g.Margin);
        Box(sb, g.Margin, top, width, g.Height - g.Margin - top, 2);
        Cjk(sb, x, top + 12, 28, "寄件联");
        sb.Append(inv, $"^FO{x + 112},{top + 12}^A0N,30,26^FH^FD{Escape(label.TrackingNo)}^FS\n");
        // Centred like the label's own barcode, so both quiet zones stay on the label.
        var barcodeWidth = Code128.Encode(label.TrackingNo).Modules * moduleDots;
        sb.Append(inv, $"^FO{Math.Max(g.Margin, (g.Width - barcodeWidth) / 2)},{top + 50}^BY{moduleDots},3,80^BCN,80,N,N,N,A^FH^FD{Escape(label.TrackingNo)}^FS\n");
        Cjk(sb, x, top + 142, 26, $"收：{label.Receiver.Name} {Pii.MaskPhone(label.Receiver.Phone)} {label.Receiver.Province}{label.Receiver.City}");
        sb.Append(inv, $"^FO{x},{top + 180}^A@N,26,26,{cjkFont}^FB{width - 32},1,0,L^FH^FD{Escape("物品：" + label.ItemSummary)}^FS\n");
    }

    /// <summary>Code 128 module width in whole dots: 3 (0.375 mm) or 4 when the number is short; a number too long for 3 is refused.</summary>
    internal static int ModuleDots(string trackingNo, int widthDots, int dpmm = LabelGeometry.DefaultDpmm)
    {
        var modules = Code128.Encode(trackingNo).Modules;
        var min = dpmm >= 12 ? 4 : 3;
        var available = widthDots - (2 * Code128.QuietZoneModules * min);
        var moduleDots = Math.Min(available / modules, min + 1);
        if (moduleDots < min)
        {
            throw new ArgumentException($"Tracking number '{trackingNo}' is too long for a Code 128 with {min}-dot modules on this label.", nameof(trackingNo));
        }
        return moduleDots;
    }

    private void Party(StringBuilder sb, LabelGeometry g, string side, int top, int bottom, LabelParty party, string phone, int nameHeight, int addressHeight, int addressLines)
    {
        var inv = CultureInfo.InvariantCulture;
        var sideCell = g.X(9 * 8);
        Box(sb, g.Margin + sideCell, top, 0, bottom - top, 2);
        var sideHeight = g.Font(64);
        sb.Append(inv, $"^FO{g.Margin},{top + ((bottom - top - sideHeight) / 2)}^A@N,{sideHeight},{sideHeight},{cjkFont}^FB{sideCell},1,0,C^FH^FD{side}^FS\n");
        var x = g.Margin + sideCell + g.X(16);
        var width = g.Right - x - g.X(16);
        Cjk(sb, x, top + g.Y(12), nameHeight, party.Name);
        // Phone in the built-in font, right after a generous gap for the name: readable on any printer.
        sb.Append(inv, $"^FO{x},{top + g.Y(12)}^A0N,{nameHeight},{nameHeight * 5 / 6}^FB{width},1,0,R^FH^FD{Escape(phone)}^FS\n");
        sb.Append(inv, $"^FO{x},{top + g.Y(24) + nameHeight}^A@N,{addressHeight},{addressHeight},{cjkFont}^FB{width},{addressLines},4,L^FH^FD{Escape(party.FullAddress)}^FS\n");
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
