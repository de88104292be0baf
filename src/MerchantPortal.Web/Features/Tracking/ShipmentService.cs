using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

public enum RegisterOutcome
{
    Created,
    /// <summary>The carrier and number were already followed: nothing new (a retry is safe).</summary>
    Existing,
    OrderNotFound,
    CarrierNotRecognised,
    NoCarrierAccount,
}

public sealed record RegisterResult(RegisterOutcome Outcome, string? ShipperCode = null, long? ShipmentId = null);

/// <summary>
/// Starts following a parcel: creates the shipment, names it on its order, and subscribes it (8008) so the
/// aggregator pushes its scans to <see cref="TrackingEndpoints.PushPath"/>. Until a push arrives the poll sweep
/// covers it (NextCheckAtUtc = now).
/// </summary>
public sealed class ShipmentService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierClient carriers,
    PublicAddress publicAddress,
    ShipmentObservers observers,
    IDeliveryPromise promise,
    TimeProvider clock,
    ILogger<ShipmentService> logger)
{
    public async Task<RegisterResult> RegisterAsync(string? orderNo, string? shipperCode, string trackingNo, int? carrierAccountId, ShipmentFacts? facts = null, CancellationToken ct = default)
    {
        trackingNo = trackingNo.Trim();
        shipperCode = string.IsNullOrWhiteSpace(shipperCode) ? null : shipperCode.Trim().ToUpperInvariant();
        facts ??= new ShipmentFacts();
        long? orderId = null;
        int accountId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!string.IsNullOrWhiteSpace(orderNo))
            {
                var order = await db.Set<Order>().Where(o => o.OrderNo == orderNo.Trim())
                    .Select(o => new { o.Id, o.Province, o.WarehouseId }).FirstOrDefaultAsync(ct);
                if (order is null)
                {
                    return new RegisterResult(RegisterOutcome.OrderNotFound);
                }
                orderId = order.Id;
                // A forward parcel goes from the warehouse to the receiver; a return comes back the other way.
                var warehouseId = facts.WarehouseId ?? order.WarehouseId;
                var warehouseProvince = warehouseId is null ? null
                    : await db.Set<Warehouse>().Where(w => w.Id == warehouseId).Select(w => w.Province).FirstOrDefaultAsync(ct);
                var reverse = facts.Direction == ShipmentDirection.Reverse;
                facts = facts with
                {
                    WarehouseId = warehouseId,
                    OriginProvince = facts.OriginProvince ?? (reverse ? order.Province : warehouseProvince),
                    DestinationProvince = facts.DestinationProvince ?? (reverse ? warehouseProvince : order.Province),
                };
            }
            var account = await PickAccountAsync(db, carrierAccountId, shipperCode, ct);
            if (account is null)
            {
                return new RegisterResult(RegisterOutcome.NoCarrierAccount);
            }
            accountId = account.Value;
        }

        if (shipperCode is null)
        {
            // carrier-protocol.md §2.9: 2002 may name several candidates; the first is the aggregator's best guess.
            var recognised = await carriers.CallAsync(accountId, (g, c, t) => g.RecogniseCarrierAsync(c, trackingNo, t), ct);
            shipperCode = recognised is { Success: true, Value: [var first, ..] } ? first.ShipperCode : null;
            if (shipperCode is null)
            {
                return new RegisterResult(RegisterOutcome.CarrierNotRecognised);
            }
            if (carrierAccountId is null)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                accountId = await PickAccountAsync(db, null, shipperCode, ct) ?? accountId;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var shipment = new Shipment
        {
            OrderId = orderId,
            Direction = facts.Direction,
            ReturnId = facts.ReturnId,
            ServiceType = facts.ServiceType,
            WarehouseId = facts.WarehouseId,
            OriginProvince = facts.OriginProvince,
            DestinationProvince = facts.DestinationProvince,
            CarrierAccountId = accountId,
            ShipperCode = shipperCode,
            TrackingNo = trackingNo,
            Status = ShipmentStatus.Pending,
            CreatedAtUtc = now,
            NextCheckAtUtc = now,
            Version = Guid.NewGuid(),
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var existing = await db.Set<Shipment>().Where(s => s.ShipperCode == shipperCode && s.TrackingNo == trackingNo).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (existing is not null)
            {
                return new RegisterResult(RegisterOutcome.Existing, shipperCode, existing);
            }
            shipment.PromisedByUtc = await promise.PromisedByAsync(db, shipment, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Add(shipment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The unique (ShipperCode, TrackingNo) index: a concurrent registration of the same parcel won.
                await tx.RollbackAsync(ct);
                await using var again = await dbFactory.CreateDbContextAsync(ct);
                var winner = await again.Set<Shipment>().Where(s => s.ShipperCode == shipperCode && s.TrackingNo == trackingNo).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
                if (winner is null)
                {
                    throw;
                }
                return new RegisterResult(RegisterOutcome.Existing, shipperCode, winner);
            }
            // Observers see the new shipment with its id and commit their reactions with it.
            await observers.NotifyAsync(db, [new ShipmentTransition(shipment, null, shipment.Status, now, null)], ct);
            await db.SaveChangesAsync(ct);
            // The order's number is its outgoing parcel's; a return parcel must not replace it.
            if (orderId is not null && facts?.Direction != ShipmentDirection.Reverse)
            {
                await OrderLifecycle.NameParcelAsync(db, orderId.Value, shipperCode, trackingNo, now, ct);
            }
            await tx.CommitAsync(ct);
        }

        await SubscribeAsync(shipment.Id, ct);
        return new RegisterResult(RegisterOutcome.Created, shipperCode, shipment.Id);
    }

    /// <summary>8008 with this portal's push callback. A failure is logged and left to polling; it is safe to repeat.</summary>
    public async Task<bool> SubscribeAsync(long shipmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Set<Shipment>().AsNoTracking().SingleAsync(x => x.Id == shipmentId, ct);
        var orderNo = await db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.OrderNo).FirstOrDefaultAsync(ct);
        var callback = new Uri(publicAddress.BaseUrl, TrackingEndpoints.PushPath);
        var result = await carriers.CallAsync(s.CarrierAccountId, (g, c, t) => g.SubscribeAsync(c, s.ShipperCode, s.TrackingNo, callback, orderNo, null, t), ct);
        await db.Set<Shipment>().Where(x => x.Id == shipmentId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SubscribeAttemptedAtUtc, clock.GetUtcNow().UtcDateTime), ct);
        if (!result.Success)
        {
            logger.LogWarning("Subscribing {TrackingNo} failed ({Error} {Reason}); polling covers it", s.TrackingNo, result.Error, result.Reason);
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var eta = result.Value?.EstimatedDelivery?.UtcDateTime;
        await db.Set<Shipment>().Where(x => x.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.SubscribedAtUtc, now)
            .SetProperty(x => x.EstimatedDeliveryUtc, x => eta ?? x.EstimatedDeliveryUtc)
            .SetProperty(x => x.PromisedByUtc, x => x.PromisedByUtc ?? eta)
            .SetProperty(x => x.Version, Guid.NewGuid()), ct);
        return true;
    }

    /// <summary>The named account; else an enabled account of that carrier (the default first); else the default.</summary>
    private static async Task<int?> PickAccountAsync(PortalDbContext db, int? carrierAccountId, string? shipperCode, CancellationToken ct)
    {
        var accounts = db.Set<CarrierAccount>().Where(a => !a.IsDisabled);
        if (carrierAccountId is not null)
        {
            return await accounts.Where(a => a.Id == carrierAccountId).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
        }
        return await accounts.Where(a => shipperCode != null && a.ShipperCode == shipperCode).OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct)
            ?? await accounts.OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
    }
}
