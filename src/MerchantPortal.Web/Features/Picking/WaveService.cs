using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>A group of orders a wave can take: one warehouse, one carrier account, how many orders up to the cut-off.</summary>
public sealed record WaveCandidate(int? WarehouseId, string WarehouseName, int CarrierAccountId, string CarrierAccountName, string ShipperCode, int Orders);

/// <summary>A wave and its batch's progress (null before its batch exists).</summary>
public sealed record WaveView(long Id, string Code, int? WarehouseId, string WarehouseName, int CarrierAccountId, string CarrierAccountName, DateTime CutOffUtc,
    int OrderCount, long? BatchId, string CreatedBy, DateTime CreatedAtUtc, WaybillBatchStatus? BatchStatus, int BatchDone, int BatchTotal, int BatchSucceeded);

public enum StartWaveOutcome
{
    Started,
    /// <summary>No order of that warehouse and account is waiting up to the cut-off (already in a wave or batch, or none approved).</summary>
    NoOrders,
    NoCarrierAccount,
}

public sealed record StartWaveResult(StartWaveOutcome Outcome, WaveView? Wave = null);

/// <summary>
/// Waves (波次): approved orders without a live waybill, grouped by the warehouse they ship from and the carrier account
/// their waybills would use, up to a cut-off. Starting one starts a waybill batch through the Waybills feature's
/// service (Picking never writes batches) and records the wave with it; the batch page then has its pick list and slips.
/// </summary>
public sealed class WaveService(IDbContextFactory<PortalDbContext> dbFactory, WaybillBatchService batches, TimeProvider clock)
{
    private sealed record Waiting(long Id, string OrderNo, int? WarehouseId, int CarrierAccountId);

    public async Task<IReadOnlyList<WaveCandidate>> CandidatesAsync(DateTime cutOffUtc, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await WaitingAsync(db, cutOffUtc, ct);
        var warehouses = await WaybillPreflight.WarehousesAsync(db, ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        return [.. waiting.GroupBy(w => (w.WarehouseId, w.CarrierAccountId))
            .Select(g => new WaveCandidate(g.Key.WarehouseId, g.Key.WarehouseId is { } id && warehouses.TryGetValue(id, out var wh) ? wh.Name : "-",
                g.Key.CarrierAccountId, accounts[g.Key.CarrierAccountId].Name, accounts[g.Key.CarrierAccountId].ShipperCode, g.Count()))
            .OrderBy(c => c.WarehouseName, StringComparer.Ordinal).ThenBy(c => c.CarrierAccountName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Starts a wave of the group's orders up to the cut-off: a waybill batch (source "wave") with exactly those orders,
    /// then the wave row naming it. Orders already in a wave's batch that is still issuing, or with a live waybill, are
    /// not taken again; two starts at the same instant could both take an order, and then the waybill table's unique
    /// live waybill per order lets only one batch issue it (the other skips it as "live waybill").
    /// </summary>
    public async Task<StartWaveResult> StartAsync(int? warehouseId, int carrierAccountId, DateTime cutOffUtc, string actor, CancellationToken ct = default)
    {
        List<Waiting> orders;
        string shipperCode;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Set<CarrierAccount>().AsNoTracking().Where(a => a.Id == carrierAccountId && !a.IsDisabled).Select(a => a.ShipperCode).FirstOrDefaultAsync(ct) is not { } code)
            {
                return new StartWaveResult(StartWaveOutcome.NoCarrierAccount);
            }
            shipperCode = code;
            orders = [.. (await WaitingAsync(db, cutOffUtc, ct)).Where(w => w.WarehouseId == warehouseId && w.CarrierAccountId == carrierAccountId)];
        }
        if (orders.Count == 0)
        {
            return new StartWaveResult(StartWaveOutcome.NoOrders);
        }
        // The batch is written by its owner, and the wave's record in the same transaction: both or neither.
        Wave? wave = null;
        var created = await batches.CreateAsync([.. orders.Select(o => o.OrderNo)], carrierAccountId, null, actor, "wave",
            (db, batchId, token) =>
            {
                wave = NewWave(db, warehouseId, carrierAccountId, cutOffUtc, shipperCode, orders.Count, batchId, actor);
                return Task.CompletedTask;
            },
            ct);
        if (created.Outcome != CreateBatchOutcome.Created || wave is null)
        {
            return new StartWaveResult(created.Outcome == CreateBatchOutcome.NoCarrierAccount ? StartWaveOutcome.NoCarrierAccount : StartWaveOutcome.NoOrders);
        }
        return new StartWaveResult(StartWaveOutcome.Started, await GetAsync(wave.Id, ct));
    }

    /// <summary>
    /// "W20261206-1400-SF-42": the cut-off in Beijing time, the carrier, and the wave's batch number, so the code is
    /// unique without a retry inside the batch's transaction.
    /// </summary>
    private Wave NewWave(PortalDbContext db, int? warehouseId, int carrierAccountId, DateTime cutOffUtc, string shipperCode, int count, long batchId, string actor)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var wave = new Wave
        {
            Code = string.Create(CultureInfo.InvariantCulture, $"W{BusinessCalendar.ToBusinessTime(cutOffUtc):yyyyMMdd-HHmm}-{shipperCode}-{batchId}"),
            WarehouseId = warehouseId,
            CarrierAccountId = carrierAccountId,
            CutOffUtc = cutOffUtc,
            BatchId = batchId,
            OrderCount = count,
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        db.Add(wave);
        db.Audit(now, actor, "picking.wave.start", "Wave", wave.Code, $"{count} orders, batch {batchId}");
        return wave;
    }

    /// <summary>The code of the wave that started this batch, or null.</summary>
    public async Task<string?> CodeForBatchAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Wave>().AsNoTracking().Where(w => w.BatchId == batchId).Select(w => w.Code).FirstOrDefaultAsync(ct);
    }

    public async Task<WaveView?> GetAsync(long id, CancellationToken ct = default) => (await ViewsAsync(w => w.Id == id, 1, ct)).FirstOrDefault();

    public Task<IReadOnlyList<WaveView>> RecentAsync(int take = 20, CancellationToken ct = default) => ViewsAsync(_ => true, take, ct);

    private async Task<IReadOnlyList<WaveView>> ViewsAsync(System.Linq.Expressions.Expression<Func<Wave, bool>> filter, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waves = await db.Set<Wave>().AsNoTracking().Where(filter).OrderByDescending(w => w.CreatedAtUtc).ThenByDescending(w => w.Id).Take(take).ToListAsync(ct);
        var warehouses = await WaybillPreflight.WarehousesAsync(db, ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var views = new List<WaveView>(waves.Count);
        foreach (var w in waves)
        {
            var batch = w.BatchId is { } b ? await batches.GetAsync(b, ct) : null;
            views.Add(new WaveView(w.Id, w.Code, w.WarehouseId, w.WarehouseId is { } wid && warehouses.TryGetValue(wid, out var wh) ? wh.Name : "-",
                w.CarrierAccountId, accounts.GetValueOrDefault(w.CarrierAccountId) ?? "", w.CutOffUtc, w.OrderCount, w.BatchId, w.CreatedBy, w.CreatedAtUtc,
                batch?.Status, batch?.Done ?? 0, batch?.Total ?? 0, batch?.Succeeded ?? 0));
        }
        return views;
    }

    /// <summary>
    /// Approved orders that ship as a parcel of their own (not a follower of a merge), with no live waybill and in no
    /// batch still issuing, approved up to the cut-off (the last approval in the order's history; an order never
    /// approved through the portal counts from its payment, else its creation). Each with the warehouse it ships from
    /// and the account its waybill would use: the warehouse's default account, else the portal's default account,
    /// as a batch chooses one (WaybillBatchService.PickAccountAsync).
    /// </summary>
    private static async Task<List<Waiting>> WaitingAsync(PortalDbContext db, DateTime cutOffUtc, CancellationToken ct)
    {
        var busy = new[] { WaybillBatchStatus.Queued, WaybillBatchStatus.Running, WaybillBatchStatus.Paused };
        var rows = await db.Set<Order>().AsNoTracking()
            .Where(o => o.Status == OrderStatus.Approved && o.MergedIntoOrderId == null)
            .Where(o => !db.Set<Waybill>().Any(w => w.LiveOrderId == o.Id))
            .Where(o => !db.Set<WaybillBatchItem>().Any(i => i.OrderId == o.Id
                && (i.Status == WaybillItemStatus.Pending || i.Status == WaybillItemStatus.InProgress)
                && db.Set<WaybillBatch>().Any(b => b.Id == i.BatchId && busy.Contains(b.Status))))
            .Select(o => new
            {
                o.Id, o.OrderNo, o.WarehouseId, o.ShopId,
                At = db.Set<OrderHistory>().Where(h => h.OrderId == o.Id && h.ToStatus == OrderStatus.Approved).Max(h => (DateTime?)h.AtUtc) ?? o.PaidAtUtc ?? o.CreatedAtUtc,
            })
            .Where(o => o.At <= cutOffUtc)
            .ToListAsync(ct);
        var warehouses = await WaybillPreflight.WarehousesAsync(db, ct);
        var shops = await WaybillPreflight.ShopsAsync(db, ct);
        var enabled = await db.Set<CarrierAccount>().AsNoTracking().Where(a => !a.IsDisabled).OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        if (enabled.Count == 0)
        {
            return [];
        }
        return [.. rows.Select(o =>
        {
            var shop = o.ShopId is { } s ? shops.GetValueOrDefault(s) : null;
            var warehouse = WaybillPreflight.Pick(warehouses, o.WarehouseId ?? shop?.WarehouseId);
            var account = warehouse?.DefaultCarrierAccountId is { } preferred && enabled.Contains(preferred) ? preferred : enabled[0];
            return new Waiting(o.Id, o.OrderNo, warehouse?.Id, account);
        })];
    }
}
