using System.Net;
using System.Net.Sockets;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// Requests to Admin-typed addresses (webhooks, custom carrier endpoints, "test connection") stay out of the portal's
/// own network. No test here sends anything to a non-loopback address: those are refused before any connection.
/// </summary>
public class OutboundRequestTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.1/")]
    [InlineData("https://192.168.1.20/hook")]
    [InlineData("https://172.16.0.5/")]
    [InlineData("https://100.64.0.1/")]
    [InlineData("https://0.0.0.0/")]
    [InlineData("https://[fd00::1]/")]
    [InlineData("https://[fe80::1]/")]
    [InlineData("https://[::ffff:10.0.0.1]/")]
    [InlineData("https://[::ffff:169.254.169.254]/")]
    public async Task A_webhook_or_custom_carrier_url_naming_an_internal_address_is_refused_when_saved(string url)
    {
        var saved = await P.GetService<WebhookService>().CreateAsync(new WebhookSubscriptionInput("internal", url, [WebhookEvents.ExceptionOpened]), "admin@demo.local");
        Assert.Equal("url", saved.Error);

        var refused = await Assert.ThrowsAsync<CarrierAccountValidationException>(() => P.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput("internal " + url, CarrierEnvironment.Custom, url, "outbound-test", "key", "SF", "acct", null, "7550001", null, null), "admin@demo.local"));
        Assert.Contains("customBaseUrl", refused.Errors.Keys);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_with_the_signed_body()
    {
        using var elsewhere = new TestReceiver(_ => (204, ""));
        using var receiver = new TestReceiver(_ => (307, ""), _ => elsewhere.Url("/collect"));
        var id = await SubscribeAsync(P, receiver.Url("/hooks"));
        var marker = await EnqueueAsync(P);

        await OutboxTestData.DispatchAsync(P);

        Assert.Single(receiver.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Empty(elsewhere.Requests);
        var delivery = Assert.Single(await P.GetService<WebhookService>().DeliveriesAsync(id, 10));
        Assert.Equal((WebhookDeliveryStatus.Pending, 307), (delivery.Status, delivery.LastStatusCode));
        await P.GetService<WebhookService>().DeleteAsync(id, "admin@demo.local");
    }

    [Fact]
    public async Task A_failed_delivery_is_logged_without_the_address_or_port_it_tried()
    {
        var closedPort = FreePort();
        var id = await SubscribeAsync(P, $"http://127.0.0.1:{closedPort}/hooks");
        await EnqueueAsync(P);

        await OutboxTestData.DispatchAsync(P);

        var delivery = Assert.Single(await P.GetService<WebhookService>().DeliveriesAsync(id, 10));
        Assert.NotNull(delivery.LastError);
        Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", delivery.LastError, StringComparison.Ordinal);
        await P.GetService<WebhookService>().DeleteAsync(id, "admin@demo.local");
    }

    [Fact]
    public async Task Loopback_in_any_spelling_is_refused_where_it_is_not_allowed_and_before_any_connection_is_made()
    {
        // The portal's own port is loopback too: a listener of the test's own shows whether anything connected.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["Security:OutboundAllowLoopback"] = "false" });
        factory.Start();
        var webhooks = factory.GetService<WebhookService>();
        foreach (var spelling in new[] { $"http://127.1:{port}/", $"http://[::ffff:127.0.0.1]:{port}/", $"https://127.0.0.1:{port}/", $"https://localhost:{port}/", $"https://[::1]:{port}/" })
        {
            Assert.Equal("url", (await webhooks.CreateAsync(new WebhookSubscriptionInput("loopback", spelling, [WebhookEvents.ExceptionOpened]), "admin@demo.local")).Error);
        }

        // Rows written before this rule (or a name that resolves inward later) are refused when connecting.
        var dbFactory = factory.GetService<IDbContextFactory<PortalDbContext>>();
        long deliveryId;
        int accountId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var subscription = new WebhookSubscription
            {
                Name = "stored loopback", Url = $"https://localhost:{port}/hooks", EventTypes = WebhookEvents.ExceptionOpened,
                SecretProtected = factory.GetService<WebhookSecrets>().Protect("whsec_test"), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            };
            db.Add(subscription);
            await db.SaveChangesAsync();
            var delivery = new WebhookDelivery
            {
                SubscriptionId = subscription.Id, EventType = WebhookEvents.ExceptionOpened, Body = "{}", Status = WebhookDeliveryStatus.Pending,
                CreatedAtUtc = DateTime.UtcNow, NextAttemptAtUtc = DateTime.UtcNow.AddMinutes(-1),
            };
            db.Add(delivery);
            await db.SaveChangesAsync();
            deliveryId = delivery.Id;
            accountId = (await factory.GetService<CarrierAccountService>().CreateAsync(
                new CarrierAccountInput("stored loopback", CarrierEnvironment.Custom, "https://carrier.example/", "outbound-test", "key", "SF", "acct", null, "7550001", null, null), "test")).Id;
        }
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Set<CarrierAccount>().Where(a => a.Id == accountId).ExecuteUpdateAsync(u => u.SetProperty(a => a.CustomBaseUrl, $"http://127.0.0.1:{port}"));
        }

        await factory.GetService<WebhookSender>().DeliverDueAsync(CancellationToken.None);
        var test = await factory.GetService<CarrierAccountService>().TestConnectionAsync(accountId, "admin@demo.local");

        // The Hangfire dispatcher of this portal may have claimed the delivery first: wait for its attempt.
        var attempted = await WaitForAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Set<WebhookDelivery>().AsNoTracking().SingleAsync(d => d.Id == deliveryId);
        }, d => d.LastError is not null || d.Status != WebhookDeliveryStatus.Pending, describe: d => $"{d.Status} {d.LastError}");
        Assert.StartsWith("Refused", attempted.LastError, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.StartsWith("Refused", test.Reason, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "something connected to the loopback listener");
    }

    private static async Task<int> SubscribeAsync(ClockedPortal p, string url)
    {
        var result = await p.GetService<WebhookService>().CreateAsync(new WebhookSubscriptionInput("outbound " + Guid.NewGuid().ToString("N")[..6], url, [WebhookEvents.ExceptionOpened]), "admin@demo.local");
        Assert.True(result.Ok, result.Error);
        return result.Subscription!.Id;
    }

    private static async Task<string> EnqueueAsync(ClockedPortal p)
    {
        var marker = Guid.NewGuid().ToString("N");
        await using var db = await p.DbAsync();
        Outbox.EnqueueWebhook(db, WebhookEvents.ExceptionOpened, new { marker }, p.Now);
        await db.SaveChangesAsync();
        return marker;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
