using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Notifications;

public class WebhookTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private async Task<(int Id, string Secret)> SubscribeAsync(string url, params string[] events)
    {
        var result = await P.GetService<WebhookService>().CreateAsync(new WebhookSubscriptionInput("test " + Guid.NewGuid().ToString("N")[..6], url, events), "admin@demo.local");
        Assert.True(result.Ok, result.Error);
        return (result.Subscription!.Id, result.Secret!);
    }

    private async Task EnqueueAsync(string eventType, string marker)
    {
        await using var db = await P.DbAsync();
        Outbox.EnqueueWebhook(db, eventType, new { marker }, P.Now);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_receiver_gets_the_event_with_a_signature_it_can_verify_with_its_secret()
    {
        using var receiver = new TestReceiver(_ => (204, ""));
        var (id, secret) = await SubscribeAsync(receiver.Url("/hooks"), WebhookEvents.ExceptionOpened);
        var marker = Guid.NewGuid().ToString("N");
        await EnqueueAsync(WebhookEvents.ExceptionOpened, marker);
        await EnqueueAsync(WebhookEvents.RefundRequested, marker);

        await OutboxTestData.DispatchAsync(P);

        var request = Assert.Single(receiver.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        var now = P.Clock.GetUtcNow();
        Assert.Matches(@"^v1,[A-Za-z0-9+/]{43}=$", request.Headers[WebhookSignature.SignatureHeader]);
        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers[WebhookSignature.TimestampHeader]);
        Assert.True(request.Verifies(secret, now), "the receiver's own check of the signature");
        // One key character changed in the middle: changing the end can leave the same HMAC key (HMAC pads keys with zero bytes).
        var at = secret.Length / 2;
        var wrong = string.Concat(secret.AsSpan(0, at), secret[at] == 'Q' ? "R" : "Q", secret.AsSpan(at + 1));
        Assert.False(request.Verifies(wrong, now), "a wrong secret does not verify");
        Assert.False((request with { Body = request.Body + " " }).Verifies(secret, now), "a changed body does not verify");
        Assert.Contains("\"type\":\"exception.opened\"", request.Body, StringComparison.Ordinal);
        Assert.Equal(WebhookEvents.ExceptionOpened, request.Headers["X-MerchantPortal-Event"]);
        var deliveries = await P.GetService<WebhookService>().DeliveriesAsync(id, 10);
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(deliveries).Status);
        await P.GetService<WebhookService>().DeleteAsync(id, "admin@demo.local");
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_after_1_5_30_120_and_360_minutes_then_given_up()
    {
        using var receiver = new TestReceiver(_ => (500, """{"error":"down"}"""));
        var (id, _) = await SubscribeAsync(receiver.Url("/down"), WebhookEvents.ShipmentStatusChanged);
        var marker = Guid.NewGuid().ToString("N");
        await EnqueueAsync(WebhookEvents.ShipmentStatusChanged, marker);
        int Calls() => receiver.Requests.Count(r => r.Body.Contains(marker, StringComparison.Ordinal));

        await OutboxTestData.DispatchAsync(P);
        Assert.Equal(1, Calls());
        var expected = 1;
        foreach (var wait in NotificationDispatcher.WebhookBackoff)
        {
            P.Advance(wait - TimeSpan.FromSeconds(1));
            await OutboxTestData.DispatchAsync(P);
            Assert.Equal(expected, Calls());

            P.Advance(TimeSpan.FromSeconds(1));
            await OutboxTestData.DispatchAsync(P);
            Assert.Equal(++expected, Calls());
        }
        P.Advance(TimeSpan.FromDays(1));
        await OutboxTestData.DispatchAsync(P);

        Assert.Equal(6, Calls());
        var delivery = Assert.Single(await P.GetService<WebhookService>().DeliveriesAsync(id, 10));
        Assert.Equal((WebhookDeliveryStatus.Failed, 6, 500), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        await P.GetService<WebhookService>().DeleteAsync(id, "admin@demo.local");
    }

    [Fact]
    public async Task A_subscription_refuses_a_relative_url_and_unknown_event_types()
    {
        var service = P.GetService<WebhookService>();
        Assert.Equal("url", (await service.CreateAsync(new WebhookSubscriptionInput("x", "/relative", [WebhookEvents.ExceptionOpened]), "admin")).Error);
        Assert.Equal("eventTypes", (await service.CreateAsync(new WebhookSubscriptionInput("x", "https://example.com/h", ["order.created"]), "admin")).Error);
        await using var db = await P.DbAsync();
        Assert.DoesNotContain(await db.Set<WebhookSubscription>().Select(s => s.Url).ToListAsync(), u => u == "/relative");
    }
}
