using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Handover;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit;
using SandboxCarriers = MerchantPortal.CarrierSandbox.Simulation.Carriers;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.DemoData;

/// <summary>
/// One portal with the real demo run (small: 160 orders over eight days), waited for once; every test
/// reads what it left. The checks run over ALL demo rows, not a sample: a newcomer reads any of them.
/// </summary>
public sealed class DemoRunPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?>
    {
        ["DemoData:Mode"] = "Run",
        ["DemoData:Orders"] = "160",
        ["DemoData:Days"] = "8",
    });

    public async Task InitializeAsync()
    {
        Factory.Start();
        var progress = Factory.GetService<DemoRunProgress>();
        await progress.Finished.WaitAsync(TimeSpan.FromMinutes(4));
        Assert.True(progress.State == DemoRunState.Completed, $"The demo run ended {progress.State}: {progress.Failure}");
    }

    public async Task<PortalDbContext> DbAsync() => await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

public sealed class DemoRunTests(DemoRunPortal portal) : IClassFixture<DemoRunPortal>
{
    [Fact]
    public async Task Every_tracking_number_has_the_format_its_carrier_issues()
    {
        await using var db = await portal.DbAsync();
        var shipments = await db.Set<Shipment>().AsNoTracking().Select(s => new { s.ShipperCode, s.TrackingNo }).ToListAsync();
        var waybills = await db.Set<Waybill>().AsNoTracking().Select(w => new { w.ShipperCode, w.TrackingNo }).ToListAsync();
        var carriers = new SandboxCarriers();
        Assert.NotEmpty(shipments);
        var wrong = shipments.Concat(waybills).Where(s => carriers.Find(s.ShipperCode)?.Pattern.IsMatch(s.TrackingNo) != true).ToList();
        Assert.True(wrong.Count == 0, "Carrier and number disagree: " + string.Join(", ", wrong.Take(10)));
    }

    [Fact]
    public async Task No_scan_is_dated_after_the_portals_now()
    {
        var now = portal.Factory.GetService<TimeProvider>().GetUtcNow().UtcDateTime;
        await using var db = await portal.DbAsync();
        var latest = await db.Set<TrackingEvent>().MaxAsync(e => (DateTime?)e.TimeUtc);
        Assert.NotNull(latest);
        Assert.True(latest <= now.AddMinutes(10), $"A scan is dated {latest:O}, after the portal's now {now:O}");
        // After the run the portal's clock is the machine's again.
        Assert.True(Math.Abs((now - DateTime.UtcNow).TotalMinutes) < 1, $"The portal's now {now:O} is not the system time");
    }

    [Fact]
    public async Task Every_timeline_tells_one_journey_and_the_route_follows_it()
    {
        await using var db = await portal.DbAsync();
        var events = (await db.Set<TrackingEvent>().AsNoTracking()
            .Select(e => new { e.ShipmentId, e.TimeUtc, e.Location, e.Description, e.Status, e.RawAction }).ToListAsync())
            .GroupBy(e => e.ShipmentId).ToList();
        var shipments = await db.Set<Shipment>().AsNoTracking().ToDictionaryAsync(s => s.Id);
        Assert.NotEmpty(events);
        var problems = new List<string>();
        foreach (var group in events)
        {
            var timeline = group.OrderBy(e => e.TimeUtc).ToList();
            var shipment = shipments[group.Key];
            // One pickup scan, before every movement; nothing after a final scan.
            var pickups = timeline.Count(e => e.Status == ShipmentStatus.PickedUp);
            var firstMove = timeline.FindIndex(e => e.Status is not (ShipmentStatus.Pending or ShipmentStatus.PickedUp));
            var pickup = timeline.FindIndex(e => e.Status == ShipmentStatus.PickedUp);
            var final = timeline.FindIndex(e => e.Status is ShipmentStatus.Delivered or ShipmentStatus.Returned);
            if (pickups > 1 || (firstMove >= 0 && (pickup < 0 || pickup > firstMove)) || (final >= 0 && final != timeline.Count - 1))
            {
                problems.Add($"{shipment.TrackingNo}: {string.Join(" → ", timeline.Select(e => e.RawAction))}");
                continue;
            }
            // The route picture's stops are the scans' cities in the order the parcel reached them.
            var cities = new List<string>();
            foreach (var e in timeline)
            {
                if ((ChinaProvinces.Locate(e.Location) ?? ChinaProvinces.Locate(e.Description)) is { } place && (cities.Count == 0 || cities[^1] != place.NameZh))
                {
                    cities.Add(place.NameZh);
                }
            }
            var route = RouteStops.From(timeline.AsEnumerable().Reverse().Select(e => new ShipmentEventView(e.TimeUtc, e.Location, e.Description, e.Status)),
                    shipment.OriginProvince, shipment.DestinationProvince, shipment.Status == ShipmentStatus.Delivered)
                // The destination stop is drawn from the address (a province's capital) until delivery, so it is not a scan's city.
                .Where(s => s.Reached && s.Kind != RouteStopKind.Destination).Select(s => s.Place.NameZh).ToList();
            if (!cities.Take(route.Count).SequenceEqual(route))
            {
                problems.Add($"{shipment.TrackingNo}: route {string.Join(" → ", route)} but scans {string.Join(" → ", cities)}");
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} timelines contradict themselves or their route: " + string.Join("; ", problems.Take(5)));
    }

    [Fact]
    public async Task Every_address_has_a_district_of_its_own_city()
    {
        var districts = new DemoAddresses();
        await using var db = await portal.DbAsync();
        var orders = await db.Set<Order>().AsNoTracking().Select(o => new { o.OrderNo, o.City, o.District }).ToListAsync();
        var pickups = await db.Set<Pickup>().AsNoTracking().Select(p => new { OrderNo = p.OrderCode, p.City, p.District }).ToListAsync();
        Assert.NotEmpty(orders);
        var wrong = orders.Concat(pickups).Where(o => !districts.DistrictsOf(o.City).Contains(o.District)).ToList();
        Assert.True(wrong.Count == 0, "Districts outside their city: " + string.Join(", ", wrong.Take(10)));
    }

    [Fact]
    public async Task Exception_cases_come_from_several_rules_and_fall_due_at_different_times()
    {
        await using var db = await portal.DbAsync();
        var cases = await db.Set<ExceptionCase>().AsNoTracking().Select(c => new { c.Type, c.DueAtUtc }).ToListAsync();
        var types = cases.Select(c => c.Type).Distinct().ToList();
        Assert.True(types.Count >= 4, "Case types: " + string.Join(", ", types));
        // No single rule is the whole queue, and the queue is not due all at one minute.
        Assert.True(cases.GroupBy(c => c.Type).Max(g => g.Count()) < cases.Count * 0.8, string.Join(", ", cases.GroupBy(c => c.Type).Select(g => $"{g.Key} {g.Count()}")));
        Assert.True(cases.Select(c => c.DueAtUtc.Ticks / TimeSpan.TicksPerMinute).Distinct().Count() >= cases.Count / 10);
    }

    [Fact]
    public async Task Every_order_past_its_waybill_has_a_shipment()
    {
        await using var db = await portal.DbAsync();
        var shipped = await db.Set<Order>().AsNoTracking()
            .Where(o => o.Status == OrderStatus.WaybillIssued || o.Status == OrderStatus.Shipped || o.Status == OrderStatus.Delivered
                || o.Status == OrderStatus.Exception || o.Status == OrderStatus.Returned)
            .Where(o => !db.Set<Shipment>().Any(s => s.OrderId == o.Id && s.Direction == ShipmentDirection.Forward))
            .Select(o => o.OrderNo + " " + o.Status).ToListAsync();
        Assert.True(shipped.Count == 0, "Orders without their shipment: " + string.Join(", ", shipped.Take(10)));
    }

    [Fact]
    public async Task Every_pickup_was_collected_inside_its_window()
    {
        await using var db = await portal.DbAsync();
        var pickups = await db.Set<Pickup>().AsNoTracking().Where(p => p.CollectedAtUtc != null).ToListAsync();
        Assert.NotEmpty(pickups);
        var outside = pickups.Where(p => p.CollectedAtUtc < p.WindowStartUtc || p.CollectedAtUtc > p.WindowEndUtc)
            .Select(p => $"{p.OrderCode} {p.WindowStartUtc:MM-dd HH:mm}–{p.WindowEndUtc:HH:mm} collected {p.CollectedAtUtc:MM-dd HH:mm}").ToList();
        Assert.True(outside.Count == 0, "Collected outside the window: " + string.Join(", ", outside.Take(10)));
    }

    [Fact]
    public async Task Every_parcel_issued_was_packed_and_scanned_onto_its_own_carriers_pickup()
    {
        await using var db = await portal.DbAsync();
        var live = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null).Select(w => new { w.Id, w.TrackingNo, w.ShipperCode }).ToListAsync();
        Assert.NotEmpty(live);
        var packed = await db.Set<PackRecord>().AsNoTracking().ToDictionaryAsync(p => p.WaybillId);
        var accepted = await db.Set<HandoverScan>().AsNoTracking().Where(s => s.Outcome == HandoverScanOutcome.Accepted)
            .Join(db.Set<CarrierHandover>(), s => s.HandoverId, h => h.Id, (s, h) => new { s.AcceptedWaybillId, h.ShipperCode, h.ClosedAtUtc })
            .ToDictionaryAsync(s => s.AcceptedWaybillId!.Value);
        var unpacked = live.Where(w => !packed.TryGetValue(w.Id, out var p) || p.WeightKg <= 0 || p.TrackingNo != w.TrackingNo).Select(w => w.TrackingNo).ToList();
        Assert.True(unpacked.Count == 0, "Issued but not packed: " + string.Join(", ", unpacked.Take(10)));
        var notHandedOver = live.Where(w => !accepted.TryGetValue(w.Id, out var h) || h.ShipperCode != w.ShipperCode || h.ClosedAtUtc is null).Select(w => w.TrackingNo).ToList();
        Assert.True(notHandedOver.Count == 0, "Not on a closed pickup of its carrier: " + string.Join(", ", notHandedOver.Take(10)));
        Assert.True(packed.Values.Select(p => p.Station).Distinct().Count() > 1, "one packing station did all the work");
    }

    [Fact]
    public async Task Every_main_page_has_data()
    {
        using var api = portal.Factory.CreateApiClient();
        foreach (var path in new[] { "api/v1/orders?limit=5", "api/v1/shipments?limit=5", "api/v1/exceptions?limit=5", "api/v1/returns?limit=5", "api/v1/waybill-batches?limit=5", "api/v1/kpis/carriers?days=30" })
        {
            var body = await api.GetFromJsonAsync<JsonElement>(path);
            var items = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("items");
            Assert.True(items.GetArrayLength() > 0, $"{path} is empty");
        }
        Assert.NotEmpty(await portal.Factory.GetService<FreightBillService>().ListAsync());
        await using var db = await portal.DbAsync();
        Assert.True(await db.Set<RateCardRow>().AnyAsync(), "no rate cards");
        Assert.True(await db.Set<FreightDiscrepancy>().AnyAsync(), "the bill was reconciled without a single discrepancy");
        Assert.True(await db.Set<Refund>().AnyAsync(), "no refund was requested");
        // The demo's refunds are paid through the in-process WeChat Pay sandbox and confirmed by it, not just announced.
        Assert.True(await db.Set<Refund>().AnyAsync(r => r.Status == RefundStatus.Succeeded && r.Method == RefundMethod.WeChatPay && r.Reference != null),
            "no demo refund was confirmed by the payment sandbox");
        Assert.True(await db.Set<KpiDaily>().AnyAsync(), "no KPI rollup");
    }

    [Fact]
    public async Task Orders_follow_their_parcels_through_the_lifecycle()
    {
        await using var db = await portal.DbAsync();
        var orders = await db.Set<Order>().AsNoTracking().GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        foreach (var status in new[] { OrderStatus.PendingReview, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Returned })
        {
            Assert.True(orders.GetValueOrDefault(status) > 0, $"No demo order is {status}: " + string.Join(", ", orders));
        }
        // An order whose every forward parcel is signed for reads Delivered (or Returned, after a return).
        var signedButNot = await db.Set<Order>().AsNoTracking()
            .Where(o => db.Set<Shipment>().Any(s => s.OrderId == o.Id && s.Direction == ShipmentDirection.Forward)
                && db.Set<Shipment>().Where(s => s.OrderId == o.Id && s.Direction == ShipmentDirection.Forward).All(s => s.Status == ShipmentStatus.Delivered)
                && o.Status != OrderStatus.Delivered && o.Status != OrderStatus.Returned)
            .Select(o => o.OrderNo + " " + o.Status).ToListAsync();
        Assert.True(signedButNot.Count == 0, "Signed for, but the order says otherwise: " + string.Join(", ", signedButNot.Take(10)));
    }
}
