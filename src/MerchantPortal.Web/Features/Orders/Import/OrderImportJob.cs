using System.Data.Common;
using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>
/// Imports one stored file in chunks of <see cref="ChunkRows"/> rows; each chunk (its orders, lines, history,
/// errors and the import's counters) commits in one transaction. Safe to lose: the sweeper re-enqueues it and it
/// resumes after <see cref="OrderImport.ProcessedRows"/>. Safe to run twice: a lease claimed with a conditional
/// UPDATE lets only one run work on an import at a time.
/// </summary>
public sealed class OrderImportJob(IDbContextFactory<PortalDbContext> dbFactory, OrderRowValidator validator, TimeProvider clock, ILogger<OrderImportJob> logger)
{
    public const int ChunkRows = 1000;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private sealed class OpenOrder(long id, ImportRow first)
    {
        public long Id { get; } = id;
        public ImportRow First { get; } = first;
        public int Lines { get; set; }
        public decimal Amount { get; set; }
        public decimal Weight { get; set; }
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long importId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        OrderImport import;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var claimed = await db.Set<OrderImport>()
                .Where(i => i.Id == importId && (i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.LeaseUntilUtc < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Running)
                    .SetProperty(i => i.LeaseUntilUtc, now + Lease)
                    .SetProperty(i => i.StartedAtUtc, i => i.StartedAtUtc ?? now), ct);
            if (claimed == 0)
            {
                return; // finished, or another run holds the lease
            }
            import = await db.Set<OrderImport>().AsNoTracking().SingleAsync(i => i.Id == importId, ct);
        }
        try
        {
            await ImportAsync(import, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Order import {ImportId} failed", importId);
            await FinishAsync(importId, ImportStatus.Failed, ex.Message, CancellationToken.None);
        }
    }

    /// <summary>
    /// A file that would decode with U+FFFD is refused before any row is stored. When the reader cannot go on (it
    /// names the row), the rows before it are kept, as the failure says.
    /// </summary>
    private async Task ImportAsync(OrderImport import, CancellationToken ct)
    {
        var open = await OpenOrdersAsync(import.Id, ct);
        using var reader = new OrderFileReader(import.StoredPath, import.FileName);
        if (reader.UndecodableRow is { } badRow)
        {
            await SetEncodingAsync(import.Id, reader.EncodingName, ct);
            await FinishAsync(import.Id, ImportStatus.Failed, ImportFailures.Undecodable(badRow), ct);
            return;
        }
        var platform = await PlatformOfAsync(import.TemplateName, ct);
        ImportColumns? columns = null;
        var chunk = new List<(ImportRow? Row, List<ImportError> Errors)>(ChunkRows);
        var lastRow = 1;
        var emptyRows = 0;
        using var records = reader.Records().GetEnumerator();
        while (true)
        {
            FileRecord record;
            try
            {
                if (!records.MoveNext())
                {
                    break;
                }
                record = records.Current;
            }
            catch (OrderFileException ex)
            {
                if (columns is not null)
                {
                    await CommitChunkAsync(import, chunk, open, columns, lastRow - 1, emptyRows, reader.ProgressPercent, ct);
                }
                await FinishAsync(import.Id, ImportStatus.Failed, ex.Message, ct);
                return;
            }
            var (row, cells) = (record.Row, record.Cells);
            if (columns is null)
            {
                // The mapping chosen on the page, by the API or a template when there is one; else the headers guessed.
                columns = import.MappingJson is { } json ? new ImportColumns(cells, ImportMappings.FromJson(json), platform) : new ImportColumns(cells);
                if (columns.Missing() is { Count: > 0 } missing)
                {
                    await FinishAsync(import.Id, ImportStatus.Failed, ImportFailures.MissingColumns(missing, columns.Headers), ct);
                    return;
                }
                await SetEncodingAsync(import.Id, reader.EncodingName, ct);
                continue;
            }
            lastRow = row;
            if (row - 1 <= import.ProcessedRows)
            {
                continue; // committed by an earlier run
            }
            if (record.IsEmpty)
            {
                emptyRows++;
            }
            else
            {
                chunk.Add(record.TooLong is { } column ? TooLong(columns, record, column) : validator.Validate(columns, row, cells));
            }
            if (chunk.Count == ChunkRows)
            {
                await CommitChunkAsync(import, chunk, open, columns, row - 1, emptyRows, reader.ProgressPercent, ct);
                chunk.Clear();
                emptyRows = 0;
            }
        }
        if (columns is null)
        {
            await FinishAsync(import.Id, ImportStatus.Failed, ImportFailures.Empty, ct);
            return;
        }
        await CommitChunkAsync(import, chunk, open, columns, lastRow - 1, emptyRows, 100, ct);
        await FinishAsync(import.Id, ImportStatus.Completed, null, ct);
    }

    /// <summary>Orders this import created before a crash: later rows of the same order still append to them.</summary>
    private async Task<Dictionary<string, OpenOrder>> OpenOrdersAsync(long importId, CancellationToken ct)
    {
        var open = new Dictionary<string, OpenOrder>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var mine = await db.Set<Order>().AsNoTracking().Where(o => o.ImportId == importId)
                .Select(o => new { o.Id, o.OrderNo, o.Channel, o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail, o.Postcode, o.PaidAtUtc, o.LineCount, o.TotalAmount, o.TotalWeightKg })
                .ToListAsync(ct);
            foreach (var o in mine)
            {
                var first = new ImportRow(0, o.OrderNo, o.Channel, null, o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail, o.Postcode, null, "", 0, 0, 0, o.PaidAtUtc, null);
                open[o.OrderNo] = new OpenOrder(o.Id, first) { Lines = o.LineCount, Amount = o.TotalAmount, Weight = o.TotalWeightKg };
            }
        }
        return open;
    }

    /// <summary>A row with a cell over the reader's limit: refused on that cell's column, its value clipped.</summary>
    private static (ImportRow? Row, List<ImportError> Errors) TooLong(ImportColumns columns, FileRecord record, int column)
    {
        var name = column < columns.Headers.Length && columns.Headers[column].Length > 0 ? columns.Headers[column] : $"#{column + 1}";
        var orderNo = columns.Get(record.Cells[..column], ImportField.OrderNo);
        return (null, [new ImportError(record.Row, name, record.Cells[column], ImportReasons.TooLong, orderNo is { Length: <= 64 } ? orderNo : null)]);
    }

    /// <summary>The platform of the import's template (built-in or saved): the channel of rows that name none.</summary>
    private async Task<OrderChannel?> PlatformOfAsync(string? templateName, CancellationToken ct)
    {
        if (templateName is null)
        {
            return null;
        }
        if (BuiltInImportTemplates.Named(templateName) is { } builtIn)
        {
            return builtIn.Platform;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<ImportTemplate>().AsNoTracking().Where(t => t.Name == templateName).Select(t => t.Platform).FirstOrDefaultAsync(ct);
    }

    private async Task CommitChunkAsync(OrderImport import, List<(ImportRow? Row, List<ImportError> Errors)> chunk, Dictionary<string, OpenOrder> open,
        ImportColumns columns, int processedRows, int emptyRows, int percent, CancellationToken ct)
    {
        var importId = import.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var candidates = chunk.Where(c => c.Row is not null && !open.ContainsKey(c.Row.OrderNo)).Select(c => c.Row!.OrderNo).Distinct().ToList();
        var existing = candidates.Count == 0 ? [] : (await db.Set<Order>().AsNoTracking().Where(o => candidates.Contains(o.OrderNo)).Select(o => o.OrderNo).ToListAsync(ct)).ToHashSet();

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var writer = new OrderBulkWriter(connection, tx, db.Database);
        await using var insertError = OrderBulkWriter.Prepare(connection, tx,
            RawSql.Insert("OrderImportErrors", ["ImportId", "Row", "Column", "Value", "Reason", "OrderNo"]),
            "ImportId", "Row", "Column", "Value", "Reason", "OrderNo");
        int orders = 0, lines = 0, rejected = 0, existingRows = 0, masked = 0;
        var touched = new HashSet<OpenOrder>();

        async Task Reject(ImportError e)
        {
            OrderBulkWriter.Set(insertError, importId, e.Row, e.Column, e.Value, e.Reason, e.OrderNo);
            await insertError.ExecuteNonQueryAsync(ct);
        }

        foreach (var (row, errors) in chunk)
        {
            if (row is null)
            {
                rejected++;
                foreach (var e in errors)
                {
                    await Reject(e);
                }
                continue;
            }
            if (existing.Contains(row.OrderNo))
            {
                rejected++;
                existingRows++;
                await Reject(new ImportError(row.Row, columns.NameOf(ImportField.OrderNo), row.OrderNo, ImportReasons.OrderExists, row.OrderNo));
                continue;
            }
            if (open.TryGetValue(row.OrderNo, out var order))
            {
                if (row.FirstHeaderDifference(order.First) is { } field)
                {
                    rejected++;
                    await Reject(new ImportError(row.Row, columns.NameOf(field), ValueOf(row, field), ImportReasons.OrderMismatch, row.OrderNo));
                    continue;
                }
            }
            else
            {
                var id = await writer.InsertOrderAsync(NewOrderOf(row, importId, import.ShopId, now), ct);
                order = new OpenOrder(id, row);
                open[row.OrderNo] = order;
                orders++;
                masked += row.ReceiverMasked ? 1 : 0;
                await writer.InsertHistoryAsync(id, now, "import", "Imported", null, OrderStatus.PendingReview, $"import #{importId}, row {row.Row}", ct);
            }
            order.Lines++;
            order.Amount += row.Quantity * row.UnitPrice;
            order.Weight += row.WeightKg;
            touched.Add(order);
            lines++;
            await writer.InsertLineAsync(order.Id, new OrderLine { LineNo = order.Lines, Sku = row.Sku, Name = row.ItemName, Quantity = row.Quantity, UnitPrice = row.UnitPrice, WeightKg = row.WeightKg }, ct);
        }
        foreach (var order in touched)
        {
            await writer.UpdateTotalsAsync(order.Id, order.Amount, order.Weight, order.Lines, now, ct);
        }
        await WriteProgressAsync(connection, tx, importId, processedRows, (orders, lines, rejected, existingRows, emptyRows, masked), percent, now, ct);
        await CatalogueWeights.FillAsync(connection, tx, [.. touched.Select(o => o.Id)], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A new order from its first valid row: PendingReview, tied to the import; totals follow with its lines.</summary>
    private static Order NewOrderOf(ImportRow row, long importId, int? shopId, DateTime now) => new Order
    {
        OrderNo = row.OrderNo,
        Channel = row.Channel,
        Status = OrderStatus.PendingReview,
        BuyerName = row.BuyerName,
        ReceiverName = row.ReceiverName,
        ReceiverPhone = row.Phone,
        PhoneLast4 = OrderBulkWriter.Last4(row.Phone),
        Province = row.Province,
        City = row.City,
        District = row.District,
        AddressDetail = row.Detail,
        Postcode = row.Postcode,
        CustomerEmail = row.Email,
        PaidAtUtc = row.PaidAtUtc,
        CreatedAtUtc = now,
        UpdatedAtUtc = now,
        Remark = row.Remark,
        ImportId = importId,
        ShopId = shopId,
        ReceiverMasked = row.ReceiverMasked,
    };

    private static async Task WriteProgressAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long importId, int processedRows,
        (int Orders, int Lines, int Rejected, int Existing, int Empty, int Masked) counts, int percent, DateTime now, CancellationToken ct)
    {
        await using (var progress = OrderBulkWriter.Prepare(connection, tx,
            "UPDATE \"OrderImports\" SET \"ProcessedRows\" = @Processed, \"TotalRows\" = @Processed, \"ImportedOrders\" = \"ImportedOrders\" + @Orders, \"ImportedLines\" = \"ImportedLines\" + @Lines, "
            + "\"RejectedRows\" = \"RejectedRows\" + @Rejected, \"ExistingRows\" = \"ExistingRows\" + @Existing, \"EmptyRows\" = \"EmptyRows\" + @Empty, \"MaskedOrders\" = \"MaskedOrders\" + @Masked, \"ProgressPercent\" = @Percent, \"LeaseUntilUtc\" = @Lease WHERE \"Id\" = @Id",
            "Processed", "Orders", "Lines", "Rejected", "Existing", "Empty", "Masked", "Percent", "Lease", "Id"))
        {
            OrderBulkWriter.Set(progress, processedRows, counts.Orders, counts.Lines, counts.Rejected, counts.Existing, counts.Empty, counts.Masked, percent, now + Lease, importId);
            await progress.ExecuteNonQueryAsync(ct);
        }
    }

    private static string? ValueOf(ImportRow row, ImportField field) => field switch
    {
        ImportField.Channel => row.Channel.ToString(),
        ImportField.Receiver => row.ReceiverName,
        ImportField.Mobile => row.Phone,
        ImportField.Province => row.Province,
        ImportField.City => row.City,
        ImportField.District => row.District,
        ImportField.Address => row.Detail,
        ImportField.Postcode => row.Postcode,
        ImportField.PaidAt => row.PaidAtUtc?.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
        ImportField.Email => row.Email,
        _ => null,
    };

    private async Task SetEncodingAsync(long importId, string encoding, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<OrderImport>().Where(i => i.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Encoding, encoding), ct);
    }

    private async Task FinishAsync(long importId, ImportStatus status, string? failure, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var import = await db.Set<OrderImport>().SingleAsync(i => i.Id == importId, ct);
        import.Status = status;
        import.Failure = failure is { Length: > 1000 } ? failure[..1000] : failure;
        import.FinishedAtUtc = now;
        import.LeaseUntilUtc = null;
        if (status == ImportStatus.Completed)
        {
            import.ProgressPercent = 100;
        }
        db.Audit(now, import.CreatedBy, "orders.import." + status.ToString().ToLowerInvariant(), "OrderImport", importId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{import.FileName}: {import.ImportedOrders} orders, {import.ImportedLines} lines, {import.RejectedRows} rejected rows{(failure is null ? "" : "; " + failure)}");
        await db.SaveChangesAsync(ct);
    }
}
