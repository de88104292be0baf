using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;
using CarrierScan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>
/// The facts and observer hooks other features build on (monitoring, notifications, returns, KPIs): kept by the ingest,
/// reported once per change, and committed atomically with the scans.
/// </summary>
[Collection(SharedPortal.Name)]
public class IngestFactsAndObserversTests(SharedPortal portal)
{
    private static readonly DateTime T0 = new(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

    private static TrackingSnapshot Snapshot(string number, ShipmentStatus status, params CarrierScan[] events) =>
        new("ZTO", number, status, null, null, null, null, events);

    private static readonly CarrierScan[] TwoAttemptsThenDelivered =
    [
        new(T0, "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp),
        new(T0.AddHours(8), "【杭州转运中心】已发出", "杭州市", "2", ShipmentStatus.InTransit),
        new(T0.AddHours(30), "【上海市】派件中", "上海市", "202", ShipmentStatus.OutForDelivery),
        new(T0.AddHours(34), "【上海市】派送不成功，客户不在", "上海市", "401", ShipmentStatus.Exception),
        new(T0.AddHours(54), "【上海市】派件中", "上海市", "202", ShipmentStatus.OutForDelivery),
        new(T0.AddHours(56), "【上海市】已签收", "上海市", "301", ShipmentStatus.Delivered),
    ];

    private TrackingIngest IngestWith(params IShipmentObserver[] observers) => new(
        portal.Factory.GetService<IDbContextFactory<PortalDbContext>>(), new ShipmentObservers(observers), portal.Factory.GetService<MerchantPortal.Web.Features.Tracking.Prediction.ShipmentPredictions>(), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new TrackingOptions { FutureScanTolerance = TimeSpan.FromDays(365) }), NullLogger<TrackingIngest>.Instance);

    private async Task<Shipment> ReloadAsync(string number)
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<Shipment>().AsNoTracking().SingleAsync(s => s.TrackingNo == number);
    }

    [Fact]
    public async Task The_ingest_keeps_first_scan_delivery_time_attempts_and_the_moment_it_became_final()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        var before = DateTime.UtcNow;

        // Out of order and in two parts, as pushes and polls deliver them.
        await IngestWith().IngestAsync([Snapshot(number, ShipmentStatus.OutForDelivery, TwoAttemptsThenDelivered[2..5])], TrackingSource.Push);
        await IngestWith().IngestAsync([Snapshot(number, ShipmentStatus.Delivered, TwoAttemptsThenDelivered)], TrackingSource.Poll);

        var s = await ReloadAsync(number);
        Assert.Equal(ShipmentStatus.Delivered, s.Status);
        Assert.Equal(T0, s.FirstScanAtUtc);
        Assert.Equal(T0.AddHours(30), s.OutForDeliveryAtUtc);
        Assert.Equal(T0.AddHours(56), s.DeliveredAtUtc);
        Assert.Equal(2, s.DeliveryAttempts);
        Assert.NotNull(s.FinalAtUtc);
        Assert.InRange(s.FinalAtUtc!.Value, before, DateTime.UtcNow);
        Assert.Equal(s.FinalAtUtc, s.StatusChangedAtUtc);
    }

    [Fact]
    public async Task Observers_hear_each_status_change_once_and_a_replay_tells_them_nothing()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        var recorder = new RecordingObserver();
        var ingest = IngestWith(recorder);

        await ingest.IngestAsync([Snapshot(number, ShipmentStatus.InTransit, TwoAttemptsThenDelivered[..2])], TrackingSource.Push);
        await ingest.IngestAsync([Snapshot(number, ShipmentStatus.InTransit, TwoAttemptsThenDelivered[..2])], TrackingSource.Push);
        await ingest.IngestAsync([Snapshot(number, ShipmentStatus.Delivered, TwoAttemptsThenDelivered)], TrackingSource.Poll);

        Assert.Equal(
            [(ShipmentStatus.Pending, ShipmentStatus.InTransit, TrackingSource.Push), (ShipmentStatus.InTransit, ShipmentStatus.Delivered, TrackingSource.Poll)],
            recorder.Seen.Select(t => (t.From!.Value, t.To, t.Source!.Value)).ToArray());
    }

    [Fact]
    public async Task What_an_observer_adds_commits_with_the_scans_and_a_failing_observer_rolls_the_scans_back()
    {
        var kept = NewZtoNumber();
        var failed = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, kept);
        await CreateShipmentAsync(portal.Factory, failed);

        await IngestWith(new OutboxObserver()).IngestAsync([Snapshot(kept, ShipmentStatus.PickedUp, TwoAttemptsThenDelivered[..1])], TrackingSource.Push);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            IngestWith(new OutboxObserver(), new FailingObserver()).IngestAsync([Snapshot(failed, ShipmentStatus.PickedUp, TwoAttemptsThenDelivered[..1])], TrackingSource.Push));

        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var keptShipment = await ReloadAsync(kept);
        var failedShipment = await ReloadAsync(failed);
        Assert.Equal(1, await db.Set<OutboxMessage>().CountAsync(m => m.ShipmentId == keptShipment.Id && m.EventType == "test.picked_up"));
        Assert.Equal(ShipmentStatus.PickedUp, keptShipment.Status);
        Assert.Equal(0, await db.Set<OutboxMessage>().CountAsync(m => m.ShipmentId == failedShipment.Id));
        Assert.Equal(0, await db.Set<MerchantPortal.Web.Features.Tracking.TrackingEvent>().CountAsync(e => e.ShipmentId == failedShipment.Id));
        Assert.Equal(ShipmentStatus.Pending, failedShipment.Status);
    }

    [Fact]
    public async Task A_shipment_registered_for_an_order_goes_from_its_warehouse_province_to_the_receivers_province()
    {
        using var api = portal.Factory.CreateApiClient();
        var orderNo = "HOOK-" + Guid.NewGuid().ToString("N")[..10];
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = "李雷", mobile = "13900139000", province = "广东省", city = "深圳市", district = "南山区", address = "科技园 1 号" },
            lines = new[] { new { sku = "SKU-H", name = "茶叶", quantity = 1, unitPrice = 10.0m, weightKg = 0.5m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var warehouse = await db.Set<Warehouse>().OrderBy(w => w.Id).FirstAsync();
            await db.Set<Order>().Where(o => o.OrderNo == orderNo).ExecuteUpdateAsync(u => u.SetProperty(o => o.WarehouseId, warehouse.Id));
        }
        var number = NewZtoNumber();

        var result = await portal.Factory.GetService<ShipmentService>().RegisterAsync(orderNo, "ZTO", number, null, new ShipmentFacts(ServiceType: "standard"));

        Assert.Equal(RegisterOutcome.Created, result.Outcome);
        await using var check = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var shipment = await check.Set<Shipment>().SingleAsync(s => s.TrackingNo == number);
        var order = await check.Set<Order>().SingleAsync(o => o.OrderNo == orderNo);
        var origin = await check.Set<Warehouse>().Where(w => w.Id == order.WarehouseId).Select(w => w.Province).SingleAsync();
        Assert.Equal(origin, shipment.OriginProvince);
        Assert.Equal(order.Province, shipment.DestinationProvince);
        Assert.Equal(order.WarehouseId, shipment.WarehouseId);
        Assert.Equal("standard", shipment.ServiceType);
        Assert.Equal(ShipmentDirection.Forward, shipment.Direction);
        Assert.Equal(number, order.TrackingNo);
    }

    private sealed class RecordingObserver : IShipmentObserver
    {
        public List<ShipmentTransition> Seen { get; } = [];

        public Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
        {
            Seen.AddRange(transitions);
            return Task.CompletedTask;
        }
    }

    private sealed class OutboxObserver : IShipmentObserver
    {
        public Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
        {
            foreach (var t in transitions)
            {
                Outbox.EnqueueWebhook(db, "test.picked_up", new { t.Shipment.TrackingNo }, t.AtUtc, shipmentId: t.Shipment.Id);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class FailingObserver : IShipmentObserver
    {
        public Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct) =>
            throw new InvalidOperationException("observer failed");
    }
}
