using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// The queue that says what to do first: chips whose counts are their lists, urgency as the default order, the last
/// scans on every row and the whole timeline on the case, and bulk resolve with a reason code. Each test works on
/// parcels of a carrier code of its own, so the shared portal's other cases do not disturb it.
/// </summary>
public class ExceptionQueueTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;
    private ExceptionQueries Queries => P.GetService<ExceptionQueries>();

    private static string Carrier() => "Q" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private async Task<long> CaseOfAsync(long shipmentId) => Assert.Single(await P.CasesAsync(shipmentId)).Id;

    private Task<Shipment> SilentAsync(string carrier) =>
        P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now.AddHours(-49), P.Now.AddHours(-49)), carrier);

    private Task<Shipment> MovingAsync(string carrier) =>
        P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.OutForDelivery, P.Now, P.Now), carrier);

    private async Task SetOrderValueAsync(long shipmentId, decimal amount)
    {
        await using var db = await P.DbAsync();
        var orderId = await db.Set<Shipment>().Where(s => s.Id == shipmentId).Select(s => s.OrderId).SingleAsync();
        await db.Set<Order>().Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.TotalAmount, amount));
    }

    [Fact]
    public async Task Every_chip_count_equals_the_length_of_the_list_it_shows_under_each_filter()
    {
        var carrier = Carrier();
        var failed1 = await MovingAsync(carrier);
        var failed2 = await MovingAsync(carrier);
        var back = await MovingAsync(carrier);
        var silent = await SilentAsync(carrier);
        await P.TransitionAsync(failed1.Id, ShipmentStatus.Exception, "405");
        await P.TransitionAsync(failed2.Id, ShipmentStatus.Exception, "420");
        await P.TransitionAsync(back.Id, ShipmentStatus.Returning, "407");
        await P.ScanAsync();
        await P.GetService<ExceptionService>().AssignAsync(await CaseOfAsync(failed1.Id), "ops@demo.local", "ops@demo.local");

        var mine = await Queries.CountsAsync(new CaseFilter(Carrier: carrier));
        Assert.Equal((2, 1, 1), (mine.GetValueOrDefault(ExceptionType.FailedDelivery), mine.GetValueOrDefault(ExceptionType.ReturningToSender), mine.GetValueOrDefault(ExceptionType.NoUpdate)));
        CaseFilter[] filters =
        [
            new(), new(Carrier: carrier), new(Carrier: carrier, Severity: ExceptionSeverity.High), new(Carrier: carrier, Assignee: ""),
            new(Carrier: carrier, Status: CaseStatus.InProgress), new(Assignee: "ops@demo.local"), new(Status: CaseStatus.Resolved),
        ];
        foreach (var filter in filters)
        {
            var counts = await Queries.CountsAsync(filter);
            foreach (var type in Enum.GetValues<ExceptionType>())
            {
                var list = await Queries.ListAsync(filter with { Type = type }, CaseSort.Urgency, 0, 10_000);
                Assert.True(counts.GetValueOrDefault(type) == list.Count, $"{type} under {filter}: chip {counts.GetValueOrDefault(type)}, list {list.Count}");
            }
            Assert.Equal(counts.Values.Sum(), (await Queries.ListAsync(filter, CaseSort.Urgency, 0, 10_000)).Count);
        }
    }

    [Fact]
    public async Task The_queue_is_sorted_by_urgency_by_default_from_due_time_visibility_and_order_value()
    {
        var carrier = Carrier();
        var plain = await SilentAsync(carrier);
        var valuable = await SilentAsync(carrier);
        var seen = await MovingAsync(carrier);
        await SetOrderValueAsync(valuable.Id, 5000m);
        await P.ScanAsync();
        await P.TransitionAsync(seen.Id, ShipmentStatus.Exception, "405");
        var (plainCase, valuableCase, seenCase) = (await CaseOfAsync(plain.Id), await CaseOfAsync(valuable.Id), await CaseOfAsync(seen.Id));

        var byUrgency = await Queries.ListAsync(new CaseFilter(Carrier: carrier), CaseSort.Urgency, 0, 50);
        var byValue = await Queries.ListAsync(new CaseFilter(Carrier: carrier), CaseSort.OrderValue, 0, 50);
        var byAge = await Queries.ListAsync(new CaseFilter(Carrier: carrier), CaseSort.Age, 0, 50);

        // Failed delivery: due in 8 h and seen by the customer (−12 h); ¥5,000 order: due in 24 h, −24 h for value; plain: due in 24 h.
        Assert.Equal([seenCase, valuableCase, plainCase], byUrgency.Select(r => r.Id));
        Assert.Equal(valuableCase, byValue[0].Id);
        Assert.Equal(5000m, byValue[0].OrderValue);
        Assert.Equal([plainCase, valuableCase, seenCase], byAge.Select(r => r.Id));
        Assert.True(byUrgency[0].CustomerVisible && !byUrgency[2].CustomerVisible);
    }

    [Fact]
    public async Task Every_row_shows_its_parcels_last_three_scans_and_the_case_shows_them_all()
    {
        var carrier = Carrier();
        var s = await MovingAsync(carrier);
        await using (var db = await P.DbAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                var at = P.Now.AddHours(i - 10);
                var text = $"快件已到达 转运中心 {i}";
                db.Add(new TrackingEvent { ShipmentId = s.Id, TimeUtc = at, Description = text, Location = "杭州", Status = ShipmentStatus.InTransit, DedupeKey = TrackingEvent.KeyOf(at, text) });
            }
            await db.SaveChangesAsync();
        }
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");

        var row = Assert.Single(await Queries.ListAsync(new CaseFilter(Carrier: carrier), CaseSort.Urgency, 0, 50));
        var detail = await Queries.GetAsync(row.Id);

        Assert.Equal(["快件已到达 转运中心 4", "快件已到达 转运中心 3", "快件已到达 转运中心 2"], row.LastScans.Select(x => x.Description));
        Assert.Equal(5, detail!.Scans!.Count);
        Assert.Equal("快件已到达 转运中心 0", detail.Scans[^1].Description);
    }

    [Fact]
    public async Task Bulk_resolve_closes_each_selected_case_with_its_reason_code_and_reports_the_rest()
    {
        var carrier = Carrier();
        var a = await MovingAsync(carrier);
        var b = await MovingAsync(carrier);
        await P.TransitionAsync(a.Id, ShipmentStatus.Exception, "405");
        await P.TransitionAsync(b.Id, ShipmentStatus.Exception, "405");
        var ids = new[] { await CaseOfAsync(a.Id), await CaseOfAsync(b.Id) };
        var service = P.GetService<ExceptionService>();

        var first = await service.ResolveManyAsync([.. ids, long.MaxValue], ResolutionCode.CarrierFound, "found at the hub", "ops@demo.local");
        var again = await service.ResolveManyAsync(ids, ResolutionCode.Other, null, "ops@demo.local");

        Assert.Equal((2, CaseActionOutcome.NotFound), (first.Done, first.ByCase[long.MaxValue]));
        Assert.All(ids, id => Assert.Equal(CaseActionOutcome.Closed, again.ByCase[id]));
        foreach (var s in new[] { a, b })
        {
            var c = Assert.Single(await P.CasesAsync(s.Id));
            Assert.Equal((CaseStatus.Resolved, (ResolutionCode?)ResolutionCode.CarrierFound, "found at the hub"), (c.Status, c.ResolutionCode, c.Resolution));
        }
        Assert.Equal(0, (await Queries.CountsAsync(new CaseFilter(Carrier: carrier))).Values.Sum());
    }
}

/// <summary>The queue's bulk actions and sorted list through the REST API.</summary>
[Collection(SharedPortal.Name)]
public class ExceptionQueueApiTests(SharedPortal portal)
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task Bulk_assign_and_resolve_through_the_API_need_ids_and_a_reason_code_and_answer_what_each_case_did()
    {
        var (a, b) = (await CommentableCase.CreateAsync(Factory), await CommentableCase.CreateAsync(Factory));
        using var api = Factory.CreateApiClient();

        await CaseData.ErrorAsync(await api.PostAsJsonAsync("/api/v1/exceptions/bulk/resolve", new { ids = new[] { a, b } }), "code");
        await CaseData.ErrorAsync(await api.PostAsJsonAsync("/api/v1/exceptions/bulk/assign", new { ids = Array.Empty<long>(), assignee = "ops@demo.local" }), "ids");
        var assigned = await api.PostAsJsonAsync("/api/v1/exceptions/bulk/assign", new { ids = new[] { a, b }, assignee = "ops@demo.local" });
        var resolved = await api.PostAsJsonAsync("/api/v1/exceptions/bulk/resolve", new { ids = new[] { a, b, long.MaxValue }, code = "FalseAlarm" });

        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var body = await resolved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([a, b], body.GetProperty("done").EnumerateArray().Select(x => x.GetInt64()).Order());
        Assert.Equal([long.MaxValue], body.GetProperty("notFound").EnumerateArray().Select(x => x.GetInt64()));
        var c = await CaseData.CaseAsync(Factory, a);
        Assert.Equal(("ops@demo.local", CaseStatus.Resolved, (ResolutionCode?)ResolutionCode.FalseAlarm), (c.AssignedTo, c.Status, c.ResolutionCode));
    }

    [Fact]
    public async Task The_list_sorted_by_urgency_pages_by_offset_and_carries_each_rows_last_scans()
    {
        await CommentableCase.CreateAsync(Factory);
        await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();

        var page = await api.GetFromJsonAsync<JsonElement>("/api/v1/exceptions?sort=Urgency&limit=1");
        var next = await api.GetFromJsonAsync<JsonElement>("/api/v1/exceptions?sort=Urgency&limit=1&offset=" + page.GetProperty("nextOffset").GetInt32().ToString(CultureInfo.InvariantCulture));

        var (first, second) = (page.GetProperty("items")[0], next.GetProperty("items")[0]);
        Assert.NotEqual(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.True(first.GetProperty("urgentAtUtc").GetDateTime() <= second.GetProperty("urgentAtUtc").GetDateTime());
        Assert.Equal(JsonValueKind.Array, first.GetProperty("lastScans").ValueKind);
    }
}
