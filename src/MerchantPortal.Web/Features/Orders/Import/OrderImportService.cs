using System.Globalization;
using System.Text;
using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Orders.Import;

public sealed record ImportErrorDto(int Row, string Column, string? Value, string Reason, string ReasonCode, string? OrderNo);

public sealed record ImportStatusDto(long Id, string FileName, ImportStatus Status, string? Encoding, int TotalRows, int ProcessedRows, int ProgressPercent,
    int ImportedOrders, int ImportedLines, int RejectedRows, int ExistingRows, string? Failure, DateTime CreatedAtUtc, DateTime? FinishedAtUtc,
    IReadOnlyList<ImportErrorDto> Errors, int ErrorCount);

public sealed record PreviewRow(int Row, string? OrderNo, string? Receiver, string? Phone, string? Province, string? City, string? District, string? Item, int? Quantity, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Why an import failed. The import keeps its failure as English text (the API returns it as is); the page words it
/// in the reader's language by telling from the text which of these it is.
/// </summary>
public static class ImportFailures
{
    public const string Empty = "The file is empty.";
    private const string MissingColumnsPrefix = "Missing column(s): ";

    public static string MissingColumns(IEnumerable<string> columns) => MissingColumnsPrefix + string.Join(", ", columns);

    /// <summary>
    /// "Empty"; "MissingColumns" with the columns' names as the file should spell them; else "Stopped": the job's
    /// exception text (an unreadable file, a failed save) is for the log and the API, not for the page.
    /// </summary>
    public static (string Code, IReadOnlyList<string> Columns) Classify(string failure) => failure switch
    {
        Empty => ("Empty", []),
        _ when failure.StartsWith(MissingColumnsPrefix, StringComparison.Ordinal) =>
            ("MissingColumns", failure[MissingColumnsPrefix.Length..].Split(", ", StringSplitOptions.RemoveEmptyEntries)),
        _ => ("Stopped", []),
    };
}

public sealed record ImportPreview(string Encoding, IReadOnlyDictionary<ImportField, string> Columns, IReadOnlyList<string> MissingColumns, IReadOnlyList<PreviewRow> Rows);

/// <summary>
/// Uploads: the file is stored under the data folder first, then the import row, then (on confirmation) the
/// Hangfire job, so a lost job or a restart never loses the upload (the sweeper finds it Queued).
/// </summary>
public sealed class OrderImportService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    OrderRowValidator validator,
    IOptions<DatabaseOptions> database,
    IWebHostEnvironment environment,
    TimeProvider clock) : IWorkSource
{
    public const long MaxFileBytes = 50L * 1024 * 1024;
    public const int MaxErrorsShown = 1000;

    public string Name => "order imports";

    public async Task<long> StoreAsync(Stream content, string fileName, string actor, bool start, CancellationToken ct = default)
    {
        var folder = Path.Combine(database.Value.ResolveDataDirectory(environment.ContentRootPath), "imports");
        Directory.CreateDirectory(folder);
        var extension = Path.GetExtension(fileName).ToLowerInvariant() is ".xlsx" ? ".xlsx" : ".csv";
        var path = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}{extension}");
        long size;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            await content.CopyToAsync(file, ct);
            size = file.Length;
        }
        if (size > MaxFileBytes)
        {
            File.Delete(path);
            throw new InvalidDataException($"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = new OrderImport
        {
            FileName = Path.GetFileName(fileName) is { Length: > 0 and <= 260 } n ? n : "upload" + extension,
            StoredPath = path,
            FileSize = size,
            Status = start ? ImportStatus.Queued : ImportStatus.Uploaded,
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        db.Add(import);
        db.Audit(now, actor, "orders.import.upload", "OrderImport", null, $"{import.FileName} ({size} bytes)");
        await db.SaveChangesAsync(ct);
        if (start)
        {
            Enqueue(import.Id);
        }
        return import.Id;
    }

    /// <summary>Confirms an uploaded (previewed) import. False when it was already started.</summary>
    public async Task<bool> StartAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.Set<OrderImport>().Where(i => i.Id == importId && i.Status == ImportStatus.Uploaded)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Queued), ct);
        if (changed == 1)
        {
            Enqueue(importId);
        }
        return changed == 1;
    }

    private void Enqueue(long importId) => jobs.Enqueue<OrderImportJob>("default", j => j.RunAsync(importId, CancellationToken.None));

    public async Task<ImportPreview?> PreviewAsync(long importId, int rows = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<OrderImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == importId, ct);
        if (import is null)
        {
            return null;
        }
        using var reader = new OrderFileReader(import.StoredPath, import.FileName);
        ImportColumns? columns = null;
        var result = new List<PreviewRow>();
        foreach (var (row, cells) in reader.Rows())
        {
            if (columns is null)
            {
                columns = new ImportColumns(cells);
                if (columns.Missing().Count > 0)
                {
                    break;
                }
                continue;
            }
            var (valid, errors) = validator.Validate(columns, row, cells);
            result.Add(new PreviewRow(row, valid?.OrderNo ?? columns.Get(cells, ImportField.OrderNo), valid?.ReceiverName ?? columns.Get(cells, ImportField.Receiver),
                valid?.Phone ?? columns.Get(cells, ImportField.Mobile), valid?.Province, valid?.City, valid?.District,
                valid?.ItemName ?? columns.Get(cells, ImportField.Item), valid?.Quantity, errors));
            if (result.Count >= rows)
            {
                break;
            }
        }
        columns ??= new ImportColumns([]);
        return new ImportPreview(reader.EncodingName, columns.Names, columns.Missing(), result);
    }

    public async Task<ImportStatusDto?> GetAsync(long importId, int maxErrors = MaxErrorsShown, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var i = await db.Set<OrderImport>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == importId, ct);
        if (i is null)
        {
            return null;
        }
        var errorsQuery = db.Set<OrderImportError>().AsNoTracking().Where(e => e.ImportId == importId);
        var errors = await errorsQuery.OrderBy(e => e.Row).ThenBy(e => e.Id).Take(maxErrors)
            .Select(e => new { e.Row, e.Column, e.Value, e.Reason, e.OrderNo }).ToListAsync(ct);
        var count = await errorsQuery.CountAsync(ct);
        return new ImportStatusDto(i.Id, i.FileName, i.Status, i.Encoding, i.TotalRows, i.ProcessedRows, i.ProgressPercent, i.ImportedOrders, i.ImportedLines,
            i.RejectedRows, i.ExistingRows, i.Failure, i.CreatedAtUtc, i.FinishedAtUtc,
            [.. errors.Select(e => new ImportErrorDto(e.Row, e.Column, e.Value, ImportReasons.Describe(e.Reason), e.Reason, e.OrderNo))], count);
    }

    public async Task<IReadOnlyList<ImportStatusDto>> RecentAsync(int take = 10, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<OrderImport>().AsNoTracking().OrderByDescending(i => i.Id).Take(take).Select(i => i.Id).ToListAsync(ct);
        var list = new List<ImportStatusDto>();
        foreach (var id in ids)
        {
            list.Add((await GetAsync(id, 0, ct))!);
        }
        return list;
    }

    /// <summary>The error report as CSV (UTF-8 with BOM so Excel shows Chinese), every cell formula-neutralized.</summary>
    /// <summary>
    /// The rejected rows as CSV, in the language of the person who downloads it (<paramref name="l"/> follows the
    /// request's culture): the header row and each reason are worded from OrdersResources; column names and values
    /// are the file's own.
    /// </summary>
    public async Task WriteErrorsCsvAsync(long importId, Stream output, IStringLocalizer<OrdersResources> l, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', new[] { "Import.Row", "Import.Column", "Import.Value", "Import.Reason", "Orders.OrderNo" }.Select(k => CsvCell.Escape(l[k].Value))));
        await foreach (var e in db.Set<OrderImportError>().AsNoTracking().Where(e => e.ImportId == importId).OrderBy(e => e.Row).ThenBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteLineAsync(string.Join(',', e.Row.ToString(CultureInfo.InvariantCulture), CsvCell.Escape(e.Column), CsvCell.Escape(e.Value),
                CsvCell.Escape(l["Reason." + e.Reason] is { ResourceNotFound: false } reason ? reason.Value : ImportReasons.Describe(e.Reason)), CsvCell.Escape(e.OrderNo)));
        }
    }

    /// <summary>Imports left Queued (job lost) or Running with an expired lease (process died) are enqueued again.</summary>
    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<OrderImport>().AsNoTracking()
            .Where(i => i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.LeaseUntilUtc < now))
            .Select(i => i.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            Enqueue(id);
        }
        return ids.Count;
    }
}

/// <summary>
/// CSV cells for exports: quoted when needed, and a leading ' before =, +, -, @, tab or CR so a spreadsheet shows
/// the text instead of running it as a formula (OWASP CSV injection).
/// </summary>
public static class CsvCell
{
    public static string Neutralize(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value ?? "";

    public static string Escape(string? value)
    {
        var v = Neutralize(value);
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }
}
