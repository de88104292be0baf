using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// Hands issued waybills to tracking (shipment + 8008 subscription). It runs after a batch's waybills are issued
/// rather than between them, so subscriptions do not take half of the account's rate while labels are waited for.
/// Safe to repeat: registration is idempotent on (carrier, number), and only waybills without a shipment are read.
/// </summary>
public sealed class WaybillRegistration(IDbContextFactory<PortalDbContext> dbFactory, ShipmentService shipments, ILogger<WaybillRegistration> logger)
{
    private const int ParallelRegistrations = 8;

    private sealed record Pending(long Id, string OrderNo, string ShipperCode, string TrackingNo, int CarrierAccountId, string ServiceType, int? WarehouseId, string? DestinationProvince, string? OriginProvince);

    public async Task<int> RegisterBatchAsync(long batchId, CancellationToken ct) =>
        await RegisterAsync(w => w.BatchId == batchId, ct);

    private async Task<int> RegisterAsync(System.Linq.Expressions.Expression<Func<Waybill, bool>> scope, CancellationToken ct)
    {
        List<Pending> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            pending = await db.Set<Waybill>().AsNoTracking().Where(scope).Where(w => w.ShipmentId == null && w.LiveOrderId != null)
                .Select(w => new Pending(w.Id, w.OrderNo, w.ShipperCode, w.TrackingNo, w.CarrierAccountId, w.ServiceType, w.WarehouseId,
                    db.Set<Orders.Order>().Where(o => o.Id == w.OrderId).Select(o => o.Province).FirstOrDefault(),
                    db.Set<Orders.Warehouse>().Where(h => h.Id == w.WarehouseId).Select(h => h.Province).FirstOrDefault()))
                .ToListAsync(ct);
        }
        var registered = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = ParallelRegistrations, CancellationToken = ct }, async (p, token) =>
        {
            var facts = new ShipmentFacts(ServiceType: p.ServiceType, WarehouseId: p.WarehouseId, OriginProvince: p.OriginProvince, DestinationProvince: p.DestinationProvince);
            var result = await shipments.RegisterAsync(p.OrderNo, p.ShipperCode, p.TrackingNo, p.CarrierAccountId, facts, token);
            if (result.ShipmentId is not { } shipmentId)
            {
                logger.LogWarning("Registering waybill {TrackingNo} with tracking failed: {Outcome}", p.TrackingNo, result.Outcome);
                return;
            }
            await using var db = await dbFactory.CreateDbContextAsync(token);
            await db.Set<Waybill>().Where(w => w.Id == p.Id).ExecuteUpdateAsync(u => u.SetProperty(w => w.ShipmentId, shipmentId), token);
            Interlocked.Increment(ref registered);
        });
        return registered;
    }
}
