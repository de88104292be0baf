using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>
/// Packing slips (发货单). One layout drawn into a box, used two ways: two slips per A4 sheet (each an A5 half, with a
/// cut line: an office laser printer, half the paper of a slip per page, and an A5 slip folds once into any parcel), and
/// a page of the label's size (100×150) after each label, so one label printer gives the packer a parcel's label and
/// slip together in pick order. An order with more lines than a box holds continues in the next box ("续 2/2").
/// </summary>
public static class PackingSlipPdf
{
    private const double LabelWidth = 100;
    private const double LabelHeight = 150;

    /// <summary>The slips two per A4 page, in the order given.</summary>
    public static byte[] RenderA4(IReadOnlyList<PackingSlip> slips)
    {
        using var document = new PdfDocument();
        document.Info.Title = "发货单";
        var style = new Style(1.0, 8);
        var half = PickingPdf.A4Height / 2;
        var boxes = slips.SelectMany(s => Parts(s, style, half)).ToList();
        for (var i = 0; i < boxes.Count; i += 2)
        {
            var (_, g) = PickingPdf.AddPage(document, PickingPdf.A4Width, PickingPdf.A4Height);
            using (g)
            {
                Draw(g, new XRect(0, 0, PickingPdf.A4Width, half), boxes[i], style);
                if (i + 1 < boxes.Count)
                {
                    Draw(g, new XRect(0, half, PickingPdf.A4Width, half), boxes[i + 1], style);
                }
                g.DrawLine(new XPen(XColors.Gray, 0.2) { DashStyle = XDashStyle.Dash }, 5, half, PickingPdf.A4Width - 5, half);
            }
        }
        return PickingPdf.Save(document);
    }

    /// <summary>
    /// Each label page of <paramref name="labelsPdf"/> (one per slip, same order) followed by its slip on pages of the
    /// label's size (100×150). The labels come as one rendered file, so their font is embedded once.
    /// </summary>
    public static byte[] RenderWithLabels(byte[] labelsPdf, IReadOnlyList<PackingSlip> slips)
    {
        using var source = PdfReader.Open(new MemoryStream(labelsPdf), PdfDocumentOpenMode.Import);
        if (source.PageCount != slips.Count)
        {
            throw new ArgumentException($"{source.PageCount} label pages for {slips.Count} slips.", nameof(labelsPdf));
        }
        using var document = new PdfDocument();
        document.Info.Title = "面单 + 发货单";
        var style = new Style(0.8, 5);
        for (var i = 0; i < slips.Count; i++)
        {
            document.AddPage(source.Pages[i]);
            foreach (var part in Parts(slips[i], style, LabelHeight))
            {
                var (_, g) = PickingPdf.AddPage(document, LabelWidth, LabelHeight);
                using (g)
                {
                    Draw(g, new XRect(0, 0, LabelWidth, LabelHeight), part, style);
                }
            }
        }
        return PickingPdf.Save(document);
    }

    /// <param name="Scale">Font and spacing scale: 1 on an A5 half, 0.8 on a 100 mm label.</param>
    /// <param name="Margin">Inside the box, millimetres.</param>
    private sealed record Style(double Scale, double Margin)
    {
        public double Row => 5.5 * Scale;
        public double HeaderHeight => Margin + (43 * Scale);
        public double FooterHeight => Margin + (24 * Scale);
        public XFont Brand { get; } = PickingPdf.Font(6 * Scale, bold: true);
        public XFont Body { get; } = PickingPdf.Font(3.4 * Scale);
        public XFont Bold { get; } = PickingPdf.Font(3.4 * Scale, bold: true);
    }

    private sealed record Part(PackingSlip Slip, IReadOnlyList<PackingSlipLine> Lines, int FirstNumber, int Number, int Of);

    private static List<Part> Parts(PackingSlip slip, Style style, double boxHeight)
    {
        var perBox = Math.Max(1, (int)Math.Floor((boxHeight - style.HeaderHeight - style.FooterHeight) / style.Row));
        var chunks = slip.Lines.Chunk(perBox).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }
        return [.. chunks.Select((c, i) => new Part(slip, c, (i * perBox) + 1, i + 1, chunks.Count))];
    }

    private static void Draw(XGraphics g, XRect box, Part part, Style s)
    {
        var slip = part.Slip;
        var x = box.X + s.Margin;
        var right = box.Right - s.Margin;
        var width = right - x;
        var y = box.Y + s.Margin;
        g.DrawString(PickingPdf.Fit(g, slip.Brand, s.Brand, width * 0.5), s.Brand, XBrushes.Black, new XPoint(x, y + (6 * s.Scale)));
        g.DrawString(part.Of > 1 ? $"发货单（续 {part.Number}/{part.Of}）" : "发货单", s.Body, XBrushes.Black, new XPoint(x, y + (12 * s.Scale)));
        PickingPdf.Barcode(g, slip.OrderNo, right, y, width * 0.45, 10 * s.Scale);
        TextRight(g, slip.OrderNo, s.Body, right, y + (14 * s.Scale));

        y += 21 * s.Scale;
        var parcel = slip.ParcelCount > 1 ? $"    包裹 {slip.ParcelNo}/{slip.ParcelCount}" : "";
        Line(g, $"订单号：{slip.OrderNo}    运单号：{slip.CarrierName} {slip.TrackingNo}{parcel}", s.Body, x, y, width);
        y += 5 * s.Scale;
        var merged = slip.MergedOrderNos.Count > 0 ? $"合并订单：{string.Join(", ", slip.MergedOrderNos)}    " : "";
        var wave = slip.WaveCode is { } code ? $"波次：{code}" : "";
        Line(g, merged + wave, s.Body, x, y, width);
        y += 5 * s.Scale;
        Line(g, $"收件人：{slip.ReceiverName}  {slip.ReceiverPhone}", s.Body, x, y, width);
        y += 5 * s.Scale;
        Line(g, $"地址：{slip.ReceiverAddress}", s.Body, x, y, width);

        y += 7 * s.Scale;
        var columns = new[] { x, x + (width * 0.08), x + (width * 0.36) };
        Cells(g, s.Bold, y, columns, right, "#", "SKU", "商品名称", "数量");
        g.DrawLine(XPens.Black, x, y + (1.6 * s.Scale), right, y + (1.6 * s.Scale));
        for (var i = 0; i < part.Lines.Count; i++)
        {
            y += s.Row;
            var l = part.Lines[i];
            Cells(g, s.Body, y, columns, right, (part.FirstNumber + i).ToString(CultureInfo.InvariantCulture), PickingPdf.Fit(g, l.Sku ?? "-", s.Body, (width * 0.27) - 1),
                PickingPdf.Fit(g, l.Name, s.Body, (width * 0.52) - 1), l.Quantity.ToString(CultureInfo.InvariantCulture));
        }
        g.DrawLine(XPens.Black, x, y + (1.6 * s.Scale), right, y + (1.6 * s.Scale));
        Footer(g, box, part, s, x, right, width, y);
    }

    private static void Footer(XGraphics g, XRect box, Part part, Style s, double x, double right, double width, double y)
    {
        var slip = part.Slip;
        if (part.Number == part.Of)
        {
            y += 5.5 * s.Scale;
            TextRight(g, $"共 {slip.Lines.Count} 种 {slip.Units} 件", s.Bold, right, y);
            foreach (var remark in slip.Remarks.Take(2))
            {
                y += 5 * s.Scale;
                Line(g, $"备注：{remark}", s.Body, x, y, width);
            }
        }
        var bottom = box.Bottom - s.Margin;
        g.DrawLine(new XPen(XColors.Gray, 0.1), x, bottom - (5 * s.Scale), right, bottom - (5 * s.Scale));
        Line(g, "感谢您的惠顾！商品有任何问题，请联系店铺客服。", s.Body, x, bottom - (1 * s.Scale), width * 0.7);
        TextRight(g, slip.PrintedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), s.Body, right, bottom - (1 * s.Scale));
    }

    private static void Line(XGraphics g, string text, XFont font, double x, double y, double width)
    {
        if (text.Length > 0)
        {
            g.DrawString(PickingPdf.Fit(g, text, font, width), font, XBrushes.Black, new XPoint(x, y));
        }
    }

    private static void TextRight(XGraphics g, string text, XFont font, double right, double y) =>
        g.DrawString(text, font, XBrushes.Black, new XPoint(right - g.MeasureString(text, font).Width, y));

    private static void Cells(XGraphics g, XFont font, double y, double[] columns, double right, string number, string sku, string name, string quantity)
    {
        g.DrawString(number, font, XBrushes.Black, new XPoint(columns[0], y));
        g.DrawString(sku, font, XBrushes.Black, new XPoint(columns[1], y));
        g.DrawString(name, font, XBrushes.Black, new XPoint(columns[2], y));
        TextRight(g, quantity, font, right, y);
    }
}
