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
                if (await OrderSideAsync(db, orderNo.Trim(), facts, ct) is not { } side)
                {
                    return new RegisterResult(RegisterOutcome.OrderNotFound);
                }
                (orderId, facts) = side;
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
            if (await RecogniseAsync(accountId, carrierAccountId, trackingNo, ct) is not { } recognised)
            {
                return new RegisterResult(RegisterOutcome.CarrierNotRecognised);
            }
            (shipperCode, accountId) = recognised;
        }

        var shipment = NewShipment(orderId, facts, accountId, shipperCode, trackingNo, clock.GetUtcNow().UtcDateTime);
        if (await StoreAsync(shipment, ct) is { } existing)
        {
            return new RegisterResult(RegisterOutcome.Existing, shipperCode, existing);
        }
        await SubscribeAsync(shipment.Id, ct);
        return new RegisterResult(RegisterOutcome.Created, shipperCode, shipment.Id);
    }

    /// <summary>The order the parcel belongs to (null: no such order) and the lane its facts take from it.</summary>
    private static async Task<(long? OrderId, ShipmentFacts Facts)?> OrderSideAsync(PortalDbContext db, string orderNo, ShipmentFacts facts, CancellationToken ct)
    {
        var order = await db.Set<Order>().Where(o => o.OrderNo == orderNo)
            .Select(o => new { o.Id, o.Province, o.WarehouseId }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return null;
        }
        // A forward parcel goes from the warehouse to the receiver; a return comes back the other way.
        var warehouseId = facts.WarehouseId ?? order.WarehouseId;
        var warehouseProvince = warehouseId is null ? null
            : await db.Set<Warehouse>().Where(w => w.Id == warehouseId).Select(w => w.Province).FirstOrDefaultAsync(ct);
        var reverse = facts.Direction == ShipmentDirection.Reverse;
        return (order.Id, facts with
        {
            WarehouseId = warehouseId,
            OriginProvince = facts.OriginProvince ?? (reverse ? order.Province : warehouseProvince),
            DestinationProvince = facts.DestinationProvince ?? (reverse ? warehouseProvince : order.Province),
        });
    }

    /// <summary>
    /// The carrier of a tracking number from the aggregator (null: not recognised), and the account to follow it with:
    /// the one asked for, else the recognised carrier's.
    /// </summary>
    private async Task<(string ShipperCode, int AccountId)?> RecogniseAsync(int accountId, int? requestedAccountId, string trackingNo, CancellationToken ct)
    {
        // carrier-protocol.md §2.9: 2002 may name several candidates; the first is the aggregator's best guess.
        var recognised = await carriers.CallAsync(accountId, (g, c, t) => g.RecogniseCarrierAsync(c, trackingNo, t), ct);
        if (recognised is not { Success: true, Value: [var first, ..] })
        {
            return null;
        }
        if (requestedAccountId is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            accountId = await PickAccountAsync(db, null, first.ShipperCode, ct) ?? accountId;
        }
        return (first.ShipperCode, accountId);
    }

    internal static Shipment NewShipment(long? orderId, ShipmentFacts facts, int accountId, string shipperCode, string trackingNo, DateTime now) => new()
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

    /// <summary>
    /// Stores a new shipment with its observers' reactions and names it on its order, in one transaction; answers the
    /// id of the shipment that already follows this carrier and number instead, if one does (null: stored).
    /// </summary>
    internal async Task<long?> StoreAsync(Shipment shipment, CancellationToken ct)
    {
        var (shipperCode, trackingNo, now) = (shipment.ShipperCode, shipment.TrackingNo, shipment.CreatedAtUtc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Set<Shipment>().Where(s => s.ShipperCode == shipperCode && s.TrackingNo == trackingNo).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            return existing;
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
            return winner;
        }
        // Observers see the new shipment with its id and commit their reactions with it.
        await observers.NotifyAsync(db, [new ShipmentTransition(shipment, null, shipment.Status, now, null)], ct);
        await db.SaveChangesAsync(ct);
        // The order's number is its outgoing parcel's; a return parcel must not replace it.
        if (shipment.OrderId is { } orderId && shipment.Direction != ShipmentDirection.Reverse)
        {
            await OrderLifecycle.NameParcelAsync(db, orderId, shipperCode, trackingNo, now, ct);
        }
        await tx.CommitAsync(ct);
        return null;
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
