using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>
/// The pick list (拣货单) as A4: a header with the batch or wave, carrier, warehouse, print time and totals; a table of
/// SKUs in walking order (location, SKU, name, units, orders, a box to tick); SKUs without a location under their own
/// heading at the end; page numbers.
/// </summary>
public static class PickListPdf
{
    private const double Margin = 15;
    private const double RowHeight = 6.5;
    private const double TableTop = Margin + 30;
    private const double FooterTop = PickingPdf.A4Height - Margin;
    private static readonly double[] Columns = [Margin, Margin + 10, Margin + 40, Margin + 80, Margin + 145, Margin + 160, Margin + 173];

    public static byte[] Render(PickList list)
    {
        using var document = new PdfDocument();
        document.Info.Title = Title(list);
        var title = PickingPdf.Font(5.5, bold: true);
        var body = PickingPdf.Font(3.4);
        var bold = PickingPdf.Font(3.4, bold: true);
        var pages = Paginate(list.Rows);
        for (var p = 0; p < pages.Count; p++)
        {
            var (_, g) = PickingPdf.AddPage(document, PickingPdf.A4Width, PickingPdf.A4Height);
            using (g)
            {
                Header(g, list, title, body);
                var y = TableTop;
                Row(g, bold, y, "#", "库位", "SKU", "商品名称", "数量", "订单数", "已拣");
                g.DrawLine(XPens.Black, Margin, y + 2, PickingPdf.A4Width - Margin, y + 2);
                y += RowHeight;
                foreach (var entry in pages[p])
                {
                    if (entry.Heading is { } heading)
                    {
                        g.DrawString(heading, bold, XBrushes.Black, new XPoint(Margin, y));
                    }
                    else
                    {
                        var r = entry.Row!;
                        Row(g, body, y, entry.Number.ToString(CultureInfo.InvariantCulture), r.Location ?? "-", PickingPdf.Fit(g, r.Sku ?? "-", body, 38),
                            PickingPdf.Fit(g, r.Name, body, 63), r.Quantity.ToString(CultureInfo.InvariantCulture), r.Orders.ToString(CultureInfo.InvariantCulture), "");
                        g.DrawRectangle(XPens.Black, Columns[6] + 1, y - 3, 3.5, 3.5);
                    }
                    g.DrawLine(new XPen(XColors.LightGray, 0.1), Margin, y + 2, PickingPdf.A4Width - Margin, y + 2);
                    y += RowHeight;
                }
                if (list.Rows.Count == 0)
                {
                    g.DrawString("本批次还没有已出单的包裹。", body, XBrushes.Black, new XPoint(Margin, y));
                }
                if (p == pages.Count - 1)
                {
                    g.DrawString($"合计：{list.Skus} 个 SKU，{list.Units} 件", bold, XBrushes.Black, new XPoint(Margin, y + 4));
                    g.DrawString("拣货人：____________    复核人：____________", body, XBrushes.Black, new XPoint(Margin, FooterTop - 8));
                }
                var footer = $"第 {p + 1} / {pages.Count} 页";
                g.DrawString(footer, body, XBrushes.Black, new XPoint(PickingPdf.A4Width - Margin - g.MeasureString(footer, body).Width, FooterTop));
                g.DrawString(Title(list), body, XBrushes.Gray, new XPoint(Margin, FooterTop));
            }
        }
        return PickingPdf.Save(document);
    }

    private static string Title(PickList list) => list.WaveCode is { } wave ? $"拣货单 波次 {wave}（批次 {list.BatchId}）" : $"拣货单 批次 {list.BatchId}";

    private static void Header(XGraphics g, PickList list, XFont title, XFont body)
    {
        g.DrawString(Title(list), title, XBrushes.Black, new XPoint(Margin, Margin + 5));
        g.DrawString($"快递：{list.CarrierName}（{list.CarrierAccountName}）    仓库：{list.Warehouse}", body, XBrushes.Black, new XPoint(Margin, Margin + 12));
        g.DrawString($"打印时间：{list.PrintedAt:yyyy-MM-dd HH:mm}", body, XBrushes.Black, new XPoint(Margin, Margin + 17.5));
        g.DrawString($"包裹 {list.Parcels}    订单 {list.Orders}    SKU {list.Skus}    件数 {list.Units}", body, XBrushes.Black, new XPoint(Margin, Margin + 23));
    }

    private static void Row(XGraphics g, XFont font, double y, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            g.DrawString(cells[i], font, XBrushes.Black, new XPoint(Columns[i], y));
        }
    }

    private sealed record Entry(int Number, PickListRow? Row, string? Heading);

    /// <summary>The rows per page, with a "无库位" heading before the first SKU without a location and one before lines without a SKU.</summary>
    private static List<List<Entry>> Paginate(IReadOnlyList<PickListRow> rows)
    {
        var entries = new List<Entry>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var previous = i == 0 ? null : rows[i - 1];
            if (r.Location is null && r.Sku is not null && (previous is null || previous.Location is not null))
            {
                entries.Add(new Entry(0, null, "无库位"));
            }
            if (r.Sku is null && (previous is null || previous.Sku is not null))
            {
                entries.Add(new Entry(0, null, "无 SKU（按名称）"));
            }
            entries.Add(new Entry(i + 1, r, null));
        }
        // Room for the totals and the signature line on the last page.
        var perPage = (int)Math.Floor((FooterTop - 14 - TableTop - RowHeight) / RowHeight);
        var pages = entries.Chunk(perPage).Select(c => c.ToList()).ToList();
        return pages.Count == 0 ? [[]] : pages;
    }
}
