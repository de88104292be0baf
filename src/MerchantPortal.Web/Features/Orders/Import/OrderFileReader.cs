using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>One record of an order file as a spreadsheet numbers it (header = row 1).</summary>
/// <param name="TooLong">
/// The record had a cell over <see cref="OrderFileReader.MaxFieldChars"/> (or the record was over
/// <see cref="OrderFileReader.MaxRecordChars"/>): its index, and <see cref="Cells"/> holds the cells up to it with that
/// cell clipped. The row is refused; the reader has resynchronised at the next line.
/// </param>
public readonly record struct FileRecord(int Row, string?[] Cells, int? TooLong)
{
    /// <summary>No value in any cell (Excel leaves rows of bare delimiters): skipped and counted, never an error.</summary>
    public bool IsEmpty => TooLong is null && Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>A file the import cannot read on; the message is an <see cref="ImportFailures"/> text naming the row.</summary>
public sealed class OrderFileException(string failure) : Exception(failure);

/// <summary>
/// Streams the rows of an uploaded order file (CSV in UTF-8 with or without BOM, or GBK/GB18030; or XLSX) as
/// arrays of cell texts, header first. Never holds the whole file: CSV is parsed record by record by CsvHelper
/// (quoted line breaks stay inside their record), XLSX through MiniExcel's streaming reader.
/// </summary>
public sealed class OrderFileReader : IDisposable
{
    /// <summary>
    /// The longest cell read. Real cells (an address, a buyer message, a product title) stay under 1 K characters;
    /// 64 K leaves room for pasted text while an unclosed quote or a hostile file cannot grow one field to the size
    /// of the file (50 MB of text is 100 MB of chars, per field, again in the parser's buffer).
    /// </summary>
    public const int MaxFieldChars = 64 * 1024;

    /// <summary>
    /// The longest record (all its cells). A platform export has at most a few hundred columns of short text; a
    /// record over 1 M characters is not an order line. Checked after the record is read (CsvHelper has no record cap),
    /// so memory is bounded by <see cref="MaxFieldChars"/> per cell and the 50 MB upload limit.
    /// </summary>
    public const int MaxRecordChars = 1024 * 1024;

    private const int BlockBytes = 64 * 1024;

    static OrderFileReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly FileStream stream;
    private readonly bool isXlsx;
    private readonly Encoding encoding;
    private readonly long dataStart;

    public OrderFileReader(string path, string fileName)
    {
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BlockBytes);
        isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || LooksLikeZip(stream);
        if (isXlsx)
        {
            (encoding, EncodingName) = (Encoding.UTF8, "XLSX");
            return;
        }
        (encoding, EncodingName, dataStart, var decodable) = DetectEncoding(stream);
        if (!decodable)
        {
            // Neither strict UTF-8 nor valid GB18030: find the first row that decodes with U+FFFD, to name it.
            var first = CsvRecords(refuseReplacement: false).FirstOrDefault(r => r.Cells.Any(c => c?.Contains('\uFFFD', StringComparison.Ordinal) == true)).Row;
            UndecodableRow = first is 0 ? 1 : first;
            stream.Position = dataStart;
        }
    }

    /// <summary>UTF-8, UTF-8 BOM, GB18030 (covers GBK) or XLSX.</summary>
    public string EncodingName { get; }

    /// <summary>The first row that would be stored with replacement characters (U+FFFD); such a file is refused.</summary>
    public int? UndecodableRow { get; }

    public int ProgressPercent => stream.CanSeek && stream.Length > 0 ? (int)Math.Min(100, stream.Position * 100 / stream.Length) : 0;

    /// <summary>Every record's cells, numbered as a spreadsheet numbers rows (the header is row 1).</summary>
    public IEnumerable<(int Row, string?[] Cells)> Rows() => Records().Select(r => (r.Row, r.Cells));

    /// <summary>Every record, with the cell that was too long to read, if any.</summary>
    public IEnumerable<FileRecord> Records() => isXlsx ? XlsxRecords() : CsvRecords(refuseReplacement: true);

    private IEnumerable<FileRecord> CsvRecords(bool refuseReplacement)
    {
        stream.Position = dataStart;
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: BlockBytes, leaveOpen: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            // A blank line is a row in a spreadsheet too: it comes through as an empty record (skipped and counted).
            IgnoreBlankLines = false,
            // A quote inside an unquoted cell (5" screen) is kept as typed, as spreadsheets do.
            BadDataFound = null,
            MaxFieldSize = MaxFieldChars,
            Delimiter = ",",
        };
        using var parser = new CsvParser(reader, config, leaveOpen: true);
        var row = 0;
        while (true)
        {
            FileRecord record;
            try
            {
                if (!parser.Read())
                {
                    yield break;
                }
                row++;
                var cells = parser.Record ?? [];
                record = new FileRecord(row, cells, RecordTooLong(cells));
            }
            catch (MaxFieldSizeException)
            {
                row++;
                record = TooLongField(parser, row);
            }
            if (refuseReplacement && encoding is not UTF8Encoding && record.Cells.Any(c => c?.Contains('\uFFFD', StringComparison.Ordinal) == true))
            {
                throw new OrderFileException(ImportFailures.Undecodable(row));
            }
            yield return record;
        }
    }

    private static int? RecordTooLong(string[] cells)
    {
        var total = 0;
        var longest = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            total += cells[i].Length;
            longest = cells[i].Length > cells[longest].Length ? i : longest;
        }
        return total > MaxRecordChars ? longest : null;
    }

    /// <summary>
    /// A cell passed <see cref="MaxFieldChars"/>: the cells before it come from the raw text read so far. An unquoted
    /// cell ends at the next delimiter or line break, so the rest of its line is read and dropped and the reader goes
    /// on at the next line. Inside quotes a line break may belong to the cell, so there is no telling where the next
    /// record starts: the file is refused at this row.
    /// </summary>
    private static FileRecord TooLongField(CsvParser parser, int row)
    {
        var raw = parser.RawRecord;
        var cells = SplitRaw(raw, out var inQuotes);
        if (inQuotes)
        {
            throw new OrderFileException(ImportFailures.CellTooLarge(row, cells.Count, MaxFieldChars));
        }
        while (true)
        {
            try
            {
                parser.Read(); // the rest of the long line, dropped
                break;
            }
            catch (MaxFieldSizeException)
            {
                // still inside the long cell
            }
        }
        var clipped = cells[^1] is { Length: > 100 } last ? last[..100] + "…" : cells[^1];
        cells[^1] = clipped;
        return new FileRecord(row, [.. cells], cells.Count - 1);
    }

    /// <summary>The cells of a partly read record (RFC 4180 quoting), the last one unfinished.</summary>
    private static List<string?> SplitRaw(string raw, out bool inQuotes)
    {
        var cells = new List<string?>();
        var cell = new StringBuilder();
        inQuotes = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var ch = raw[i];
            if (inQuotes)
            {
                if (ch == '"' && i + 1 < raw.Length && raw[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"' && cell.Length == 0)
            {
                inQuotes = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }

    private IEnumerable<FileRecord> XlsxRecords()
    {
        var row = 0;
        foreach (IDictionary<string, object?> cells in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            row++;
            yield return new FileRecord(row, cells.Values.Select(CellText).ToArray(), null);
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
    /// Decided over the whole stream, block by block (never the whole file in memory): a UTF-8 BOM decides; otherwise
    /// every byte must be strict UTF-8, else the file is GB18030 (the superset of GBK that Chinese shop exports use).
    /// A first-64-KB guess read a GBK file that starts with 100 KB of ASCII as UTF-8 and stored its Chinese as U+FFFD.
    /// <c>Decodable</c> is false when the bytes are not valid GB18030 either.
    /// </summary>
    internal static (Encoding Encoding, string Name, long Start, bool Decodable) DetectEncoding(Stream s)
    {
        Span<byte> bom = stackalloc byte[3];
        var n = s.ReadAtLeast(bom, 3, throwOnEndOfStream: false);
        s.Position = 0;
        if (n == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)
        {
            return (new UTF8Encoding(false), "UTF-8 BOM", 3, true);
        }
        if (DecodesStrictly(s, new UTF8Encoding(false, throwOnInvalidBytes: true)))
        {
            return (new UTF8Encoding(false), "UTF-8", 0, true);
        }
        var strict = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var decodable = DecodesStrictly(s, strict);
        return (Encoding.GetEncoding("GB18030", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")), "GB18030", 0, decodable);
    }

    private static bool DecodesStrictly(Stream s, Encoding strict)
    {
        var decoder = strict.GetDecoder();
        var bytes = new byte[BlockBytes];
        var chars = new char[strict.GetMaxCharCount(BlockBytes)];
        try
        {
            int read;
            while ((read = s.Read(bytes, 0, bytes.Length)) > 0)
            {
                // flush: false carries a sequence cut at the block's end over to the next block.
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            s.Position = 0;
        }
    }

    public void Dispose() => stream.Dispose();
}
