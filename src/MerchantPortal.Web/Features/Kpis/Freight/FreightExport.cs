using System.Globalization;
using System.Text;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>A bill's discrepancies as XLSX (a totals sheet and a discrepancies sheet) or CSV (UTF-8 with BOM, so Excel reads the Chinese).</summary>
public static class FreightExport
{
    public static async Task WriteXlsxAsync(HttpContext http, FreightBillReport report, IReadOnlyList<FreightDiscrepancyView> rows, CancellationToken ct)
    {
        http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers.ContentDisposition = $"attachment; filename=bill-{report.Bill.Id}-discrepancies.xlsx";
        var sheets = new Dictionary<string, object>
        {
            ["totals"] = report.Totals.Select(t => new Dictionary<string, object?> { ["kind"] = t.Kind.ToString(), ["count"] = t.Count, ["amount"] = t.Amount }).ToList(),
            ["discrepancies"] = rows.Select(Row).ToList(),
        };
        await Infrastructure.XlsxResponse.WriteAsync(http, sheets, ct);
    }

    public static async Task WriteCsvAsync(HttpContext http, FreightBillReport report, IReadOnlyList<FreightDiscrepancyView> rows, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=bill-{report.Bill.Id}-discrepancies.csv";
        var sb = new StringBuilder("\uFEFF");
        var header = Row(rows.Count > 0 ? rows[0] : new FreightDiscrepancyView(default, "", null, null, null, null, null, 0, null, null)).Keys;
        sb.AppendLine(string.Join(',', header));
        foreach (var r in rows)
        {
            sb.AppendLine(string.Join(',', Row(r).Values.Select(Cell)));
        }
        await http.Response.WriteAsync(sb.ToString(), Encoding.UTF8, ct);
    }

    private static Dictionary<string, object?> Row(FreightDiscrepancyView d) => new()
    {
        ["kind"] = d.Kind.ToString(),
        ["trackingNo"] = d.TrackingNo,
        ["row"] = d.Row,
        ["billedWeightKg"] = d.BilledWeightKg,
        ["ourWeightKg"] = d.OurWeightKg,
        ["packedWeightKg"] = d.PackedWeightKg,
        ["billedAmount"] = d.BilledAmount,
        ["expectedAmount"] = d.ExpectedAmount,
        ["difference"] = d.Difference,
        ["destinationProvince"] = d.DestinationProvince,
        ["detail"] = d.Detail,
    };

    /// <summary>Quoted as needed; a text starting like a formula gets a leading apostrophe so a spreadsheet shows it as text.</summary>
    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
