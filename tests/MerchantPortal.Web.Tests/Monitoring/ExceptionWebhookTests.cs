using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Notifications;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>exception.opened / exception.resolved as a subscriber receives them: signed, and naming the case.</summary>
public class ExceptionWebhookTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private static JsonElement Data(TestReceiver.Received r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("data");

    [Fact]
    public async Task Exception_webhooks_carry_the_case_id_type_severity_tracking_and_order_numbers_and_verify_with_the_secret()
    {
        using var receiver = new TestReceiver(_ => (204, ""));
        var subscribed = await P.GetService<WebhookService>().CreateAsync(
            new WebhookSubscriptionInput("cases", receiver.Url("/cases"), [WebhookEvents.ExceptionOpened, WebhookEvents.ExceptionResolved]), "admin@demo.local");
        var secret = subscribed.Secret!;
        var s = await P.ShipmentAsync(x => x.Status = ShipmentStatus.InTransit);
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "404");
        var c = Assert.Single(await P.CasesAsync(s.Id));
        string orderNo;
        await using (var db = await P.DbAsync())
        {
            orderNo = await db.Set<Order>().Where(o => o.Id == s.OrderId).Select(o => o.OrderNo).SingleAsync();
        }

        await OutboxTestData.DispatchAsync(P);
        await P.GetService<ExceptionService>().ResolveAsync(c.Id, "carrier re-delivers tomorrow", "ops@demo.local");
        await OutboxTestData.DispatchAsync(P);

        var ours = receiver.Requests.Where(r => Data(r).GetProperty("caseId").GetInt64() == c.Id).ToList();
        Assert.Equal([WebhookEvents.ExceptionOpened, WebhookEvents.ExceptionResolved], ours.Select(r => r.Headers["X-MerchantPortal-Event"]));
        Assert.All(ours, r => Assert.True(r.Verifies(secret, P.Clock.GetUtcNow()), "signed with the subscription's secret"));
        var opened = Data(ours[0]);
        Assert.Equal(("Rejected", "High", s.TrackingNo, orderNo, "ZTO", "Open"),
            (opened.GetProperty("type").GetString(), opened.GetProperty("severity").GetString(), opened.GetProperty("trackingNo").GetString(),
             opened.GetProperty("orderNo").GetString(), opened.GetProperty("shipperCode").GetString(), opened.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, opened.GetProperty("returnId").ValueKind);
        var resolved = Data(ours[1]);
        Assert.Equal(("Resolved", "carrier re-delivers tomorrow", s.TrackingNo), (resolved.GetProperty("status").GetString(), resolved.GetProperty("resolution").GetString(), resolved.GetProperty("trackingNo").GetString()));
        await P.GetService<WebhookService>().DeleteAsync(subscribed.Subscription!.Id, "admin@demo.local");
    }

    [Fact]
    public async Task A_case_opened_by_the_time_sweep_also_names_its_id_and_order()
    {
        using var receiver = new TestReceiver(_ => (204, ""));
        var subscribed = await P.GetService<WebhookService>().CreateAsync(
            new WebhookSubscriptionInput("sweep", receiver.Url("/sweep"), [WebhookEvents.ExceptionOpened]), "admin@demo.local");
        var s = await P.ShipmentAsync();
        P.Advance(TimeSpan.FromHours(25));
        await P.ScanAsync();
        var c = Assert.Single(await P.CasesAsync(s.Id), x => x.Type == ExceptionType.NoFirstScan);

        await OutboxTestData.DispatchAsync(P);

        var data = Data(Assert.Single(receiver.Requests, r => Data(r).GetProperty("caseId").GetInt64() == c.Id));
        Assert.Equal(("NoFirstScan", s.TrackingNo), (data.GetProperty("type").GetString(), data.GetProperty("trackingNo").GetString()));
        Assert.StartsWith("MON-", data.GetProperty("orderNo").GetString(), StringComparison.Ordinal);
        await P.GetService<WebhookService>().DeleteAsync(subscribed.Subscription!.Id, "admin@demo.local");
    }
}
