using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantPortal.Web.Features.Waybills;

public enum CreateBatchOutcome
{
    Created,
    NoOrders,
    UnknownOrders,
    NoCarrierAccount,
}

public sealed record CreateBatchResult(CreateBatchOutcome Outcome, long? BatchId = null, IReadOnlyList<string>? UnknownOrderNos = null);

public sealed record BatchItemView(long Id, string OrderNo, WaybillItemStatus Status, string? TrackingNo, string? ErrorCode, string? Error, int Attempts, int ParcelNo = 1);

public sealed record BatchSummary(long Id, WaybillBatchStatus Status, int CarrierAccountId, string CarrierAccountName, string ServiceType, string Source, int Total,
    int Succeeded, int Failed, int Skipped, int Cancelled, int Done, string CreatedBy, DateTime CreatedAtUtc, DateTime? StartedAtUtc, DateTime? FinishedAtUtc,
    string ShipperCode = "")
{
    public int ProgressPercent => Total == 0 ? 100 : (int)Math.Floor(Done * 100.0 / Total);
}

public enum BatchControl
{
    Pause,
    Resume,
    Cancel,
    RetryFailed,
}

/// <summary>Starts, controls and reads waybill batches. Every change is a conditional update on the batch's status.</summary>
public sealed class WaybillBatchService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    WaybillOptions options,
    TimeProvider clock) : IWorkSource
{
    public string Name => "waybill batches";

    public Task<CreateBatchResult> CreateAsync(IReadOnlyCollection<string> orderNos, int? carrierAccountId, string? serviceType, string actor, string source = "manual", CancellationToken ct = default) =>
        CreateAsync(orderNos, carrierAccountId, serviceType, actor, source, alongside: null, ct);

    /// <param name="alongside">
    /// The calling feature's own writes, made in the batch's transaction once the batch and its items are written (a
    /// wave's record, given the new batch's id): both commit or neither does.
    /// </param>
    public async Task<CreateBatchResult> CreateAsync(
        IReadOnlyCollection<string> orderNos, int? carrierAccountId, string? serviceType, string actor, string source,
        Func<PortalDbContext, long, CancellationToken, Task>? alongside, CancellationToken ct)
    {
        var numbers = orderNos.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count == 0)
        {
            return new CreateBatchResult(CreateBatchOutcome.NoOrders);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orders = new List<(long Id, string OrderNo, int? WarehouseId, int ParcelCount)>(numbers.Count);
        var leads = new List<long>();
        foreach (var chunk in numbers.Chunk(500))
        {
            var found = await db.Set<Order>().AsNoTracking().Where(o => chunk.Contains(o.OrderNo)).Select(o => new { o.Id, o.OrderNo, o.WarehouseId, o.ParcelCount, o.MergedIntoOrderId }).ToListAsync(ct);
            orders.AddRange(found.Select(o => (o.Id, o.OrderNo, o.WarehouseId, o.ParcelCount)));
            leads.AddRange(found.Where(o => o.MergedIntoOrderId is not null).Select(o => o.MergedIntoOrderId!.Value));
        }
        var unknown = numbers.Except(orders.Select(o => o.OrderNo), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return new CreateBatchResult(CreateBatchOutcome.UnknownOrders, UnknownOrderNos: unknown);
        }
        if (source == "auto" && leads.Count > 0)
        {
            // 合并发货 on approval: an approved follower means its merged parcel may now be ready, and that parcel is the
            // lead's (pre-flight still says why when another follower is not approved yet).
            var missing = leads.Distinct().Except(orders.Select(o => o.Id)).ToList();
            orders.AddRange((await db.Set<Order>().AsNoTracking().Where(o => missing.Contains(o.Id)).Select(o => new { o.Id, o.OrderNo, o.WarehouseId, o.ParcelCount }).ToListAsync(ct))
                .Select(o => (o.Id, o.OrderNo, o.WarehouseId, o.ParcelCount)));
        }
        var accountId = await PickAccountAsync(db, carrierAccountId, orders.Select(o => o.WarehouseId).Distinct().ToList(), ct);
        if (accountId is null)
        {
            return new CreateBatchResult(CreateBatchOutcome.NoCarrierAccount);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var batch = new WaybillBatch
        {
            CarrierAccountId = accountId.Value,
            ServiceType = string.IsNullOrWhiteSpace(serviceType)
                ? (await db.Set<CarrierAccount>().Where(a => a.Id == accountId).Select(a => a.DefaultServiceType).SingleAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : serviceType.Trim(),
            Status = WaybillBatchStatus.Queued,
            Source = source,
            // One item per parcel: a split order (拆单) gets a waybill for each.
            Total = orders.Sum(o => Math.Max(1, o.ParcelCount)),
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(batch);
        await db.SaveChangesAsync(ct);
        await InsertItemsAsync(db, batch.Id, orders, now, ct);
        db.Audit(now, actor, "waybills.batch.create", "WaybillBatch", batch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{orders.Count} orders, {batch.Total} parcels, account {accountId}, {source}");
        await db.SaveChangesAsync(ct);
        if (alongside is not null)
        {
            await alongside(db, batch.Id, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        Enqueue(batch.Id);
        return new CreateBatchResult(CreateBatchOutcome.Created, batch.Id);
    }

    /// <summary>
    /// The batch's items with one prepared INSERT in the caller's transaction: 10,000 items through change tracking
    /// took seconds of the P3 budget before the first carrier call.
    /// </summary>
    private static async Task InsertItemsAsync(PortalDbContext db, long batchId, List<(long Id, string OrderNo, int? WarehouseId, int ParcelCount)> orders, DateTime now, CancellationToken ct)
    {
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        insert.CommandText = "INSERT INTO \"WaybillBatchItems\" (\"BatchId\", \"OrderId\", \"ParcelNo\", \"OrderNo\", \"Status\", \"Attempts\", \"UpdatedAtUtc\") VALUES (@batch, @order, @parcel, @orderNo, @status, 0, @now)";
        Parameter(insert, "@batch", System.Data.DbType.Int64, batchId);
        var order = Parameter(insert, "@order", System.Data.DbType.Int64, 0L);
        var parcel = Parameter(insert, "@parcel", System.Data.DbType.Int32, 1);
        var orderNo = Parameter(insert, "@orderNo", System.Data.DbType.String, "", size: 64);
        Parameter(insert, "@status", System.Data.DbType.String, nameof(WaybillItemStatus.Pending), size: 16);
        Parameter(insert, "@now", System.Data.DbType.DateTime2, now);
        await insert.PrepareAsync(ct);
        foreach (var o in orders)
        {
            order.Value = o.Id;
            orderNo.Value = o.OrderNo;
            for (var n = 1; n <= Math.Max(1, o.ParcelCount); n++)
            {
                parcel.Value = n;
                await insert.ExecuteNonQueryAsync(ct);
            }
        }
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name, System.Data.DbType type, object value, int size = 0)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        if (size > 0)
        {
            parameter.Size = size;
        }
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// The named enabled account; else the default account of the orders' warehouse when they all share one;
    /// else the portal's default account.
    /// </summary>
    /// <summary>
    /// The account a batch of these orders uses when none is named (the warehouse's default account when they share
    /// one warehouse, else the default account): the new-batch dialog offers that carrier's products.
    /// </summary>
    public async Task<int?> AccountForAsync(IReadOnlyCollection<string> orderNos, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var warehouses = new HashSet<int?>();
        foreach (var chunk in orderNos.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            warehouses.UnionWith(await db.Set<Order>().Where(o => chunk.Contains(o.OrderNo)).Select(o => o.WarehouseId).Distinct().ToListAsync(ct));
        }
        return await PickAccountAsync(db, null, [.. warehouses], ct);
    }

    private static async Task<int?> PickAccountAsync(PortalDbContext db, int? carrierAccountId, IReadOnlyList<int?> warehouseIds, CancellationToken ct)
    {
        var accounts = db.Set<CarrierAccount>().Where(a => !a.IsDisabled);
        if (carrierAccountId is not null)
        {
            return await accounts.Where(a => a.Id == carrierAccountId).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
        }
        if (warehouseIds is [{ } warehouseId])
        {
            var preferred = await db.Set<Warehouse>().Where(w => w.Id == warehouseId).Select(w => w.DefaultCarrierAccountId).FirstOrDefaultAsync(ct);
            if (preferred is not null && await accounts.AnyAsync(a => a.Id == preferred, ct))
            {
                return preferred;
            }
        }
        return await accounts.OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
    }

    private void Enqueue(long batchId) => jobs.Enqueue<WaybillBatchJob>("default", j => j.RunAsync(batchId, CancellationToken.None));

    /// <summary>Applies a control; false when the batch's status does not allow it (the caller re-reads and shows why).</summary>
    public async Task<bool> ControlAsync(long batchId, BatchControl control, string actor, long? itemId = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batches = db.Set<WaybillBatch>().Where(b => b.Id == batchId);
        var changed = control switch
        {
            BatchControl.Pause => await batches.Where(b => b.Status == WaybillBatchStatus.Queued || b.Status == WaybillBatchStatus.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.Status, WaybillBatchStatus.Paused), ct),
            BatchControl.Resume => await batches.Where(b => b.Status == WaybillBatchStatus.Paused)
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.Status, WaybillBatchStatus.Queued), ct),
            BatchControl.Cancel => await CancelAsync(db, batchId, now, ct),
            _ => await RetryAsync(db, batchId, itemId, now, ct),
        };
        if (changed == 0)
        {
            return false;
        }
        db.Audit(now, actor, "waybills.batch." + control.ToString().ToLowerInvariant(), "WaybillBatch", batchId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            itemId is null ? null : $"item {itemId}");
        await db.SaveChangesAsync(ct);
        if (control is BatchControl.Resume or BatchControl.RetryFailed)
        {
            Enqueue(batchId);
        }
        return true;
    }

    private static async Task<int> CancelAsync(PortalDbContext db, long batchId, DateTime now, CancellationToken ct)
    {
        var changed = await db.Set<WaybillBatch>().Where(b => b.Id == batchId && (b.Status == WaybillBatchStatus.Queued || b.Status == WaybillBatchStatus.Running || b.Status == WaybillBatchStatus.Paused))
            .ExecuteUpdateAsync(u => u.SetProperty(b => b.Status, WaybillBatchStatus.Cancelled).SetProperty(b => b.FinishedAtUtc, now), ct);
        if (changed == 1)
        {
            // Calls in flight finish and are kept (the carrier issued them); everything not started is cancelled.
            await db.Set<WaybillBatchItem>().Where(i => i.BatchId == batchId && i.Status == WaybillItemStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, WaybillItemStatus.Cancelled).SetProperty(i => i.UpdatedAtUtc, now), ct);
        }
        return changed;
    }

    /// <summary>Failed and skipped items (or one of them) go back to Pending; a finished batch is queued again.</summary>
    private static async Task<int> RetryAsync(PortalDbContext db, long batchId, long? itemId, DateTime now, CancellationToken ct)
    {
        var open = await db.Set<WaybillBatch>().AnyAsync(b => b.Id == batchId && b.Status != WaybillBatchStatus.Cancelled, ct);
        if (!open)
        {
            return 0;
        }
        var retried = await db.Set<WaybillBatchItem>()
            .Where(i => i.BatchId == batchId && (itemId == null || i.Id == itemId) && (i.Status == WaybillItemStatus.Failed || i.Status == WaybillItemStatus.Skipped))
            .ExecuteUpdateAsync(u => u
                .SetProperty(i => i.Status, WaybillItemStatus.Pending)
                .SetProperty(i => i.ErrorCode, (string?)null)
                .SetProperty(i => i.Error, (string?)null)
                .SetProperty(i => i.UpdatedAtUtc, now), ct);
        if (retried > 0)
        {
            await db.Set<WaybillBatch>().Where(b => b.Id == batchId && (b.Status == WaybillBatchStatus.Completed || b.Status == WaybillBatchStatus.CompletedWithErrors))
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.Status, WaybillBatchStatus.Queued).SetProperty(b => b.FinishedAtUtc, (DateTime?)null), ct);
        }
        return retried;
    }

    public async Task<BatchSummary?> GetAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await SummariesAsync(db, db.Set<WaybillBatch>().Where(b => b.Id == batchId), ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<BatchSummary>> RecentAsync(int take = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SummariesAsync(db, db.Set<WaybillBatch>().OrderByDescending(b => b.Id).Take(take), ct);
    }

    private static async Task<IReadOnlyList<BatchSummary>> SummariesAsync(PortalDbContext db, IQueryable<WaybillBatch> query, CancellationToken ct)
    {
        var batches = await query.AsNoTracking()
            .Select(b => new
            {
                Batch = b,
                Account = db.Set<CarrierAccount>().Where(a => a.Id == b.CarrierAccountId).Select(a => a.Name).FirstOrDefault(),
                Shipper = db.Set<CarrierAccount>().Where(a => a.Id == b.CarrierAccountId).Select(a => a.ShipperCode).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = batches.Select(b => b.Batch.Id).ToList();
        var counts = (await db.Set<WaybillBatchItem>().Where(i => ids.Contains(i.BatchId)).GroupBy(i => new { i.BatchId, i.Status })
            .Select(g => new { g.Key.BatchId, g.Key.Status, Count = g.Count() }).ToListAsync(ct))
            .ToLookup(c => c.BatchId);
        return [.. batches.Select(x =>
        {
            var c = counts[x.Batch.Id].ToDictionary(k => k.Status, k => k.Count);
            int N(WaybillItemStatus s) => c.GetValueOrDefault(s);
            var done = N(WaybillItemStatus.Succeeded) + N(WaybillItemStatus.Failed) + N(WaybillItemStatus.Skipped) + N(WaybillItemStatus.Cancelled);
            var b = x.Batch;
            return new BatchSummary(b.Id, b.Status, b.CarrierAccountId, x.Account ?? "", b.ServiceType, b.Source, b.Total, N(WaybillItemStatus.Succeeded),
                N(WaybillItemStatus.Failed), N(WaybillItemStatus.Skipped), N(WaybillItemStatus.Cancelled), done, b.CreatedBy, b.CreatedAtUtc, b.StartedAtUtc, b.FinishedAtUtc, x.Shipper ?? "");
        })];
    }

    /// <summary>The batch's items in order; <paramref name="problemsOnly"/> = failed and skipped ones.</summary>
    public async Task<IReadOnlyList<BatchItemView>> ItemsAsync(long batchId, bool problemsOnly = false, int take = int.MaxValue, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var items = db.Set<WaybillBatchItem>().AsNoTracking().Where(i => i.BatchId == batchId);
        if (problemsOnly)
        {
            items = items.Where(i => i.Status == WaybillItemStatus.Failed || i.Status == WaybillItemStatus.Skipped);
        }
        return await items.OrderBy(i => i.Id).Take(take)
            .Select(i => new BatchItemView(i.Id, i.OrderNo, i.Status, i.TrackingNo, i.ErrorCode, i.Error, i.Attempts, i.ParcelNo)).ToListAsync(ct);
    }

    /// <summary>Pre-flight for the "new batch" dialog: every order that would be skipped, and why (fix them first).</summary>
    public async Task<IReadOnlyList<PreflightResult>> PreflightAsync(IReadOnlyCollection<string> orderNos, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = new List<long>(orderNos.Count);
        foreach (var chunk in orderNos.Chunk(500))
        {
            ids.AddRange(await db.Set<Order>().Where(o => chunk.Contains(o.OrderNo)).Select(o => o.Id).ToListAsync(ct));
        }
        return await WaybillPreflight.CheckAsync(db, ids, ct);
    }

    /// <summary>The fields a flagged order can be fixed in place with, read for the fix form.</summary>
    /// <summary>
    /// Batches left Queued (job lost before it started) or Running with a lapsed lease (the process died), and
    /// finished batches whose waybills were never handed to tracking, are enqueued again.
    /// </summary>
    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now.AddSeconds(-options.LeaseSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<WaybillBatch>().AsNoTracking()
            .Where(b => b.Status == WaybillBatchStatus.Queued || (b.Status == WaybillBatchStatus.Running && (b.LeaseUntilUtc == null || b.LeaseUntilUtc < now)))
            .Select(b => b.Id).ToListAsync(ct);
        var unregistered = await db.Set<Waybill>().AsNoTracking()
            .Where(w => w.BatchId != null && w.ShipmentId == null && w.LiveOrderId != null && w.IssuedAtUtc < stale)
            .Where(w => db.Set<WaybillBatch>().Any(b => b.Id == w.BatchId && b.Status != WaybillBatchStatus.Running && b.Status != WaybillBatchStatus.Queued))
            .Select(w => w.BatchId!.Value).Distinct().ToListAsync(ct);
        foreach (var id in ids.Union(unregistered))
        {
            Enqueue(id);
        }
        return ids.Union(unregistered).Count();
    }
}
