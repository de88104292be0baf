using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>One parcel of a batch as it is picked and packed: its live waybill and what it carries.</summary>
/// <param name="Content">What the parcel carries (<see cref="ParcelRules.Content"/>): a split parcel's lines only, a merged lead's with its followers'.</param>
/// <param name="Orders">The orders in the parcel: the order itself, or a merged lead then its followers.</param>
internal sealed record BatchParcel(Waybill Waybill, Order Order, Order Content, IReadOnlyList<Order> Orders, Warehouse? Warehouse, Shop? Shop);

/// <summary>
/// Pick lists (拣货单) and packing slips (发货单) of a waybill batch, read from the Waybills and Orders tables (Picking
/// writes neither). A parcel is on them once it has a live waybill: a voided or failed one is not picked.
/// </summary>
public sealed class PickingService(
    IDbContextFactory<PortalDbContext> dbFactory,
    PortalSettings settings,
    LabelPdfRenderer labels,
    TimeProvider clock)
{
    public async Task<bool> BatchExistsAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<WaybillBatch>().AnyAsync(b => b.Id == batchId, ct);
    }

    /// <summary>The batch's pick list; null when there is no such batch. A batch without a waybill yet gives an empty list.</summary>
    public async Task<PickList?> PickListAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.Set<WaybillBatch>().AsNoTracking().Where(b => b.Id == batchId)
            .Join(db.Set<CarrierAccount>(), b => b.CarrierAccountId, a => a.Id, (b, a) => new { b.Id, a.Name, a.ShipperCode })
            .FirstOrDefaultAsync(ct);
        if (batch is null)
        {
            return null;
        }
        var parcels = await ParcelsAsync(db, batchId, null, ct);
        var skus = parcels.SelectMany(p => p.Content.Lines).Select(l => l.Sku?.Trim()).Where(s => !string.IsNullOrEmpty(s)).Distinct().ToList();
        var catalogue = await db.Set<CatalogueSku>().AsNoTracking().Where(c => skus.Contains(c.Sku)).Select(c => new { c.Sku, c.Location, c.Name }).ToListAsync(ct);
        var rows = PickListRules.Group(
            parcels.SelectMany(p => p.Content.Lines.Select(l => new PickInputLine(l.OrderId, l.Sku, l.Name, l.Quantity))),
            catalogue.ToDictionary(c => c.Sku, c => c.Location, StringComparer.Ordinal),
            catalogue.ToDictionary(c => c.Sku, c => c.Name, StringComparer.Ordinal));
        var warehouses = parcels.Select(p => p.Warehouse?.Name).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        return new PickList(batchId, await WaveCodeAsync(db, batchId, ct), batch.ShipperCode, WaybillContent.CarrierName(batch.ShipperCode), batch.Name,
            warehouses.Count == 0 ? "-" : string.Join(", ", warehouses), PrintedAt(), parcels.Count,
            parcels.SelectMany(p => p.Orders).Select(o => o.Id).Distinct().Count(), rows.Sum(r => r.Quantity), rows);
    }

    public async Task<byte[]?> PickListPdfAsync(long batchId, CancellationToken ct = default) =>
        await PickListAsync(batchId, ct) is { } list ? PickListPdf.Render(list) : null;

    /// <summary>The batch's packing slips in pick order (two per A4 page); null when the batch has no live waybill.</summary>
    public async Task<byte[]?> PackingSlipsPdfAsync(long batchId, CancellationToken ct = default)
    {
        var slips = await SlipsAsync(batchId, null, ct);
        return slips.Count == 0 ? null : PackingSlipPdf.RenderA4(slips.Select(s => s.Slip).ToList());
    }

    /// <summary>The packing slips of one order's live parcels (a split order has one per parcel); null when it has none.</summary>
    public async Task<byte[]?> PackingSlipPdfAsync(string orderNo, CancellationToken ct = default)
    {
        var slips = await SlipsAsync(null, orderNo.Trim(), ct);
        return slips.Count == 0 ? null : PackingSlipPdf.RenderA4(slips.Select(s => s.Slip).ToList());
    }

    /// <summary>
    /// For each parcel in pick order its label (100×150) then its packing slip on a page of the same size: one file for
    /// the label printer, so the packer takes a parcel's label and slip off it together. Null when there is no live waybill.
    /// </summary>
    public async Task<byte[]?> LabelsWithSlipsPdfAsync(long batchId, CancellationToken ct = default)
    {
        var slips = await SlipsAsync(batchId, null, ct);
        if (slips.Count == 0)
        {
            return null;
        }
        var printedAt = PrintedAt();
        var labelsPdf = labels.Render(slips.Select(s => WaybillContent.Deserialize(s.LabelJson, printedAt)), Printing.LabelSize.Mm100x150, ct);
        return PackingSlipPdf.RenderWithLabels(labelsPdf, [.. slips.Select(s => s.Slip)]);
    }

    private async Task<List<(PackingSlip Slip, string LabelJson)>> SlipsAsync(long? batchId, string? orderNo, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var parcels = await ParcelsAsync(db, batchId, orderNo, ct);
        if (parcels.Count == 0)
        {
            return [];
        }
        var brand = await settings.GetAsync<string?>(TrackingBrand.NameKey, null, ct);
        var waveCode = batchId is { } id ? await WaveCodeAsync(db, id, ct) : null;
        var printedAt = PrintedAt();
        return [.. parcels.Select(p => (PackingSlips.Of(p, brand, waveCode, printedAt), p.Waybill.LabelJson))];
    }

    /// <summary>
    /// The live parcels of a batch (or of one order) in pick order, each with what it carries, built by the same rule
    /// the label's item summary was (<see cref="ParcelRules.Content"/>, with <see cref="WaybillPreflight.ParcelSetAsync"/>).
    /// </summary>
    private static async Task<List<BatchParcel>> ParcelsAsync(PortalDbContext db, long? batchId, string? orderNo, CancellationToken ct)
    {
        var query = db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null);
        if (batchId is { } id)
        {
            query = query.Where(w => w.BatchId == id);
        }
        else
        {
            // A follower of a merge (合并发货) ships in its lead's parcel: its slip is the lead's.
            var lead = await db.Set<Order>().AsNoTracking().Where(o => o.OrderNo == orderNo).Select(o => o.MergedIntoOrderId).FirstOrDefaultAsync(ct);
            query = lead is { } leadId ? query.Where(w => w.OrderId == leadId) : query.Where(w => w.OrderNo == orderNo);
        }
        var waybills = (await query.ToListAsync(ct)).OrderBy(w => w.PickKey, StringComparer.Ordinal).ThenBy(w => w.Id).ToList();
        if (waybills.Count == 0)
        {
            return [];
        }
        var orderIds = waybills.Select(w => w.OrderId).Distinct().ToList();
        var orders = new Dictionary<long, Order>();
        foreach (var chunk in orderIds.Chunk(500))
        {
            foreach (var o in await db.Set<Order>().AsNoTracking().Include(o => o.Lines).AsSplitQuery().Where(o => chunk.Contains(o.Id)).ToListAsync(ct))
            {
                orders[o.Id] = o;
            }
        }
        var set = await WaybillPreflight.ParcelSetAsync(db, orderIds, ct);
        var warehouses = await WaybillPreflight.WarehousesAsync(db, ct);
        var shops = await WaybillPreflight.ShopsAsync(db, ct);
        return [.. waybills.Where(w => orders.ContainsKey(w.OrderId)).Select(w =>
        {
            var order = orders[w.OrderId];
            var followers = set.Followers[order.Id].Where(f => f.Status != OrderStatus.Cancelled).OrderBy(f => f.CreatedAtUtc).ThenBy(f => f.Id).ToList();
            var content = ParcelRules.Content(order, followers, set.ParcelLines[order.Id].ToList(), w.ParcelNo);
            var warehouse = w.WarehouseId is { } wid ? warehouses.GetValueOrDefault(wid) : null;
            var shop = order.ShopId is { } sid ? shops.GetValueOrDefault(sid) : null;
            // Prepend, not a collection expression: the ownership check reads a spread of entities as a write (AddRange).
            return new BatchParcel(w, order, content, followers.Prepend(order).ToList(), warehouse, shop);
        })];
    }

    private static async Task<string?> WaveCodeAsync(PortalDbContext db, long batchId, CancellationToken ct) =>
        await db.Set<Wave>().AsNoTracking().Where(w => w.BatchId == batchId).Select(w => w.Code).FirstOrDefaultAsync(ct);

    private DateTimeOffset PrintedAt() => new(BusinessCalendar.ToBusinessTime(clock.GetUtcNow().UtcDateTime), BusinessCalendar.Offset);
}
