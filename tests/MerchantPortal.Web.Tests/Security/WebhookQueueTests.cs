using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// Deliveries waiting for a retry belong to the subscription as it was: after an Admin disables it or points it
/// elsewhere, none of them goes out (least of all to the new address).
/// </summary>
public class WebhookQueueTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Editing_the_url_or_disabling_a_subscription_cancels_its_queued_deliveries(bool disable)
    {
        using var down = new TestReceiver(_ => (500, ""));
        using var moved = new TestReceiver(_ => (204, ""));
        var service = P.GetService<WebhookService>();
        var created = await service.CreateAsync(new WebhookSubscriptionInput("queue " + Guid.NewGuid().ToString("N")[..6], down.Url("/hooks"), [WebhookEvents.ExceptionOpened]), "admin@demo.local");
        var id = created.Subscription!.Id;
        var marker = Guid.NewGuid().ToString("N");
        await using (var db = await P.DbAsync())
        {
            Outbox.EnqueueWebhook(db, WebhookEvents.ExceptionOpened, new { marker }, P.Now);
            await db.SaveChangesAsync();
        }
        await OutboxTestData.DispatchAsync(P);
        Assert.Single(down.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));

        var edit = disable
            ? new WebhookSubscriptionInput(created.Subscription.Name, down.Url("/hooks"), [WebhookEvents.ExceptionOpened], Enabled: false)
            : new WebhookSubscriptionInput(created.Subscription.Name, moved.Url("/new-hooks"), [WebhookEvents.ExceptionOpened]);
        Assert.True((await service.UpdateAsync(id, edit, "admin@demo.local")).Ok);
        P.Advance(TimeSpan.FromDays(1));
        await OutboxTestData.DispatchAsync(P);

        Assert.Empty(moved.Requests);
        Assert.Single(down.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        var delivery = Assert.Single(await service.DeliveriesAsync(id, 10));
        Assert.NotEqual(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.NotEqual(WebhookDeliveryStatus.Delivered, delivery.Status);
        await service.DeleteAsync(id, "admin@demo.local");
    }
}
