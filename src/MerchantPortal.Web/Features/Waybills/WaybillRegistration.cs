using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// Hands issued waybills to tracking (shipment + 8008 subscription). It runs after a batch's waybills are issued
/// rather than between them, so subscriptions do not take half of the account's rate while labels are waited for.
/// Shipments are stored a chunk per transaction and each chunk is subscribed while the next is stored (P3b:
/// 10,000 in about the time the account's rate allows; <see cref="ShipmentRegistrationRun"/>).
/// Safe to repeat and to lose: registration is idempotent on (carrier, number), only waybills without a shipment are
/// stored, and only shipments neither subscribed nor claimed by another run are subscribed.
/// </summary>
public sealed class WaybillRegistration(IDbContextFactory<PortalDbContext> dbFactory, ShipmentRegistrationRun run, ILogger<WaybillRegistration> logger)
{
    private const int FirstChunkSize = 50;

    private sealed record Pending(long Id, long OrderId, string ShipperCode, string TrackingNo, int CarrierAccountId, string ServiceType, int? WarehouseId, string? DestinationProvince, string? OriginProvince);

    public async Task<int> RegisterBatchAsync(long batchId, CancellationToken ct)
    {
        var report = await run.SubscribeAsync(ShipmentsAsync(batchId, ct), ct);
        if (report.Claimed > 0)
        {
            logger.LogInformation("Batch {BatchId}: {Subscribed} of {Claimed} shipments subscribed, {Failed} left to the poll job", batchId, report.Subscribed, report.Claimed, report.Failed);
        }
        return report.Subscribed;
    }

    /// <summary>
    /// The batch's shipments, a chunk at a time: first those an earlier run stored but may not have subscribed, then
    /// a chunk of new ones per transaction (the waybills name them in a second, short one).
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<long>> ShipmentsAsync(long batchId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        List<long> known;
        List<Pending> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            known = await db.Set<Waybill>().AsNoTracking().Where(w => w.BatchId == batchId && w.ShipmentId != null && w.LiveOrderId != null)
                .Where(w => db.Set<Shipment>().Any(s => s.Id == w.ShipmentId && s.SubscribedAtUtc == null))
                .Select(w => w.ShipmentId!.Value).ToListAsync(ct);
            // An Admin disabled the account: its parcels wait, unregistered, until it is enabled again (the sweeper comes back).
            pending = await db.Set<Waybill>().AsNoTracking().Where(w => w.BatchId == batchId && w.ShipmentId == null && w.LiveOrderId != null)
                .Where(w => db.Set<CarrierAccounts.CarrierAccount>().Any(a => a.Id == w.CarrierAccountId && !a.IsDisabled))
                .OrderBy(w => w.Id)
                .Select(w => new Pending(w.Id, w.OrderId, w.ShipperCode, w.TrackingNo, w.CarrierAccountId, w.ServiceType, w.WarehouseId,
                    db.Set<Orders.Order>().Where(o => o.Id == w.OrderId).Select(o => o.Province).FirstOrDefault(),
                    db.Set<Orders.Warehouse>().Where(h => h.Id == w.WarehouseId).Select(h => h.Province).FirstOrDefault()))
                .ToListAsync(ct);
        }
        if (known.Count > 0)
        {
            yield return known;
        }
        // A small first chunk so the first calls start while the rest is stored (a full one took ~2 s under load).
        var first = Math.Min(FirstChunkSize, pending.Count);
        foreach (var chunk in pending.Take(first).Chunk(Math.Max(1, first)).Concat(pending.Skip(first).Chunk(ShipmentRegistrationRun.ChunkSize)))
        {
            yield return await StoreChunkAsync(chunk, ct);
        }
    }

    private async Task<IReadOnlyList<long>> StoreChunkAsync(Pending[] chunk, CancellationToken ct)
    {
        var parcels = chunk.Select(p => new NewParcel(p.OrderId, p.ShipperCode.Trim().ToUpperInvariant(), p.TrackingNo.Trim(), p.CarrierAccountId,
            new ShipmentFacts(ServiceType: p.ServiceType, WarehouseId: p.WarehouseId, OriginProvince: p.OriginProvince, DestinationProvince: p.DestinationProvince))).ToList();
        var ids = await run.StoreAsync(parcels, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var named = new List<long>(chunk.Length);
        foreach (var (p, parcel) in chunk.Zip(parcels))
        {
            if (ids.TryGetValue((parcel.ShipperCode, parcel.TrackingNo), out var shipmentId))
            {
                await db.Set<Waybill>().Where(w => w.Id == p.Id && w.ShipmentId == null).ExecuteUpdateAsync(u => u.SetProperty(w => w.ShipmentId, shipmentId), ct);
                named.Add(shipmentId);
            }
        }
        await tx.CommitAsync(ct);
        return named;
    }
}
