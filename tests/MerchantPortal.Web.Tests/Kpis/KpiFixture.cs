using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// The hand-computed fixture of docs/kpis.md's definitions. Carrier KPA, all final on 2026-10-05 (Beijing):
///
/// | # | lane (from 浙江省) | final     | transit h | promise (SLA: →广东省 2 d, else 3 d)      | attempts | exception | return        |
/// |---|-------------------|-----------|-----------|-------------------------------------------|----------|-----------|---------------|
/// | 1 | → 广东省 (X)       | Delivered | 20.5      | rule, on time                              | 1        |           |               |
/// | 2 | → 广东省 (X)       | Delivered | 25        | rule, on time                              | 1        |           |               |
/// | 3 | → 广东省 (X)       | Delivered | 70        | rule, late                                 | 2        | yes       |               |
/// | 4 | → 北京市 (Y)       | Delivered | 30        | none (registered before any rule, no ETA)  | 1        |           |               |
/// | 5 | → 北京市 (Y)       | Delivered | 100       | rule, late                                 | 0        |           |               |
/// | 6 | → 北京市 (Y)       | Returned  |           |                                            |          | yes       | status        |
/// | 7 | → 广东省 (X)       | Expired   |           |                                            |          |           |               |
/// | 8 | → 北京市 (Y)       | Delivered | 20.9      | carrier ETA, on time                       | 1        |           | return parcel |
///
/// Hence KPA: 8 final, 6 delivered (75 %), on time 3 of 5 with a promise (60 %), first attempt 5 of 6, exceptions
/// 2 of 8, returns 2 of 8, transit buckets {10: 2, 12: 1, 15: 1, 35: 1, 50: 1} → p50 26 h, p90 100.8 h, mean 44.4 h.
/// Carrier KPB has two deliveries either side of Beijing midnight (2026-10-05 23:59 on time, 2026-10-06 00:30 late).
/// </summary>
internal static class KpiFixture
{
    public static readonly DateOnly Day = new(2026, 10, 5);
    public const string Carrier = "KPA", OtherCarrier = "KPB", Origin = "浙江省", LaneX = "广东省", LaneY = "北京市";

    public static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static string TrackingNo(int n) => $"KPA-FIX-{n:00}";

    public static async Task SeedAsync(PortalFactory factory)
    {
        var sla = factory.GetService<SlaRuleService>();
        await sla.SaveAsync(null, new SlaRuleInput(Carrier, null, LaneX, 2), "test");
        await sla.SaveAsync(null, new SlaRuleInput(Carrier, null, null, 3), "test");

        var dbFactory = factory.GetService<IDbContextFactory<PortalDbContext>>();
        var promise = factory.GetService<IDeliveryPromise>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var order = NewOrder("KPI-FIX-ORDER-8");
        db.Add(order);
        await db.SaveChangesAsync();

        // (n, lane, status, delivered or final at, transit hours, promise: "rule" | "none" | "eta", attempts, exception)
        var rows = new (int N, string Lane, ShipmentStatus Status, DateTime FinalAt, double? Transit, string Promise, int Attempts, bool Exception)[]
        {
            (1, LaneX, ShipmentStatus.Delivered, Utc(10, 5, 4), 20.5, "rule", 1, false),
            (2, LaneX, ShipmentStatus.Delivered, Utc(10, 5, 5), 25, "rule", 1, false),
            (3, LaneX, ShipmentStatus.Delivered, Utc(10, 5, 6), 70, "rule", 2, true),
            (4, LaneY, ShipmentStatus.Delivered, Utc(10, 5, 7), 30, "none", 1, false),
            (5, LaneY, ShipmentStatus.Delivered, Utc(10, 5, 8), 100, "rule", 0, false),
            (6, LaneY, ShipmentStatus.Returned, Utc(10, 5, 9), null, "none", 1, true),
            (7, LaneX, ShipmentStatus.Expired, Utc(10, 5, 10), null, "none", 0, false),
            (8, LaneY, ShipmentStatus.Delivered, Utc(10, 5, 11), 20.9, "eta", 1, false),
        };
        foreach (var r in rows)
        {
            var firstScan = r.Transit is { } h ? r.FinalAt.AddHours(-h) : r.FinalAt.AddDays(-3);
            var s = NewShipment(account, Carrier, TrackingNo(r.N), r.Lane, r.Status, firstScan, r.FinalAt, r.Attempts);
            s.OrderId = r.N == 8 ? order.Id : null;
            s.EstimatedDeliveryUtc = r.Promise == "eta" ? Utc(10, 5, 12) : null;
            s.PromisedByUtc = r.Promise == "rule" ? await promise.PromisedByAsync(db, s, default) : null;
            db.Add(s);
            await db.SaveChangesAsync();
            if (r.Exception)
            {
                db.Add(Event(s.Id, firstScan.AddHours(10), ShipmentStatus.Exception));
            }
            db.Add(Event(s.Id, r.FinalAt, r.Status));
        }
        var reverse = NewShipment(account, Carrier, "KPA-FIX-08-R", Origin, ShipmentStatus.InTransit, Utc(10, 8, 1), null, 0);
        (reverse.Direction, reverse.OrderId, reverse.FinalAtUtc) = (ShipmentDirection.Reverse, order.Id, null);
        db.Add(reverse);

        // KPB: either side of Beijing midnight between 10-05 and 10-06.
        var b1 = NewShipment(account, OtherCarrier, "KPB-FIX-01", LaneX, ShipmentStatus.Delivered, Utc(10, 4, 9, 59), Utc(10, 5, 15, 59), 1);
        b1.PromisedByUtc = Utc(10, 5, 15, 59);
        var b2 = NewShipment(account, OtherCarrier, "KPB-FIX-02", LaneX, ShipmentStatus.Delivered, Utc(10, 4, 10, 30), Utc(10, 5, 16, 30), 1);
        b2.PromisedByUtc = Utc(10, 5, 15, 59);
        db.AddRange(b1, b2);
        await db.SaveChangesAsync();

        await factory.GetService<KpiRollup>().RunAsync(default);
    }

    public static Shipment NewShipment(int accountId, string carrier, string trackingNo, string destination, ShipmentStatus status, DateTime firstScan, DateTime? finalAt, int attempts) => new()
    {
        CarrierAccountId = accountId,
        ShipperCode = carrier,
        TrackingNo = trackingNo,
        Status = status,
        CreatedAtUtc = firstScan.AddHours(-2),
        Version = Guid.NewGuid(),
        OriginProvince = Origin,
        DestinationProvince = destination,
        WarehouseId = 1,
        ServiceType = "standard",
        FirstScanAtUtc = firstScan,
        DeliveredAtUtc = status == ShipmentStatus.Delivered ? finalAt : null,
        FinalAtUtc = finalAt,
        StatusChangedAtUtc = finalAt ?? firstScan,
        DeliveryAttempts = attempts,
    };

    public static Order NewOrder(string orderNo) => new()
    {
        OrderNo = orderNo,
        ReceiverName = "测试",
        ReceiverPhone = "13800001111",
        PhoneLast4 = "1111",
        Province = LaneY,
        Status = OrderStatus.Shipped,
        CreatedAtUtc = Utc(10, 1, 0),
        UpdatedAtUtc = Utc(10, 1, 0),
    };

    private static TrackingEvent Event(long shipmentId, DateTime at, ShipmentStatus status) => new()
    {
        ShipmentId = shipmentId,
        TimeUtc = at,
        Description = status.ToString(),
        Status = status,
        Source = TrackingSource.Push,
        DedupeKey = TrackingEvent.KeyOf(at, status.ToString()),
    };
}
