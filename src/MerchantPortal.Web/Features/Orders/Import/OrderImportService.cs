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
    IReadOnlyList<ImportErrorDto> Errors, int ErrorCount, int EmptyRows = 0, string? TemplateName = null, string? ShopCode = null,
    int MaskedOrders = 0, IReadOnlyList<string>? MaskedOrderNos = null);

public sealed record PreviewRow(int Row, string? OrderNo, string? Receiver, string? Phone, string? Province, string? City, string? District, string? Item, int? Quantity, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Why an import failed. The import keeps its failure as English text (the API returns it as is); the page words it
/// in the reader's language by telling from the text which of these it is.
/// </summary>
public static class ImportFailures
{
    public const string Empty = "The file is empty.";
    private const string MissingColumnsPrefix = "Missing column(s): ";
    private const string HeadersPrefix = ". The file's headers: ";
    private const string UndecodablePrefix = "Row ";
    private const string UndecodableSuffix = " cannot be decoded: the file is neither UTF-8 nor GB18030/GBK (it would be stored with replacement characters U+FFFD). Save it as UTF-8 and upload it again.";
    private const string CellTooLargeMiddle = ": a quoted cell in column ";

    /// <summary>Required fields the mapping leaves out, and the headers the file has (so the reader sees what to map).</summary>
    public static string MissingColumns(IEnumerable<string> columns, IEnumerable<string>? headers = null) =>
        MissingColumnsPrefix + string.Join(", ", columns) + (headers is null ? "" : HeadersPrefix + string.Join(" | ", headers));

    public static string Undecodable(int row) => UndecodablePrefix + row.ToString(CultureInfo.InvariantCulture) + UndecodableSuffix;

    public static string CellTooLarge(int row, int column, int maxChars) =>
        $"Row {row}{CellTooLargeMiddle}{column} is longer than {maxChars / 1024} K characters; where the next row starts cannot be told, so the rest of the file was not read.";

    /// <summary>
    /// "Empty"; "MissingColumns" with the columns' names as the file should spell them; else "Stopped": the job's
    /// exception text (an unreadable file, a failed save) is for the log and the API, not for the page.
    /// </summary>
    public static (string Code, IReadOnlyList<string> Columns) Classify(string failure) => Describe(failure) is var d ? (d.Code, d.Columns) : default;

    /// <summary>
    /// As <see cref="Classify"/>, with the file's headers (MissingColumns) or the row (Undecodable, CellTooLarge).
    /// </summary>
    public static (string Code, IReadOnlyList<string> Columns, IReadOnlyList<string> Headers, int? Row) Describe(string failure)
    {
        if (failure == Empty)
        {
            return ("Empty", [], [], null);
        }
        if (failure.StartsWith(MissingColumnsPrefix, StringComparison.Ordinal))
        {
            var rest = failure[MissingColumnsPrefix.Length..];
            var cut = rest.IndexOf(HeadersPrefix, StringComparison.Ordinal);
            var columns = (cut < 0 ? rest : rest[..cut]).Split(", ", StringSplitOptions.RemoveEmptyEntries);
            var headers = cut < 0 ? [] : rest[(cut + HeadersPrefix.Length)..].Split(" | ");
            return ("MissingColumns", columns, headers, null);
        }
        if (failure.StartsWith(UndecodablePrefix, StringComparison.Ordinal) && int.TryParse(failure[UndecodablePrefix.Length..].Split(' ', ':')[0], CultureInfo.InvariantCulture, out var row))
        {
            return (failure.Contains(CellTooLargeMiddle, StringComparison.Ordinal) ? "CellTooLarge" : "Undecodable", [], [], row);
        }
        return ("Stopped", [], [], null);
    }
}

public sealed record ImportPreview(string Encoding, IReadOnlyDictionary<ImportField, string> Columns, IReadOnlyList<string> MissingColumns, IReadOnlyList<PreviewRow> Rows,
    IReadOnlyList<string>? Headers = null, int? UndecodableRow = null, int EmptyRows = 0);

/// <summary>The mapping step of an uploaded file: each header with samples and its field, the template used, what is missing.</summary>
public sealed record ImportMappingDto(long ImportId, IReadOnlyList<MappedColumn> Columns, string? TemplateName, IReadOnlyList<string> MissingFields, IReadOnlyList<string> Headers);

/// <summary>A template as listed: built-ins are read-only.</summary>
public sealed record ImportTemplateDto(string Name, OrderChannel? Platform, IReadOnlyDictionary<ImportField, string> Mapping, bool BuiltIn, string? HeaderSignature, DateTime? UpdatedAtUtc);

/// <summary>Where the import's orders go and how its columns are read (upload on the page or the API).</summary>
/// <param name="Mapping">Field name → header, as the API sends it; a field with an empty header is not imported.</param>
public sealed record ImportOptions(int? ShopId = null, string? TemplateName = null, IReadOnlyDictionary<string, string?>? Mapping = null);

/// <summary>A template name, mapping or shop the import cannot use: field → messages, for a 400.</summary>
public sealed class ImportRequestException(IReadOnlyDictionary<string, string[]> errors) : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

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

    public async Task<long> StoreAsync(Stream content, string fileName, string actor, bool start, CancellationToken ct = default) =>
        await StoreAsync(content, fileName, actor, start, null, ct);

    /// <summary>
    /// Stores the file, then decides its mapping: the explicit one, else the named template, else a built-in template
    /// whose headers the file has, else a saved template with the same header signature, else none (headers guessed).
    /// A template name or mapping the file cannot use is an <see cref="ImportRequestException"/> and nothing is kept.
    /// </summary>
    public async Task<long> StoreAsync(Stream content, string fileName, string actor, bool start, ImportOptions? options, CancellationToken ct = default)
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
        (IReadOnlyDictionary<ImportField, string> Fields, string? Template)? mapping;
        try
        {
            mapping = await ChooseMappingAsync(Head(path, fileName, 0).Headers, options, ct);
        }
        catch (ImportRequestException)
        {
            File.Delete(path);
            throw;
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
            ShopId = options?.ShopId,
            MappingJson = mapping is { } m ? ImportMappings.ToJson(m.Fields) : null,
            TemplateName = mapping?.Template,
        };
        db.Add(import);
        db.Audit(now, actor, "orders.import.upload", "OrderImport", null, $"{import.FileName} ({size} bytes){(import.TemplateName is null ? "" : ", template " + import.TemplateName)}");
        await db.SaveChangesAsync(ct);
        if (start)
        {
            Enqueue(import.Id);
        }
        return import.Id;
    }

    private async Task<(IReadOnlyDictionary<ImportField, string> Fields, string? Template)?> ChooseMappingAsync(string[] headers, ImportOptions? options, CancellationToken ct)
    {
        if (options?.Mapping is { } raw)
        {
            var (fields, problems) = ImportMappings.Parse(raw, headers);
            if (problems.Count > 0)
            {
                throw new ImportRequestException(new Dictionary<string, string[]> { ["mapping"] = [.. problems] });
            }
            return (fields, null);
        }
        if (options?.TemplateName is { } name)
        {
            return await TemplateAsync(name, ct) is { } t
                ? (t.Mapping, t.Name)
                : throw new ImportRequestException(new Dictionary<string, string[]>
                {
                    ["template"] = [$"No import template is named '{name}'; GET /api/v1/import-templates lists them."],
                });
        }
        return await AutoTemplateAsync(headers, ct) is { } auto ? (auto.Mapping, auto.Name) : null;
    }

    /// <summary>A built-in whose headers the file has, else the latest saved template with the same header signature.</summary>
    public async Task<ImportTemplateDto?> AutoTemplateAsync(IReadOnlyList<string> headers, CancellationToken ct = default)
    {
        if (headers.Count == 0)
        {
            return null;
        }
        if (BuiltInImportTemplates.For(headers) is { } builtIn)
        {
            return new ImportTemplateDto(builtIn.Name, builtIn.Platform, builtIn.Fields, true, null, null);
        }
        var signature = ImportMappings.Signature(headers);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.Set<ImportTemplate>().AsNoTracking().Where(t => t.HeaderSignature == signature).OrderByDescending(t => t.Id).FirstOrDefaultAsync(ct);
        return saved is null ? null : ToDto(saved);
    }

    public async Task<ImportTemplateDto?> TemplateAsync(string name, CancellationToken ct = default)
    {
        if (BuiltInImportTemplates.Named(name) is { } builtIn)
        {
            return new ImportTemplateDto(builtIn.Name, builtIn.Platform, builtIn.Fields, true, null, null);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<ImportTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, ct) is { } saved ? ToDto(saved) : null;
    }

    public async Task<IReadOnlyList<ImportTemplateDto>> TemplatesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.Set<ImportTemplate>().AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return [.. BuiltInImportTemplates.All.Select(b => new ImportTemplateDto(b.Name, b.Platform, b.Fields, true, null, null)), .. saved.Select(ToDto)];
    }

    private static ImportTemplateDto ToDto(ImportTemplate t) => new(t.Name, t.Platform, ImportMappings.FromJson(t.MappingJson), false, t.HeaderSignature, t.UpdatedAtUtc);

    public const int MaxTemplateName = 100;

    /// <summary>
    /// Saves (or replaces) a named template for files with <paramref name="headers"/>; problems by field when the name is
    /// a built-in's, empty or too long, or the mapping names something that is not a field or not one of the headers.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string[]>> SaveTemplateAsync(string? name, OrderChannel? platform, IReadOnlyList<string> headers,
        IReadOnlyDictionary<string, string?> mapping, string actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxTemplateName)
        {
            errors["name"] = [$"A template needs a name of 1 to {MaxTemplateName} characters."];
        }
        else if (BuiltInImportTemplates.Named(name) is not null)
        {
            errors["name"] = [$"'{name}' is a built-in template and cannot be replaced; choose another name."];
        }
        if (headers.Count == 0 || headers.Count > 500 || headers.Any(h => h is null || h.Length > 200))
        {
            errors["headers"] = ["The file's header row is required (1 to 500 headers of up to 200 characters)."];
        }
        var (fields, problems) = ImportMappings.Parse(mapping, headers);
        if (problems.Count > 0)
        {
            errors["mapping"] = [.. problems];
        }
        else if (fields.Count == 0)
        {
            errors["mapping"] = ["The mapping names no field."];
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.Set<ImportTemplate>().SingleOrDefaultAsync(t => t.Name == name, ct);
        if (template is null)
        {
            template = new ImportTemplate { Name = name!, HeaderSignature = "", MappingJson = "", CreatedBy = actor, CreatedAtUtc = now };
            db.Add(template);
        }
        template.HeaderSignature = ImportMappings.Signature(headers);
        template.MappingJson = ImportMappings.ToJson(fields);
        template.Platform = platform;
        template.UpdatedAtUtc = now;
        db.Audit(now, actor, "orders.import.template.save", "ImportTemplate", name, ImportMappings.ToJson(fields));
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>False when no saved template has the name (built-ins are not deleted).</summary>
    public async Task<bool> DeleteTemplateAsync(string name, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.Set<ImportTemplate>().SingleOrDefaultAsync(t => t.Name == name, ct);
        if (template is null)
        {
            return false;
        }
        db.Remove(template);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "orders.import.template.delete", "ImportTemplate", name, null);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Sets the shop of an import not started yet (the page's shop select may change after the upload).</summary>
    public async Task SetShopAsync(long importId, int? shopId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<OrderImport>().Where(i => i.Id == importId && i.Status == ImportStatus.Uploaded)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ShopId, shopId), ct);
    }

    /// <summary>The shop of an active shop code, or null.</summary>
    public async Task<int?> ShopIdAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Shop>().AsNoTracking().Where(s => s.Code == code && s.Active).Select(s => (int?)s.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<(int Id, string Code, string Name)>> ActiveShopsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. (await db.Set<Shop>().AsNoTracking().Where(s => s.Active).OrderBy(s => s.Name).Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(ct)).Select(s => (s.Id, s.Code, s.Name))];
    }

    /// <summary>The header row and up to <paramref name="samples"/> non-empty data rows; empty when the file cannot be read.</summary>
    private static (string[] Headers, List<string?[]> Rows) Head(string path, string fileName, int samples)
    {
        try
        {
            using var reader = new OrderFileReader(path, fileName);
            if (reader.UndecodableRow is not null)
            {
                return ([], []);
            }
            string[]? headers = null;
            var rows = new List<string?[]>();
            foreach (var r in reader.Records())
            {
                if (headers is null)
                {
                    headers = [.. r.Cells.Select(c => c?.Trim().TrimStart('\uFEFF') ?? "")];
                    continue;
                }
                if (rows.Count >= samples)
                {
                    break;
                }
                if (!r.IsEmpty)
                {
                    rows.Add(r.Cells);
                }
            }
            return (headers ?? [], rows);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or OrderFileException or InvalidOperationException)
        {
            return ([], []); // the job reports it (Stopped / Undecodable)
        }
    }

    /// <summary>The mapping step: each header with up to 3 samples and its field (saved, template or guessed) and confidence.</summary>
    public async Task<ImportMappingDto?> GetMappingAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<OrderImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == importId, ct);
        if (import is null)
        {
            return null;
        }
        var (headers, rows) = Head(import.StoredPath, import.FileName, 3);
        var columns = ColumnsOf(import, headers);
        var columnList = new List<MappedColumn>();
        for (var i = 0; i < headers.Length; i++)
        {
            var field = columns.Names.Where(kv => kv.Value == headers[i] && columns.IndexOf(kv.Key) == i).Select(kv => (ImportField?)kv.Key).FirstOrDefault();
            // A field the guess would also have given keeps the guess's confidence; "Manual" marks the user's changes.
            var guess = HeaderGuesser.Guess(headers[i]);
            MatchConfidence? confidence = field is null ? null
                : import.TemplateName is not null ? MatchConfidence.Template
                : guess is { } g && g.Field == field ? g.Confidence
                : MatchConfidence.Manual;
            var samples = rows.Select(r => i < r.Length ? r[i]?.Trim() : null).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!.Length > 60 ? v[..60] + "…" : v).ToList();
            columnList.Add(new MappedColumn(headers[i], samples, field, confidence));
        }
        return new ImportMappingDto(importId, columnList, import.TemplateName, headers.Length == 0 ? [] : columns.Missing(), headers);
    }

    /// <summary>
    /// Sets the mapping of an import not started yet (a template's, when <paramref name="templateName"/> names one).
    /// Null when there is no such import; problems by field otherwise (empty = saved); "status" when already started.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string[]>?> SetMappingAsync(long importId, IReadOnlyDictionary<string, string?>? mapping, string? templateName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<OrderImport>().SingleOrDefaultAsync(i => i.Id == importId, ct);
        if (import is null)
        {
            return null;
        }
        if (import.Status != ImportStatus.Uploaded)
        {
            return new Dictionary<string, string[]> { ["status"] = [$"The import is {import.Status}; a mapping can only be changed before it starts (upload with start=false)."] };
        }
        var headers = Head(import.StoredPath, import.FileName, 0).Headers;
        try
        {
            var chosen = await ChooseMappingAsync(headers, new ImportOptions(null, templateName, mapping ?? (templateName is null ? new Dictionary<string, string?>() : null)), ct);
            import.MappingJson = chosen is { } c ? ImportMappings.ToJson(c.Fields) : null;
            import.TemplateName = chosen?.Template;
        }
        catch (ImportRequestException ex)
        {
            return ex.Errors;
        }
        await db.SaveChangesAsync(ct);
        return new Dictionary<string, string[]>();
    }

    private static ImportColumns ColumnsOf(OrderImport import, string?[] headers) =>
        import.MappingJson is { } json
            ? new ImportColumns(headers, ImportMappings.FromJson(json), import.TemplateName is { } t ? BuiltInImportTemplates.Named(t)?.Platform : null)
            : new ImportColumns(headers);

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

    /// <summary>The first rows as they will be imported (the validator's result under the import's mapping).</summary>
    public async Task<ImportPreview?> PreviewAsync(long importId, int rows = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<OrderImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == importId, ct);
        if (import is null)
        {
            return null;
        }
        using var reader = new OrderFileReader(import.StoredPath, import.FileName);
        if (reader.UndecodableRow is { } bad)
        {
            return new ImportPreview(reader.EncodingName, new Dictionary<ImportField, string>(), [], [], [], bad);
        }
        ImportColumns? columns = null;
        var result = new List<PreviewRow>();
        var empty = 0;
        foreach (var record in reader.Records())
        {
            var (row, cells) = (record.Row, record.Cells);
            if (columns is null)
            {
                columns = ColumnsOf(import, cells);
                if (columns.Missing().Count > 0)
                {
                    break;
                }
                continue;
            }
            if (record.IsEmpty)
            {
                empty++;
                continue;
            }
            var (valid, errors) = record.TooLong is { } too
                ? (null, [new ImportError(row, too < columns.Headers.Length ? columns.Headers[too] : $"#{too + 1}", cells[too], ImportReasons.TooLong, null)])
                : validator.Validate(columns, row, cells);
            result.Add(new PreviewRow(row, valid?.OrderNo ?? columns.Get(cells, ImportField.OrderNo), valid?.ReceiverName ?? columns.Get(cells, ImportField.Receiver),
                valid?.Phone ?? columns.Get(cells, ImportField.Mobile), valid?.Province, valid?.City, valid?.District,
                valid?.ItemName ?? columns.Get(cells, ImportField.Item), valid?.Quantity, errors));
            if (result.Count >= rows)
            {
                break;
            }
        }
        columns ??= new ImportColumns([]);
        return new ImportPreview(reader.EncodingName, columns.Names, columns.Missing(), result, columns.Headers, null, empty);
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
            [.. errors.Select(e => new ImportErrorDto(e.Row, e.Column, e.Value, ImportReasons.Describe(e.Reason), e.Reason, e.OrderNo))], count,
            i.EmptyRows, i.TemplateName, i.ShopId is { } shopId ? await db.Set<Shop>().Where(s => s.Id == shopId).Select(s => s.Code).FirstOrDefaultAsync(ct) : null,
            i.MaskedOrders, i.MaskedOrders == 0 ? [] : await db.Set<Order>().AsNoTracking().Where(o => o.ImportId == importId && o.ReceiverMasked)
                .OrderBy(o => o.Id).Select(o => o.OrderNo).Take(MaxErrorsShown).ToListAsync(ct));
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
