using System.Globalization;
using MerchantPortal.Web.Features.Waybills.Labels;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// The handover list (交接单) as A4: per carrier a table of the parcels handed to the courier and a line for both
/// signatures. Chinese on purpose (it is signed by the courier), with the shipped CJK font.
/// </summary>
public static class HandoverPdf
{
    private const double PageWidth = 210;
    private const double PageHeight = 297;
    private const double Margin = 15;
    private const double RowHeight = 6;
    private static readonly double[] Columns = [Margin, Margin + 10, Margin + 55, Margin + 95, Margin + 125, Margin + 160];

    /// <param name="reference">Names the pickup in the title (a handover's "#12"), or null for a day's list.</param>
    public static byte[] Render(IReadOnlyList<HandoverList> lists, string? reference = null)
    {
        LabelFontResolver.EnsureRegistered();
        using var document = new PdfDocument();
        // Drawing is in millimetres, so font sizes are too (5 mm ≈ 14 pt, 3.2 mm ≈ 9 pt).
        var title = new XFont(LabelFontResolver.FamilyName, 5, XFontStyleEx.Bold, XPdfFontOptions.UnicodeDefault);
        var body = new XFont(LabelFontResolver.FamilyName, 3.2, XFontStyleEx.Regular, XPdfFontOptions.UnicodeDefault);
        foreach (var list in lists.Count == 0 ? [new HandoverList("-", "-", DateOnly.FromDateTime(DateTime.UtcNow), [])] : lists)
        {
            var rows = list.Rows;
            var index = 0;
            do
            {
                var page = document.AddPage();
                page.Width = XUnit.FromMillimeter(PageWidth);
                page.Height = XUnit.FromMillimeter(PageHeight);
                using var g = XGraphics.FromPdfPage(page, XGraphicsUnit.Millimeter);
                var weight = rows.Sum(r => r.WeightKg).ToString("0.###", CultureInfo.InvariantCulture);
                g.DrawString($"{list.CarrierName} 交接单{(reference is null ? "" : " " + reference)}  {list.Day:yyyy-MM-dd}  共 {rows.Count} 件  总重 {weight} kg", title, XBrushes.Black, new XPoint(Margin, Margin + 5));
                var y = Margin + 14;
                Row(g, body, y, "#", "运单号", "订单号", "收件人", "目的地", "重量(kg)");
                g.DrawLine(XPens.Black, Margin, y + 1.5, PageWidth - Margin, y + 1.5);
                y += RowHeight;
                for (; index < rows.Count && y < PageHeight - Margin - 25; index++, y += RowHeight)
                {
                    var r = rows[index];
                    Row(g, body, y, (index + 1).ToString(CultureInfo.InvariantCulture), r.TrackingNo, r.OrderNo, r.Receiver, r.Destination,
                        r.WeightKg.ToString("0.###", CultureInfo.InvariantCulture));
                }
                if (index >= rows.Count)
                {
                    g.DrawString("仓库交接人签字：____________      快递员签字：____________      时间：____________", body, XBrushes.Black,
                        new XPoint(Margin, PageHeight - Margin - 10));
                }
            }
            while (index < rows.Count);
        }
        using var buffer = new MemoryStream();
        document.Save(buffer, false);
        return buffer.ToArray();
    }

    private static void Row(XGraphics g, XFont font, double y, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            g.DrawString(cells[i], font, XBrushes.Black, new XPoint(Columns[i], y));
        }
    }
}
