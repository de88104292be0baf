using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.EntityFrameworkCore;
using CarrierScan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>Through the real tracking writer (TrackingIngest with every registered observer) and the REST API.</summary>
public class MonitoringThroughTrackingTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private Task IngestAsync(Shipment s, ShipmentStatus status, string stateEx, params CarrierScan[] events) =>
        P.GetService<TrackingIngest>().IngestAsync([new TrackingSnapshot(s.ShipperCode, s.TrackingNo, status, null, stateEx, "上海市", null, events)], TrackingSource.Push);

    private async Task<List<OutboxMessage>> OutboxAsync(long shipmentId)
    {
        await using var db = await P.DbAsync();
        return await db.Set<OutboxMessage>().AsNoTracking().Where(o => o.ShipmentId == shipmentId).OrderBy(o => o.Id).ToListAsync();
    }

    [Fact]
    public async Task A_rejection_scan_opens_its_case_with_the_scan_and_the_delivery_scan_closes_it_with_the_customer_messages_in_the_outbox()
    {
        var s = await P.ShipmentAsync();
        var t0 = P.Now.AddHours(-5);
        var scans = new List<CarrierScan>
        {
            new(t0, "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp),
            new(t0.AddHours(4), "【上海市】客户拒收", "上海市", "404", ShipmentStatus.Exception),
        };

        await IngestAsync(s, ShipmentStatus.Exception, "404", [.. scans]);

        var open = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((ExceptionType.Rejected, CaseStatus.Open), (open.Type, open.Status));
        Assert.True(await P.OrderFlagAsync(s.Id));

        P.Advance(TimeSpan.FromHours(3));
        scans.Add(new(P.Now.AddMinutes(-10), "【上海市】已签收", "上海市", "301", ShipmentStatus.Delivered));
        await IngestAsync(s, ShipmentStatus.Delivered, "301", [.. scans]);

        var closed = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((CaseStatus.Resolved, CaseWriter.System), (closed.Status, closed.ResolvedBy));
        Assert.False(await P.OrderFlagAsync(s.Id));
        var outbox = await OutboxAsync(s.Id);
        Assert.Equal([NotificationMilestone.Delivered], outbox.Where(o => o.Kind == OutboxKind.Customer).Select(o => o.Milestone!.Value));
        Assert.Equal(
            [WebhookEvents.ExceptionOpened, WebhookEvents.ExceptionResolved, WebhookEvents.ShipmentStatusChanged, WebhookEvents.ShipmentStatusChanged],
            outbox.Where(o => o.Kind == OutboxKind.Webhook).Select(o => o.EventType).Order(StringComparer.Ordinal));
        Assert.Equal(2, outbox.Count(o => o.EventType == WebhookEvents.ShipmentStatusChanged));
    }

    [Fact]
    public async Task The_first_scan_queues_the_shipped_message_with_the_order_phone()
    {
        var s = await P.ShipmentAsync();

        await IngestAsync(s, ShipmentStatus.PickedUp, "1", new CarrierScan(P.Now.AddHours(-1), "【杭州市】快件已揽收", "杭州市", "1", ShipmentStatus.PickedUp));

        var shipped = Assert.Single(await OutboxAsync(s.Id), o => o.Kind == OutboxKind.Customer);
        Assert.Equal(NotificationMilestone.Shipped, shipped.Milestone);
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(shipped.PayloadJson)!;
        Assert.Equal((s.TrackingNo, "13900139000"), (values["trackingNo"], values["phone"]));
    }

    [Fact]
    public async Task The_API_lists_open_cases_by_type_and_carrier_and_resolves_one_once()
    {
        var s = await P.ShipmentAsync(x => x.Status = ShipmentStatus.OutForDelivery, "YTO");
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");
        var caseId = Assert.Single(await P.CasesAsync(s.Id)).Id;
        var key = await P.GetService<ApiKeyService>().CreateAsync("exceptions test", [ApiScopes.ExceptionsRead, ApiScopes.ExceptionsWrite], "test");
        using var api = P.CreateApiClient(key.Key);

        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/exceptions?type=FailedDelivery&carrier=yto&limit=500");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == caseId && i.GetProperty("status").GetString() == "Open");

        var resolved = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/resolve", new { resolution = "redelivered tomorrow" });
        var again = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/resolve", new { resolution = "again" });

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.Conflict), (resolved.StatusCode, again.StatusCode));
        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((CaseStatus.Resolved, "redelivered tomorrow"), (c.Status, c.Resolution));
        var open = await api.GetFromJsonAsync<JsonElement>("/api/v1/exceptions?carrier=YTO&limit=500");
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == caseId);
        var missing = await api.PostAsJsonAsync("/api/v1/exceptions/987654/resolve", new { resolution = "none" });
        Assert.True(missing.StatusCode == HttpStatusCode.NotFound, $"{(int)missing.StatusCode} {await missing.Content.ReadAsStringAsync()}");
    }
}
