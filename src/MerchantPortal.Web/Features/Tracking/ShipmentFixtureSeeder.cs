using System.Data.Common;
using System.Globalization;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Features.Orders.OrderBulkWriter;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Fixture shipments (<see cref="DemoDataMode.Fixture"/>, for tests): painted for the shipped fixture orders, not
/// issued or tracked through the carrier (numbers and timelines are made up here, so they need not agree with the
/// sandbox); the demo a person reads is the real run (DemoRun). For the shipped fixture orders (up to
/// DemoData:Shipments, 3,000 by default, spread over the orders' whole period, oldest orders first in time): every carrier account, every state, histories with the rhythm of Chinese express
/// networks (pickup → outlet → hubs → outlet → out for delivery → signed, with failed attempts, lockers, exceptions,
/// refusals and returns), about two thirds subscribed for pushes and the rest polled, and the facts KPIs read.
/// Deterministic (the demo seed), prepared commands in one transaction (P10: start ≤ 10 s). Skipped when any
/// shipment exists.
/// </summary>
public sealed class ShipmentFixtureSeeder(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<ShipmentFixtureSeeder> logger) : IDemoDataSeeder
{
    private static readonly string[] Couriers = ["张师傅", "王师傅", "李师傅", "赵师傅", "刘师傅", "陈师傅"];

    /// <summary>After the orders and the carrier accounts.</summary>
    public int Order => 20;

    private sealed record Source(long OrderId, OrderStatus Status, string Province, string City, int? WarehouseId, string? CarrierCode, string TrackingNo, DateTime CreatedAtUtc);

    private sealed record Scan(DateTime At, string Action, string Description, string City, ShipmentStatus Status);

    public async Task SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        var target = options.Shipments;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (options.Mode != DemoDataMode.Fixture || target <= 0 || await db.Set<Shipment>().AnyAsync(ct))
        {
            return;
        }
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.ShipperCode }).ToListAsync(ct);
        var shipped = await db.Set<Order>().AsNoTracking()
            .Where(o => o.TrackingNo != null && (o.Status == OrderStatus.WaybillIssued || o.Status == OrderStatus.Shipped || o.Status == OrderStatus.Delivered
                || o.Status == OrderStatus.Exception || o.Status == OrderStatus.Returned))
            .OrderBy(o => o.Id)
            .Select(o => new Source(o.Id, o.Status, o.Province, o.City, o.WarehouseId, o.CarrierCode, o.TrackingNo!, o.CreatedAtUtc))
            .ToListAsync(ct);
        if (accounts.Count == 0 || shipped.Count == 0)
        {
            return;
        }
        var warehouses = await db.Set<Warehouse>().AsNoTracking().ToDictionaryAsync(w => w.Id, w => (w.Province, w.City), ct);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(options.Seed + 5);
        var now = clock.GetUtcNow().UtcDateTime;
        var step = Math.Max(1, shipped.Count / target);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insertShipment = InsertShipment(connection, tx, db.Database);
        string[] eventColumns = ["ShipmentId", "TimeUtc", "Description", "Location", "RawAction", "Status", "Source", "DedupeKey", "DatedInFuture"];
        await using var insertEvent = Prepare(connection, tx, RawSql.Insert("TrackingEvents", eventColumns), eventColumns);
        var count = 0;
        for (var i = 0; i < shipped.Count && count < target; i += step, count++)
        {
            var order = shipped[i];
            var account = accounts.FirstOrDefault(a => a.ShipperCode == order.CarrierCode) ?? accounts[count % accounts.Count];
            (string Province, string City) origin = order.WarehouseId is { } w && warehouses.TryGetValue(w, out var wh) ? wh : ("浙江省", "杭州市");
            var (scans, status) = Journey(order, origin.City, random, now);
            var pushed = random.NextDouble() < 0.65;
            var source = pushed ? TrackingSource.Push : TrackingSource.Poll;
            var shipmentId = await WriteShipmentAsync(insertShipment, order, account.Id, account.ShipperCode, origin, scans, status, pushed, random, now, ct);
            foreach (var scan in scans)
            {
                Set(insertEvent, shipmentId, scan.At, scan.Description, scan.City, scan.Action, scan.Status.ToString(), source.ToString(), TrackingEvent.KeyOf(scan.At, scan.Description), false);
                await insertEvent.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Generated {Count} fixture shipments in {Elapsed}", count, started.Elapsed);
    }

    /// <summary>The scans up to now and the status they leave, following the order's own status.</summary>
    private static (List<Scan> Scans, ShipmentStatus Status) Journey(Source order, string originCity, Random random, DateTime now)
    {
        var scans = new List<Scan>();
        var destinationCity = order.City;
        var origin = City(originCity);
        var destination = City(destinationCity);
        var t = order.CreatedAtUtc.AddHours(4 + random.NextDouble() * 20);
        if (order.Status == OrderStatus.WaybillIssued || t > now)
        {
            return (scans, ShipmentStatus.Pending);
        }
        var courier = Couriers[random.Next(Couriers.Length)];
        var phone = "13" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        void Add(double hours, string action, string text, string city, ShipmentStatus status)
        {
            t = t.AddHours(hours);
            scans.Add(new(t, action, $"【{city}】{text}", city, status));
        }
        Add(0, "1", $"【{origin}城东营业部】已揽收,揽投员: {courier} {phone}", originCity, ShipmentStatus.PickedUp);
        Add(1 + random.NextDouble() * 3, "2", $"快件已从【{origin}城东营业部】发出,准备发往【{origin}转运中心】", originCity, ShipmentStatus.InTransit);
        Add(1 + random.NextDouble() * 2, "204", $"快件已到达【{origin}转运中心】", originCity, ShipmentStatus.InTransit);
        Add(0.3 + random.NextDouble() * 2, "2", $"快件已从【{origin}转运中心】发出,准备发往【{destination}转运中心】", originCity, ShipmentStatus.InTransit);
        var haul = TrunkHours(originCity, destinationCity) * (0.85 + random.NextDouble() * 0.35);
        var fate = random.NextDouble();
        var exception = order.Status == OrderStatus.Exception;
        if (exception && fate < 0.4)
        {
            Add(haul / 2, "4", "快件在途中滞留,原因: 天气原因延误", originCity, ShipmentStatus.Exception);
            return Until(scans, now, order, random);
        }
        Add(haul, "204", $"快件已到达【{destination}转运中心】", destinationCity, ShipmentStatus.InTransit);
        Add(0.3 + random.NextDouble() * 2, "2", $"快件已从【{destination}转运中心】发出,准备发往【{destination}城南营业部】", destinationCity, ShipmentStatus.InTransit);
        Add(1 + random.NextDouble() * 3, "201", $"快件已到达【{destination}城南营业部】", destinationCity, ShipmentStatus.InTransit);
        var deliveryCourier = Couriers[random.Next(Couriers.Length)];
        var deliveryPhone = "15" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        Add(1 + random.NextDouble() * 4, "202", $"派件员 {deliveryCourier} {deliveryPhone} 正在为您派件", destinationCity, ShipmentStatus.OutForDelivery);
        if (exception)
        {
            Add(1 + random.NextDouble() * 3, "405", "派件异常,原因: 电话无人接听", destinationCity, ShipmentStatus.Exception);
            return Until(scans, now, order, random);
        }
        if (order.Status == OrderStatus.Returned)
        {
            Add(0.5 + random.NextDouble() * 2, "404", "收件人拒收,原因:未购买此商品,快件将退回寄件人", destinationCity, ShipmentStatus.Returning);
            Add(6 + random.NextDouble() * 6, "407", "退回件已发出,正在退回寄件人", destinationCity, ShipmentStatus.Returning);
            Add(haul, "407", $"退回件已到达【{origin}转运中心】", originCity, ShipmentStatus.Returning);
            Add(4 + random.NextDouble() * 6, "406", "退件已签收,签收人: 寄件人本人", originCity, ShipmentStatus.Returned);
            return Until(scans, now, order, random);
        }
        if (fate < 0.08)
        {
            Add(1 + random.NextDouble() * 4, "405", "派件异常,原因: 收件人不在家,已预约明日派送", destinationCity, ShipmentStatus.Exception);
            Add(18 + random.NextDouble() * 4, "202", $"派件员 {deliveryCourier} {deliveryPhone} 正在为您再次派件", destinationCity, ShipmentStatus.OutForDelivery);
        }
        else if (fate < 0.18)
        {
            Add(0.5 + random.NextDouble() * 2, "211", $"快件已放入【丰巢】,取件码 {random.Next(100000, 999999)},请及时取件", destinationCity, ShipmentStatus.AvailableForPickup);
            if (order.Status != OrderStatus.Shipped)
            {
                Add(1 + random.NextDouble() * 16, "311", "已签收,快件已从【丰巢】取出", destinationCity, ShipmentStatus.Delivered);
            }
            return Until(scans, now, order, random);
        }
        Add(0.5 + random.NextDouble() * 4, fate < 0.3 ? "304" : "301", fate < 0.3 ? "已签收,签收人: 门卫代收" : "已签收,签收人: 本人", destinationCity, ShipmentStatus.Delivered);
        return Until(scans, now, order, random);
    }

    /// <summary>
    /// Only what has happened by now. Orders still marked shipped stop somewhere on the way (in transit, out for
    /// delivery, at a locker), a third of returns are still travelling back, and a moving parcel silent for over
    /// 5 days is expired (the aggregator's 403).
    /// </summary>
    private static (List<Scan>, ShipmentStatus) Until(List<Scan> scans, DateTime now, Source order, Random random)
    {
        scans.RemoveAll(s => s.At > now);
        if (order.Status == OrderStatus.Shipped && scans.Count > 1 && scans[^1].Status != ShipmentStatus.AvailableForPickup)
        {
            var keep = random.Next(1, scans.Count);
            scans.RemoveRange(keep, scans.Count - keep);
        }
        if (order.Status == OrderStatus.Returned && scans.Count > 1 && random.NextDouble() < 0.33)
        {
            scans.RemoveAt(scans.Count - 1);
        }
        if (scans.Count == 0)
        {
            return (scans, ShipmentStatus.Pending);
        }
        var last = scans[^1].Status;
        var silent = now - scans[^1].At > TimeSpan.FromDays(5);
        // A failed delivery attempt or a return on its way stays what it is; a parcel stuck in the network expires.
        return (scans, !last.IsFinal() && silent && scans[^1].Action is not ("405" or "404" or "407") ? ShipmentStatus.Expired : last);
    }

    private static double TrunkHours(string from, string to) =>
        ChinaProvinces.Locate(from) is { } a && ChinaProvinces.Locate(to) is { } b
            ? PollSchedule.TrunkHaul(ChinaProvinces.DistanceKm(a.Province with { Lat = a.Lat, Lon = a.Lon }, b.Province with { Lat = b.Lat, Lon = b.Lon })).TotalHours
            : 20;

    private static string City(string city) => city.EndsWith('市') ? city[..^1] : city;

    private static DbCommand InsertShipment(DbConnection connection, DbTransaction tx, Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database)
    {
        string[] columns =
        [
            "OrderId", "Direction", "CarrierAccountId", "ShipperCode", "TrackingNo", "Status", "RawState", "RawStateEx", "Location",
            "LastEventAtUtc", "LastCheckedAtUtc", "NextCheckAtUtc", "LastSource", "SubscribedAtUtc", "EstimatedDeliveryUtc", "CreatedAtUtc",
            "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince", "FirstScanAtUtc", "OutForDeliveryAtUtc", "DeliveredAtUtc",
            "FinalAtUtc", "StatusChangedAtUtc", "PromisedByUtc", "DeliveryAttempts", "Version",
        ];
        return Prepare(connection, tx, RawSql.InsertReturningId(database, "Shipments", columns), columns);
    }

    private static async Task<long> WriteShipmentAsync(DbCommand insert, Source order, int accountId, string shipperCode, (string Province, string City) origin,
        List<Scan> scans, ShipmentStatus status, bool pushed, Random random, DateTime now, CancellationToken ct)
    {
        var first = scans.Count > 0 ? scans[0].At : (DateTime?)null;
        var last = scans.Count > 0 ? scans[^1] : null;
        // The carrier's promise: the trunk haul plus a day for the first and last mile.
        var eta = (first ?? order.CreatedAtUtc).AddHours(TrunkHours(origin.City, order.City) + 24);
        var delivered = status == ShipmentStatus.Delivered ? last?.At : null;
        var final = status.IsFinal() ? last?.At.AddMinutes(random.Next(1, pushed ? 5 : 90)) : null;
        var checkedAt = last is null ? order.CreatedAtUtc : last.At.AddMinutes(random.Next(1, pushed ? 5 : 90));
        var input = new PollInput(status, last?.At, last is null ? ScanKind.Unknown : PollSchedule.KindOf(last.Action, last.Description, last.Status), last?.City, order.Province, eta);
        var next = PollSchedule.NextCheck(input, checkedAt > now ? now : checkedAt, pushed);
        Set(insert, order.OrderId, nameof(ShipmentDirection.Forward), accountId, shipperCode, order.TrackingNo, status.ToString(),
            last is null ? "0" : JourneyState(last.Action), last?.Action, last?.City, last?.At, checkedAt, next is { } n && n < now ? now.AddMinutes(random.Next(5, 240)) : next,
            (pushed ? TrackingSource.Push : TrackingSource.Poll).ToString(), pushed ? order.CreatedAtUtc.AddMinutes(2) : null, eta, order.CreatedAtUtc,
            "标准快递", order.WarehouseId, origin.Province, order.Province, first, scans.FirstOrDefault(s => s.Status == ShipmentStatus.OutForDelivery)?.At, delivered,
            final, last?.At ?? order.CreatedAtUtc, eta, scans.Count(s => s.Status == ShipmentStatus.OutForDelivery), Version(insert));
        return Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>EF keeps a Guid as uppercase TEXT on SQLite and as uniqueidentifier on SQL Server.</summary>
    private static object Version(DbCommand command) =>
        command.Connection is Microsoft.Data.Sqlite.SqliteConnection ? Guid.NewGuid().ToString().ToUpperInvariant() : Guid.NewGuid();

    private static string JourneyState(string action) => action switch
    {
        "1" => "1",
        "301" or "304" or "311" or "406" => "3",
        _ when action.StartsWith('4') => "4",
        _ => "2",
    };
}
