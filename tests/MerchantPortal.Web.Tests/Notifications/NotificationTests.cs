using System.Text.Json;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>A sender that fails its first call (a gateway outage), then succeeds.</summary>
internal sealed class FailsOnceSender : ISmsSender
{
    public int Calls;

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
        Task.FromResult(Interlocked.Increment(ref Calls) == 1 ? new SendResult(false, "flaky", Error: "gateway down") : new SendResult(true, "flaky"));
}

internal static class OutboxTestData
{
    public static async Task<long> EnqueueShippedAsync(ClockedPortal p, string phone = "13900139000", string? email = null)
    {
        var s = await p.ShipmentAsync();
        await using var db = await p.DbAsync();
        var values = new Dictionary<string, string> { ["orderNo"] = "ORD-1", ["trackingNo"] = s.TrackingNo, ["carrier"] = "ZTO", ["phone"] = phone, ["trackingUrl"] = "/track?no=" + s.TrackingNo };
        if (email is not null)
        {
            values["email"] = email;
        }
        Outbox.EnqueueCustomer(db, NotificationMilestone.Shipped, s.OrderId, s.Id, null, values, p.Now);
        await db.SaveChangesAsync();
        return await db.Set<OutboxMessage>().Where(o => o.ShipmentId == s.Id).Select(o => o.Id).SingleAsync();
    }

    public static async Task<(OutboxMessage Row, List<DeliveryLogEntry> Log)> LoadAsync(ClockedPortal p, long id)
    {
        await using var db = await p.DbAsync();
        return (await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(o => o.Id == id),
            await db.Set<DeliveryLogEntry>().AsNoTracking().Where(l => l.OutboxId == id).ToListAsync());
    }

    public static Task DispatchAsync(ClockedPortal p) => p.GetService<NotificationDispatcher>().RunAsync(CancellationToken.None);
}

public class OutboxDurabilityTests
{
    [Fact]
    public async Task A_message_survives_a_sender_failure_and_a_restart_and_is_delivered_once_never_twice()
    {
        var data = Infrastructure.TempDirectory.Create("outbox");
        var flaky = new FailsOnceSender();
        long id;
        await using (var before = new ClockedPortal(data, services: s => s.AddSingleton<ISmsSender>(flaky)))
        {
            id = await OutboxTestData.EnqueueShippedAsync(before);
            await OutboxTestData.DispatchAsync(before);

            var (row, log) = await OutboxTestData.LoadAsync(before, id);
            Assert.Equal((OutboxStatus.Pending, 1, 1), (row.Status, row.Attempts, flaky.Calls));
            Assert.Contains("gateway down", row.LastError, StringComparison.Ordinal);
            Assert.Equal(before.Now.AddMinutes(1), row.NextAttemptAtUtc);
            Assert.Empty(log);
        }

        // The same database after a restart, with the default sender; its clock starts where the first one was.
        await using var after = new ClockedPortal(data);
        after.Start();
        await OutboxTestData.DispatchAsync(after);
        Assert.Equal(OutboxStatus.Pending, (await OutboxTestData.LoadAsync(after, id)).Row.Status);

        after.Advance(TimeSpan.FromMinutes(1));
        await OutboxTestData.DispatchAsync(after);
        after.Advance(TimeSpan.FromHours(2));
        await OutboxTestData.DispatchAsync(after);
        await OutboxTestData.DispatchAsync(after);

        var (sent, entries) = await OutboxTestData.LoadAsync(after, id);
        // Development's log-only sender: recorded once, and never called sent.
        Assert.Equal((OutboxStatus.Skipped, 2, OutboxNotes.LoggedNotSent), (sent.Status, sent.Attempts, sent.LastError));
        var entry = Assert.Single(entries);
        Assert.Equal(("13900139000", "log", DeliveryState.LoggedNotSent), (entry.Recipient, entry.Provider, entry.State));
        Assert.Equal(1, flaky.Calls);
    }

    [Fact]
    public async Task The_configured_HTTP_gateway_receives_each_message_as_JSON_with_the_outbox_reference_as_idempotency_key()
    {
        using var gateway = new TestReceiver(_ => (200, """{"messageId":"gw-42"}"""));
        await using var p = new ClockedPortal(overrides: new Dictionary<string, string?> { ["Notifications:Sms:Url"] = gateway.Url("/sms"), ["Notifications:Sms:SignName"] = "示例商城" });
        var id = await OutboxTestData.EnqueueShippedAsync(p);

        await OutboxTestData.DispatchAsync(p);

        var request = Assert.Single(gateway.Requests);
        Assert.Equal("/sms", request.Path);
        Assert.Equal("outbox-" + id, request.Headers["Idempotency-Key"]);
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(("13900139000", "示例商城", "outbox-" + id), (json.GetProperty("to").GetString(), json.GetProperty("signName").GetString(), json.GetProperty("reference").GetString()));
        Assert.StartsWith("【示例商城】您的订单ORD-1已发货,ZTO运单号", json.GetProperty("text").GetString(), StringComparison.Ordinal);
        var (row, log) = await OutboxTestData.LoadAsync(p, id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(DeliveryState.Sent, log.Single().State);
        Assert.Equal((HttpSmsGatewaySender.Provider, "gw-42"), (log.Single().Provider, log.Single().ProviderMessageId));
    }
}

public class CustomerNotificationTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    [Fact]
    public async Task A_message_fills_the_Chinese_template_with_an_absolute_tracking_link_and_goes_by_SMS_and_e_mail()
    {
        var id = await OutboxTestData.EnqueueShippedAsync(P, email: "Buyer@Example.com");

        await OutboxTestData.DispatchAsync(P);

        var (row, log) = await OutboxTestData.LoadAsync(P, id);
        Assert.Equal((OutboxStatus.Skipped, OutboxNotes.LoggedNotSent), (row.Status, row.LastError));
        Assert.All(log, l => Assert.Equal(DeliveryState.LoggedNotSent, l.State));
        var sms = log.Single(l => l.Channel == NotificationChannel.Sms);
        var mail = log.Single(l => l.Channel == NotificationChannel.Email);
        Assert.Matches(@"^您的订单ORD-1已发货,ZTO运单号7\d+,查询:http://127\.0\.0\.1:\d+/track\?no=7\d+$", sms.Body);
        Assert.Equal(("您的订单已发货", "Buyer@Example.com"), (mail.Subject, mail.Recipient));
    }

    [Fact]
    public async Task An_opted_out_phone_gets_nothing_and_its_message_is_skipped()
    {
        Assert.Equal(OptOutOutcome.Added, (await P.GetService<NotificationAdmin>().AddOptOutAsync("+86 139-0000-7777", "asked on the phone", "cs@demo.local")).Outcome);
        var id = await OutboxTestData.EnqueueShippedAsync(P, phone: "13900007777");

        await OutboxTestData.DispatchAsync(P);

        var (row, log) = await OutboxTestData.LoadAsync(P, id);
        Assert.Equal((OutboxStatus.Skipped, "Opted out"), (row.Status, row.LastError));
        Assert.Empty(log);
    }

    [Fact]
    public void Unknown_placeholders_render_empty_and_known_ones_are_filled()
    {
        var text = TemplateRenderer.Render("{orderNo}/{nope}/{trackingNo}", new Dictionary<string, string> { ["orderNo"] = "A", ["trackingNo"] = "B" });
        Assert.Equal("A//B", text);
    }
}
