using System.Globalization;
using System.Text;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Export of everything the list's filter matches, streamed page by page (keyset) so a million rows never sit in
/// memory as CSV. Every text cell is formula-neutralized (CSV and XLSX): an item named =HYPERLINK(…) shows as text.
/// </summary>
public static class OrderExport
{
    public static readonly string[] Header =
        ["orderNo", "status", "channel", "receiver", "phone", "province", "city", "district", "address", "lines", "totalAmount", "trackingNo", "createdAt (UTC+8)", "items", "remark"];

    /// <summary>MiniExcel writes from a list held in memory; CSV streams without a limit, XLSX stops here.</summary>
    public const int MaxXlsxRows = 200_000;

    public static async Task WriteAsync(HttpContext http, OrderQueries queries, OrderFilter filter, bool fullPii, string? format, CancellationToken ct)
    {
        var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
        http.Response.ContentType = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=orders.{(xlsx ? "xlsx" : "csv")}";
        if (xlsx)
        {
            // MiniExcel writes from an enumerable; it needs a seekable stream, so the workbook is built in a temp file.
            var rows = new List<Dictionary<string, object?>>();
            await foreach (var page in queries.StreamAsync(filter, fullPii, ct))
            {
                var items = await queries.ItemsAsync([.. page.Select(r => r.Id)], ct);
                rows.AddRange(page.Select(r => Header.Zip(Cells(r, items)).ToDictionary(x => x.First, x => (object?)x.Second)));
                if (rows.Count >= MaxXlsxRows)
                {
                    break;
                }
            }
            await Infrastructure.XlsxResponse.WriteAsync(http, rows, ct);
            return;
        }
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Header));
        await foreach (var page in queries.StreamAsync(filter, fullPii, ct))
        {
            var items = await queries.ItemsAsync([.. page.Select(r => r.Id)], ct);
            foreach (var r in page)
            {
                await writer.WriteLineAsync(string.Join(',', Cells(r, items).Select(CsvCell.Escape)));
            }
        }
    }

    private static string[] Cells(OrderRow r, IReadOnlyDictionary<long, string> items) =>
    [
        CsvCell.Neutralize(r.OrderNo), r.Status.ToString(), r.Channel.ToString(), CsvCell.Neutralize(r.ReceiverName), CsvCell.Neutralize(r.Phone),
        r.Province, CsvCell.Neutralize(r.City), CsvCell.Neutralize(r.District), CsvCell.Neutralize(r.AddressDetail),
        r.LineCount.ToString(CultureInfo.InvariantCulture), r.TotalAmount.ToString("0.00", CultureInfo.InvariantCulture), r.TrackingNo ?? "",
        BusinessCalendar.ToBusinessTime(r.CreatedAtUtc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        CsvCell.Neutralize(items.GetValueOrDefault(r.Id)), CsvCell.Neutralize(r.Remark),
    ];
}
