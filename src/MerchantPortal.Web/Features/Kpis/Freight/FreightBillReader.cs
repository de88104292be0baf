using System.Globalization;
using System.Text;
using MerchantPortal.Web.Features.Orders.Import;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>Why a bill row was rejected; the pages translate "Reason.{code}".</summary>
public static class FreightBillReasons
{
    public const string Required = "Required";
    public const string NotANumber = "NotANumber";
    public const string OutOfRange = "OutOfRange";
    public const string TooLong = "TooLong";
    public const string MissingColumn = "MissingColumn";
}

public sealed record BillRow(int Row, string TrackingNo, decimal BilledWeightKg, decimal Amount);

/// <param name="TrackingNo">The row's number when it could be read: the row is rejected, but the number is on the bill (not "never billed").</param>
public sealed record BillRowError(int Row, string Column, string? Value, string Reason, string? TrackingNo = null);

/// <summary>
/// Reads a carrier bill (CSV in UTF-8 or GBK/GB18030, or XLSX: the orders' streaming reader) into valid rows and
/// row errors. Columns are found by header, in Chinese or English (运单号/计费重量/金额, tracking number/billed
/// weight/amount and the usual variants); a bad cell rejects its row only, every valid row is kept.
/// </summary>
public static class FreightBillReader
{
    public const string TrackingColumn = "trackingNo", WeightColumn = "billedWeight", AmountColumn = "amount";

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["运单号"] = TrackingColumn, ["快递单号"] = TrackingColumn, ["运单编号"] = TrackingColumn, ["单号"] = TrackingColumn, ["面单号"] = TrackingColumn,
        ["trackingnumber"] = TrackingColumn, ["trackingno"] = TrackingColumn, ["waybillno"] = TrackingColumn, ["waybillnumber"] = TrackingColumn, ["waybill"] = TrackingColumn,
        ["计费重量"] = WeightColumn, ["结算重量"] = WeightColumn, ["重量"] = WeightColumn, ["计重"] = WeightColumn,
        ["billedweight"] = WeightColumn, ["chargeableweight"] = WeightColumn, ["weight"] = WeightColumn, ["weightkg"] = WeightColumn,
        ["金额"] = AmountColumn, ["运费"] = AmountColumn, ["应付金额"] = AmountColumn, ["结算金额"] = AmountColumn, ["费用"] = AmountColumn,
        ["amount"] = AmountColumn, ["freight"] = AmountColumn, ["charge"] = AmountColumn, ["fee"] = AmountColumn, ["billedamount"] = AmountColumn,
    };

    public const decimal MaxWeightKg = 1_000m, MaxAmount = 100_000m;

    /// <summary>Lower case, without spaces, separators and a unit in brackets: "计费重量(kg)" and "Billed Weight" both map.</summary>
    public static string? ColumnOf(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var sb = new StringBuilder();
        var depth = 0;
        foreach (var ch in header.Trim().TrimStart('\uFEFF'))
        {
            switch (ch)
            {
                case '(' or '（' or '[' or '【':
                    depth++;
                    break;
                case ')' or '）' or ']' or '】':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ' ' or '_' or '-' or '.' or '/' or '\u3000':
                    break;
                default:
                    if (depth == 0)
                    {
                        sb.Append(char.ToLowerInvariant(ch));
                    }
                    break;
            }
        }
        return Headers.GetValueOrDefault(sb.ToString());
    }

    /// <summary>Reads every row; <paramref name="progress"/> gets the percentage of the file read so far.</summary>
    public static (List<BillRow> Rows, List<BillRowError> Errors, int DataRows) Read(OrderFileReader file, Action<int>? progress = null)
    {
        var rows = new List<BillRow>();
        var errors = new List<BillRowError>();
        Dictionary<string, (int Index, string Header)>? columns = null;
        var dataRows = 0;
        foreach (var (row, cells) in file.Rows())
        {
            if (columns is null)
            {
                columns = [];
                for (var i = 0; i < cells.Length; i++)
                {
                    if (ColumnOf(cells[i]) is { } c && !columns.ContainsKey(c))
                    {
                        columns[c] = (i, cells[i]!.Trim());
                    }
                }
                var missing = new[] { TrackingColumn, WeightColumn, AmountColumn }.Where(c => !columns.ContainsKey(c)).ToList();
                if (missing.Count > 0)
                {
                    errors.AddRange(missing.Select(m => new BillRowError(row, m, null, FreightBillReasons.MissingColumn)));
                    return (rows, errors, 0);
                }
                continue;
            }
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            dataRows++;
            if (dataRows % 1000 == 0)
            {
                progress?.Invoke(file.ProgressPercent);
            }
            string? Cell(string column) => columns[column].Index < cells.Length ? cells[columns[column].Index]?.Trim() : null;
            var rowErrors = new List<BillRowError>();
            var trackingNo = Normalize(Cell(TrackingColumn));
            if (string.IsNullOrEmpty(trackingNo))
            {
                rowErrors.Add(new(row, columns[TrackingColumn].Header, null, FreightBillReasons.Required));
            }
            else if (trackingNo.Length > 64)
            {
                rowErrors.Add(new(row, columns[TrackingColumn].Header, trackingNo[..64], FreightBillReasons.TooLong));
            }
            var weight = Number(Cell(WeightColumn), columns[WeightColumn].Header, row, 0m, MaxWeightKg, allowZero: false, rowErrors);
            var amount = Number(Cell(AmountColumn), columns[AmountColumn].Header, row, 0m, MaxAmount, allowZero: true, rowErrors);
            if (rowErrors.Count > 0)
            {
                var mentioned = trackingNo is { Length: > 0 and <= 64 } ? trackingNo : null;
                errors.AddRange(rowErrors.Select(e => e with { TrackingNo = mentioned }));
            }
            else
            {
                rows.Add(new BillRow(row, trackingNo!, weight!.Value, amount!.Value));
            }
        }
        if (columns is null)
        {
            errors.AddRange(new[] { TrackingColumn, WeightColumn, AmountColumn }.Select(m => new BillRowError(1, m, null, FreightBillReasons.MissingColumn)));
        }
        return (rows, errors, dataRows);
    }

    private static decimal? Number(string? text, string header, int row, decimal min, decimal max, bool allowZero, List<BillRowError> errors)
    {
        var clean = Normalize(text)?.Replace(",", "", StringComparison.Ordinal).Replace("¥", "", StringComparison.Ordinal).Replace("￥", "", StringComparison.Ordinal)
            .Replace("元", "", StringComparison.Ordinal).Replace("kg", "", StringComparison.OrdinalIgnoreCase).Replace("公斤", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(clean))
        {
            errors.Add(new(row, header, null, FreightBillReasons.Required));
            return null;
        }
        if (!decimal.TryParse(clean, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(new(row, header, Cut(text), FreightBillReasons.NotANumber));
            return null;
        }
        if (value < min || value > max || (!allowZero && value == 0))
        {
            errors.Add(new(row, header, Cut(text), FreightBillReasons.OutOfRange));
            return null;
        }
        return value;
    }

    private static string? Cut(string? text) => text is { Length: > 200 } ? text[..200] : text;

    /// <summary>Full-width digits and letters (common in Chinese spreadsheets) to ASCII; spaces trimmed.</summary>
    private static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Trim())
        {
            sb.Append(ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch);
        }
        return sb.ToString().Trim();
    }
}
