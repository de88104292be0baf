using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace MerchantPortal.Web.Features.Orders;

public sealed record CatalogueInput(
    string Sku, string Name, string? Barcode, decimal WeightKg, decimal? LengthCm = null, decimal? WidthCm = null, decimal? HeightCm = null,
    int? WarehouseId = null, string? Location = null);

public sealed record CatalogueView(
    int Id, string Sku, string Name, string? Barcode, decimal WeightKg, decimal? LengthCm, decimal? WidthCm, decimal? HeightCm,
    int? WarehouseId, string? WarehouseCode, string? Location, DateTime UpdatedAtUtc);

public sealed record CatalogueResults(IReadOnlyList<CatalogueView> Items, int Total);

/// <summary>A row of a catalogue file that was not imported: its row in the file (the header is row 1), the column and why.</summary>
public sealed record CatalogueImportError(int Row, string Column, string Reason);

public sealed record CatalogueImportResult(int Created, int Updated, IReadOnlyList<CatalogueImportError> Errors);

public sealed class CatalogueValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The SKU is not valid: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public FieldProblems Problems => FieldProblems.From(Errors);
}

/// <summary>
/// The SKU catalogue (商品资料): what each SKU weighs and measures, its barcode, default warehouse and shelf location.
/// Edited one by one or imported from a CSV (UTF-8 or GB18030, as orders) or XLSX file, upserting by SKU. Orders
/// without weights take them from here (<see cref="CatalogueWeights"/>).
/// </summary>
public sealed class CatalogueService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IStringLocalizer<OrdersResources> L)
{
    /// <summary>Catalogue files are a merchant's product list: thousands of rows, not millions.</summary>
    public const int MaxImportRows = 50_000;
    public const long MaxFileBytes = 10 * 1024 * 1024;

    static CatalogueService() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>A page of the catalogue by SKU; <paramref name="search"/> is the start of a SKU or barcode, or part of a name.</summary>
    public async Task<CatalogueResults> ListAsync(string? search, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<CatalogueSku>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            query = query.Where(c => c.Sku.StartsWith(s) || c.Barcode == s || c.Name.Contains(s));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(c => c.Sku).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        var warehouses = await WarehouseCodesAsync(db, ct);
        return new CatalogueResults([.. rows.Select(c => View(c, warehouses))], total);
    }

    public async Task<CatalogueView?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<CatalogueSku>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return row is null ? null : View(row, await WarehouseCodesAsync(db, ct));
    }

    public async Task<CatalogueView> SaveAsync(int? id, CatalogueInput input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var warehouses = await WarehouseCodesAsync(db, ct);
        var errors = Validate(input, warehouses.ContainsKey);
        var sku = input.Sku?.Trim() ?? "";
        if (!errors.ContainsKey("sku") && await db.Set<CatalogueSku>().AnyAsync(c => c.Sku == sku && c.Id != (id ?? 0), ct))
        {
            errors["sku"] = [L["Catalogue.Error.SkuTaken"]];
        }
        if (errors.Count > 0)
        {
            throw new CatalogueValidationException(errors);
        }
        var row = id is null ? null : await db.Set<CatalogueSku>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (id is not null && row is null)
        {
            throw new KeyNotFoundException($"SKU {id} does not exist.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        row ??= db.Add(new CatalogueSku { Sku = sku, Name = "" }).Entity;
        Apply(row, input, now);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, id is null ? "Catalogue.Created" : "Catalogue.Updated", nameof(CatalogueSku), row.Sku, $"{row.Name} {row.WeightKg.ToString(CultureInfo.InvariantCulture)} kg");
        await db.SaveChangesAsync(ct);
        return View(row, warehouses);
    }

    public async Task<bool> DeleteAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<CatalogueSku>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
        {
            return false;
        }
        db.Remove(row);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "Catalogue.Deleted", nameof(CatalogueSku), row.Sku, row.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The columns of the import file and of the export (which imports again unchanged).</summary>
    public static readonly string[] Header = ["sku", "name", "barcode", "weightKg", "lengthCm", "widthCm", "heightCm", "warehouse", "location"];

    // Header names merchants' product lists use for each column, compared after trimming and lower-casing; the first
    // is the portal's own (the export's).
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["sku"] = ["sku", "商品编码", "商家编码", "货号", "sku编码", "商品sku", "规格编码"],
        ["name"] = ["name", "商品名称", "名称", "品名", "商品名"],
        ["barcode"] = ["barcode", "条码", "条形码", "商品条码", "ean"],
        ["weightKg"] = ["weightkg", "weight", "重量", "重量(kg)", "重量（kg）", "毛重", "毛重(kg)"],
        ["lengthCm"] = ["lengthcm", "length", "长", "长(cm)", "长（cm）", "长度"],
        ["widthCm"] = ["widthcm", "width", "宽", "宽(cm)", "宽（cm）", "宽度"],
        ["heightCm"] = ["heightcm", "height", "高", "高(cm)", "高（cm）", "高度"],
        ["warehouse"] = ["warehouse", "仓库", "默认仓库", "仓库编码"],
        ["location"] = ["location", "库位", "货位"],
    };

    /// <summary>
    /// Reads a CSV or XLSX catalogue and upserts its valid rows by SKU in one transaction; rows with a problem are
    /// reported (row, column, reason) and skipped. A file without a sku, name or weight column is refused as a whole.
    /// </summary>
    public async Task<CatalogueImportResult> ImportAsync(Stream file, string fileName, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var warehouseCodes = (await WarehouseCodesAsync(db, ct)).ToDictionary(w => w.Value, w => w.Key, StringComparer.OrdinalIgnoreCase);
        var errors = new List<CatalogueImportError>();
        var parsed = new Dictionary<string, (int Row, CatalogueInput Input)>(StringComparer.Ordinal);
        List<Dictionary<string, string?>> rows;
        try
        {
            rows = await ReadAsync(file, fileName, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or CsvHelperException or DecoderFallbackException)
        {
            return new CatalogueImportResult(0, 0, [new CatalogueImportError(0, "", ex is InvalidDataException ? ex.Message : L["Catalogue.Error.Unreadable"])]);
        }
        if (rows.Count > MaxImportRows)
        {
            return new CatalogueImportResult(0, 0, [new CatalogueImportError(0, "", string.Format(CultureInfo.CurrentCulture, L["Catalogue.Error.TooManyRows"], MaxImportRows))]);
        }
        var columns = rows.Count == 0 ? [] : MapColumns(rows[0].Keys);
        var missing = new[] { "sku", "name", "weightKg" }.Where(c => !columns.ContainsKey(c)).ToList();
        if (rows.Count > 0 && missing.Count > 0)
        {
            return new CatalogueImportResult(0, 0, [new CatalogueImportError(1, string.Join(", ", missing),
                string.Format(CultureInfo.CurrentCulture, L["Catalogue.Error.MissingColumns"], string.Join(", ", missing), string.Join(", ", rows[0].Keys)))]);
        }
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var rowErrors = new List<CatalogueImportError>();
            var input = ParseRow(rows[i], i + 2, columns, warehouseCodes, rowErrors);
            if (rowErrors.Count == 0 && parsed.TryGetValue(input.Sku.Trim(), out var earlier))
            {
                rowErrors.Add(new(i + 2, columns["sku"], string.Format(CultureInfo.CurrentCulture, L["Catalogue.Error.DuplicateRow"], earlier.Row)));
            }
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }
            parsed[input.Sku.Trim()] = (i + 2, input);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        int created = 0, updated = 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var chunk in parsed.Values.Chunk(500))
        {
            var skus = chunk.Select(c => c.Input.Sku.Trim()).ToList();
            var existing = await db.Set<CatalogueSku>().Where(c => skus.Contains(c.Sku)).ToDictionaryAsync(c => c.Sku, StringComparer.Ordinal, ct);
            foreach (var (_, input) in chunk)
            {
                if (existing.TryGetValue(input.Sku.Trim(), out var row))
                {
                    updated++;
                }
                else
                {
                    row = db.Add(new CatalogueSku { Sku = input.Sku.Trim(), Name = "" }).Entity;
                    created++;
                }
                Apply(row, input, now, columns.ContainsKey);
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        db.Audit(now, actor, "Catalogue.Imported", nameof(CatalogueSku), null,
            $"{fileName}: {created} created, {updated} updated, {errors.Select(e => e.Row).Distinct().Count()} rows rejected");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CatalogueImportResult(created, updated, errors);
    }

    /// <summary>One row of a catalogue file as an input; what is wrong with it goes to <paramref name="rowErrors"/> (row, column, reason).</summary>
    private CatalogueInput ParseRow(Dictionary<string, string?> cells, int rowNo, Dictionary<string, string> columns, Dictionary<string, int> warehouseCodes,
        List<CatalogueImportError> rowErrors)
    {
        string? Cell(string field) => columns.TryGetValue(field, out var header) ? cells.GetValueOrDefault(header)?.Trim() : null;
        decimal? Number(string field, bool required)
        {
            var text = Cell(field);
            if (string.IsNullOrEmpty(text))
            {
                if (required)
                {
                    rowErrors.Add(new(rowNo, columns[field], L["Catalogue.Error.Weight"]));
                }
                return null;
            }
            if (!decimal.TryParse(text.Replace("kg", "", StringComparison.OrdinalIgnoreCase).Replace("cm", "", StringComparison.OrdinalIgnoreCase).Trim(),
                    NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                rowErrors.Add(new(rowNo, columns[field], string.Format(CultureInfo.CurrentCulture, L["Catalogue.Error.Number"], text)));
                return null;
            }
            return value;
        }
        int? warehouseId = null;
        if (Cell("warehouse") is { Length: > 0 } code)
        {
            if (warehouseCodes.TryGetValue(code, out var wid))
            {
                warehouseId = wid;
            }
            else
            {
                rowErrors.Add(new(rowNo, columns["warehouse"], string.Format(CultureInfo.CurrentCulture, L["Catalogue.Error.WarehouseCode"], code)));
            }
        }
        var weight = Number("weightKg", true);
        var input = new CatalogueInput(Cell("sku") ?? "", Cell("name") ?? "", Cell("barcode"), weight ?? 0,
            Number("lengthCm", false), Number("widthCm", false), Number("heightCm", false), warehouseId, Cell("location"));
        if (rowErrors.Count == 0)
        {
            foreach (var (field, messages) in Validate(input, _ => true))
            {
                rowErrors.AddRange(messages.Select(m => new CatalogueImportError(rowNo, columns.GetValueOrDefault(FieldColumn(field)) ?? field, m)));
            }
        }
        return input;
    }

    /// <summary>The whole catalogue as CSV (UTF-8 with BOM, so Excel opens it), in the import's columns.</summary>
    public async Task WriteCsvAsync(Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var warehouses = await WarehouseCodesAsync(db, ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var h in Header)
        {
            csv.WriteField(h);
        }
        await csv.NextRecordAsync();
        var lastId = 0;
        while (true)
        {
            var page = await db.Set<CatalogueSku>().AsNoTracking().Where(c => c.Id > lastId).OrderBy(c => c.Id).Take(1000).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }
            foreach (var c in page)
            {
                string?[] cells =
                [
                    CsvCell.Neutralize(c.Sku), CsvCell.Neutralize(c.Name), CsvCell.Neutralize(c.Barcode), Invariant(c.WeightKg), Invariant(c.LengthCm), Invariant(c.WidthCm),
                    Invariant(c.HeightCm), c.WarehouseId is { } w ? warehouses.GetValueOrDefault(w) : null, CsvCell.Neutralize(c.Location),
                ];
                foreach (var cell in cells)
                {
                    csv.WriteField(cell ?? "");
                }
                await csv.NextRecordAsync();
            }
            lastId = page[^1].Id;
        }
    }

    private static string? Invariant(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string FieldColumn(string field) => field switch
    {
        "warehouseId" => "warehouse",
        _ => field,
    };

    private Dictionary<string, string[]> Validate(CatalogueInput input, Func<int, bool> warehouseExists)
    {
        var errors = new Dictionary<string, string[]>();
        var sku = input.Sku?.Trim() ?? "";
        if (sku.Length is 0 or > 64)
        {
            errors["sku"] = [L["Catalogue.Error.Sku"]];
        }
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 300)
        {
            errors["name"] = [L["Catalogue.Error.Name"]];
        }
        if (input.Barcode is { } barcode && barcode.Trim().Length > 64)
        {
            errors["barcode"] = [L["Catalogue.Error.Barcode"]];
        }
        if (input.WeightKg is <= 0 or > 10_000)
        {
            errors["weightKg"] = [L["Catalogue.Error.Weight"]];
        }
        foreach (var (field, value) in new[] { ("lengthCm", input.LengthCm), ("widthCm", input.WidthCm), ("heightCm", input.HeightCm) })
        {
            if (value is <= 0 or > 1_000)
            {
                errors[field] = [L["Catalogue.Error.Size"]];
            }
        }
        if (input.WarehouseId is { } warehouseId && !warehouseExists(warehouseId))
        {
            errors["warehouseId"] = [L["Shop.Error.Warehouse"]];
        }
        if (input.Location is { } location && location.Trim().Length > 32)
        {
            errors["location"] = [L["Catalogue.Error.Location"]];
        }
        return errors;
    }

    /// <param name="hasColumn">For an import: whether the file has that column. A file of only sku, name and weight
    /// updates those and leaves the barcode, size, warehouse and location a SKU already has.</param>
    private static void Apply(CatalogueSku row, CatalogueInput input, DateTime now, Func<string, bool>? hasColumn = null)
    {
        bool Set(string column) => hasColumn?.Invoke(column) ?? true;
        row.Sku = input.Sku.Trim();
        row.Name = input.Name.Trim();
        row.WeightKg = input.WeightKg;
        if (Set("barcode"))
        {
            row.Barcode = string.IsNullOrWhiteSpace(input.Barcode) ? null : input.Barcode.Trim();
        }
        if (Set("lengthCm"))
        {
            row.LengthCm = input.LengthCm;
        }
        if (Set("widthCm"))
        {
            row.WidthCm = input.WidthCm;
        }
        if (Set("heightCm"))
        {
            row.HeightCm = input.HeightCm;
        }
        if (Set("warehouse"))
        {
            row.WarehouseId = input.WarehouseId;
        }
        if (Set("location"))
        {
            row.Location = string.IsNullOrWhiteSpace(input.Location) ? null : input.Location.Trim();
        }
        row.UpdatedAtUtc = now;
    }

    private static Dictionary<string, string> MapColumns(IEnumerable<string> headers)
    {
        var map = new Dictionary<string, string>();
        foreach (var header in headers)
        {
            var key = header.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
            foreach (var (field, names) in Aliases)
            {
                if (!map.ContainsKey(field) && names.Contains(key))
                {
                    map[field] = header;
                }
            }
        }
        return map;
    }

    /// <summary>
    /// The file's rows as header → cell. CSV is decoded as strict UTF-8 when every byte sequence is valid UTF-8 (the
    /// whole file is checked, not a sample), else as GB18030 (what Excel and WPS save in a Chinese locale), and parsed
    /// by CsvHelper; XLSX by MiniExcel with the first row as the header.
    /// </summary>
    private static async Task<List<Dictionary<string, string?>>> ReadAsync(Stream file, string fileName, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await CopyCappedAsync(file, buffer, ct);
        buffer.Position = 0;
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var rows = new List<Dictionary<string, string?>>();
            foreach (IDictionary<string, object?> row in await MiniExcel.QueryAsync(buffer, useHeaderRow: true, excelType: ExcelType.XLSX, cancellationToken: ct))
            {
                rows.Add(row.ToDictionary(c => c.Key, c => c.Value is null ? null : Convert.ToString(c.Value, CultureInfo.InvariantCulture)));
            }
            return rows;
        }
        var bytes = buffer.ToArray();
        Encoding encoding;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
            encoding = new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            encoding = Encoding.GetEncoding("GB18030");
        }
        using var reader = new StreamReader(new MemoryStream(bytes), encoding, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            BadDataFound = null,
            MissingFieldFound = null,
            // A cell of a product list is short; a cap stops a broken quote swallowing the rest of the file into one field.
            MaxFieldSize = 4096,
        });
        var result = new List<Dictionary<string, string?>>();
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            return result;
        }
        while (await csv.ReadAsync())
        {
            var row = new Dictionary<string, string?>(header.Length);
            for (var i = 0; i < header.Length; i++)
            {
                row.TryAdd(header[i], csv.TryGetField<string>(i, out var value) ? value : null);
            }
            result.Add(row);
        }
        return result;
    }

    private static async Task CopyCappedAsync(Stream source, Stream target, CancellationToken ct)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            total += read;
            if (total > MaxFileBytes)
            {
                throw new InvalidDataException($"The file is larger than {MaxFileBytes / 1024 / 1024} MB.");
            }
            await target.WriteAsync(chunk.AsMemory(0, read), ct);
        }
    }

    private static async Task<Dictionary<int, string>> WarehouseCodesAsync(PortalDbContext db, CancellationToken ct) =>
        await db.Set<Warehouse>().AsNoTracking().ToDictionaryAsync(w => w.Id, w => w.Code, ct);

    private static CatalogueView View(CatalogueSku c, IReadOnlyDictionary<int, string> warehouses) => new(
        c.Id, c.Sku, c.Name, c.Barcode, c.WeightKg, c.LengthCm, c.WidthCm, c.HeightCm, c.WarehouseId,
        c.WarehouseId is { } w ? warehouses.GetValueOrDefault(w) : null, c.Location, DateTime.SpecifyKind(c.UpdatedAtUtc, DateTimeKind.Utc));
}
