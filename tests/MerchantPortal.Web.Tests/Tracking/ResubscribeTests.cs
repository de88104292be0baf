using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

[Collection(SharedPortal.Name)]
public class ResubscribeTests(SharedPortal portal)
{
    [Fact]
    public async Task A_shipment_whose_subscription_failed_is_subscribed_by_the_poll_run_but_not_again_within_the_hour()
    {
        var failedLongAgo = NewZtoNumber();
        var triedJustNow = NewZtoNumber();
        var a = await CreateShipmentAsync(portal.Factory, failedLongAgo, nextCheckAtUtc: DateTime.UtcNow.AddHours(5));
        var b = await CreateShipmentAsync(portal.Factory, triedJustNow, nextCheckAtUtc: DateTime.UtcNow.AddHours(5));
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        var tenMinutesAgo = DateTime.UtcNow.AddMinutes(-10);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Set<Shipment>().Where(s => s.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.SubscribeAttemptedAtUtc, DateTime.UtcNow.AddHours(-2)));
            await db.Set<Shipment>().Where(s => s.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.SubscribeAttemptedAtUtc, tenMinutesAgo));
        }

        // Twice: the first run subscribes what is owed; the second finds nothing more for these two.
        await portal.Factory.GetService<TrackingPollJob>().RunAsync(CancellationToken.None);
        await portal.Factory.GetService<TrackingPollJob>().RunAsync(CancellationToken.None);

        var (subscribed, _) = await LoadAsync(portal.Factory, failedLongAgo);
        var (waiting, _) = await LoadAsync(portal.Factory, triedJustNow);
        Assert.NotNull(subscribed.SubscribedAtUtc);
        Assert.Null(waiting.SubscribedAtUtc);
        Assert.Equal(tenMinutesAgo, waiting.SubscribeAttemptedAtUtc!.Value, TimeSpan.FromSeconds(1));
    }
}
