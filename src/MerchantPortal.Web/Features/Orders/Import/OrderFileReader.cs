using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>
/// Streams the rows of an uploaded order file (CSV in UTF-8 with or without BOM, or GBK/GB18030; or XLSX) as
/// arrays of cell texts, header first. Never holds the whole file: CSV is parsed record by record (quoted line
/// breaks stay inside their record), XLSX through MiniExcel's streaming reader.
/// </summary>
public sealed class OrderFileReader : IDisposable
{
    private const int SniffBytes = 64 * 1024;

    static OrderFileReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly FileStream stream;
    private readonly bool isXlsx;
    private readonly Encoding encoding;

    public OrderFileReader(string path, string fileName)
    {
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || LooksLikeZip(stream);
        (encoding, EncodingName) = isXlsx ? (Encoding.UTF8, "XLSX") : DetectEncoding(stream);
    }

    /// <summary>UTF-8, UTF-8 BOM, GB18030 (covers GBK) or XLSX.</summary>
    public string EncodingName { get; }

    public int ProgressPercent => stream.CanSeek && stream.Length > 0 ? (int)Math.Min(100, stream.Position * 100 / stream.Length) : 0;

    /// <summary>Every record, numbered as a spreadsheet numbers rows (the header is row 1).</summary>
    public IEnumerable<(int Row, string?[] Cells)> Rows() => isXlsx ? XlsxRows() : CsvRows();

    private IEnumerable<(int Row, string?[] Cells)> CsvRows()
    {
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var row = 0;
        foreach (var record in CsvRecords.Read(reader))
        {
            row++;
            yield return (row, record);
        }
    }

    private IEnumerable<(int Row, string?[] Cells)> XlsxRows()
    {
        var row = 0;
        foreach (IDictionary<string, object?> cells in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            row++;
            yield return (row, cells.Values.Select(CellText).ToArray());
        }
    }

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("0.############", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool LooksLikeZip(Stream s)
    {
        Span<byte> head = stackalloc byte[4];
        var n = s.Read(head);
        s.Position = 0;
        return n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>
    /// A BOM decides; otherwise the first 64 KB must decode as strict UTF-8 (an incomplete sequence at the cut is
    /// fine), else the file is GB18030, the superset of GBK that Chinese shop exports use.
    /// </summary>
    internal static (Encoding Encoding, string Name) DetectEncoding(Stream s)
    {
        var buffer = new byte[SniffBytes];
        var n = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        s.Position = 0;
        if (n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
        {
            s.Position = 3;
            return (new UTF8Encoding(false), "UTF-8 BOM");
        }
        try
        {
            var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
            var chars = new char[n + 4];
            decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
            return (new UTF8Encoding(false), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.GetEncoding("GB18030"), "GB18030");
        }
    }

    public void Dispose() => stream.Dispose();
}
