using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>Quiet hours on a fake clock: non-urgent messages wait for the morning (Beijing time), urgent ones do not.</summary>
public class QuietHoursTests
{
    // 2026-11-01 18:00 UTC is 02:00 on 2 November in Beijing.
    private static readonly DateTimeOffset TwoAmBeijing = new(2026, 11, 1, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTime EightAmBeijingUtc = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);

    private static ClockedPortal Portal(string quietHours = "21:00-08:00")
    {
        var p = new ClockedPortal(overrides: new Dictionary<string, string?> { ["Notifications:QuietHours"] = quietHours });
        p.Clock.SetUtcNow(TwoAmBeijing);
        return p;
    }

    [Fact]
    public void The_default_quiet_hours_are_21_00_to_08_00_Beijing_time()
    {
        Assert.Equal("21:00-08:00", new NotificationOptions().QuietHours);
        Assert.Equal(EightAmBeijingUtc, QuietHours.HoldUntil("21:00-08:00", TwoAmBeijing.UtcDateTime));
        Assert.Equal(EightAmBeijingUtc, QuietHours.HoldUntil("21:00-08:00", new DateTime(2026, 11, 1, 13, 30, 0, DateTimeKind.Utc)));
        Assert.Null(QuietHours.HoldUntil("21:00-08:00", EightAmBeijingUtc));
        Assert.Null(QuietHours.HoldUntil("", TwoAmBeijing.UtcDateTime));
    }

    [Fact]
    public async Task A_shipping_milestone_at_02_00_is_sent_at_08_00()
    {
        await using var p = Portal();
        var id = await OutboxTestData.EnqueueShippedAsync(p);

        await OutboxTestData.DispatchAsync(p);
        var (held, none) = await OutboxTestData.LoadAsync(p, id);
        Assert.Empty(none);
        Assert.Equal((OutboxStatus.Pending, 0, EightAmBeijingUtc), (held.Status, held.Attempts, held.NextAttemptAtUtc));
        Assert.Equal("Held for quiet hours until 2026-11-02 08:00", held.LastError);

        p.Clock.SetUtcNow(EightAmBeijingUtc.AddMinutes(-1));
        await OutboxTestData.DispatchAsync(p);
        Assert.Empty((await OutboxTestData.LoadAsync(p, id)).Log);

        p.Clock.SetUtcNow(EightAmBeijingUtc);
        await OutboxTestData.DispatchAsync(p);
        var (_, log) = await OutboxTestData.LoadAsync(p, id);
        var entry = Assert.Single(log);
        Assert.Equal(EightAmBeijingUtc, entry.SentAtUtc);
    }

    [Fact]
    public async Task An_exception_message_at_02_00_is_not_held_and_a_template_can_set_its_own_window()
    {
        await using var p = Portal();
        var s = await p.ShipmentAsync();
        await using (var db = await p.DbAsync())
        {
            Outbox.EnqueueCustomer(db, NotificationMilestone.Exception, s.OrderId, s.Id, null, new Dictionary<string, string> { ["trackingNo"] = s.TrackingNo }, p.Now);
            await db.SaveChangesAsync();
        }
        var admin = p.GetService<NotificationAdmin>();
        var shipped = (await admin.TemplatesAsync()).Where(t => t.Milestone == NotificationMilestone.Shipped).ToList();
        foreach (var t in shipped)
        {
            Assert.True(await admin.SetQuietHoursAsync(t.Id, "22:00-07:00", "admin@demo.local"));
        }
        Assert.False(await admin.SetQuietHoursAsync(shipped[0].Id, "late", "admin@demo.local"));
        var shippedId = await OutboxTestData.EnqueueShippedAsync(p);

        await OutboxTestData.DispatchAsync(p);

        await using var read = await p.DbAsync();
        var exception = await read.Set<OutboxMessage>().AsNoTracking().SingleAsync(o => o.ShipmentId == s.Id && o.Milestone == NotificationMilestone.Exception);
        Assert.Single(await read.Set<DeliveryLogEntry>().AsNoTracking().Where(l => l.OutboxId == exception.Id).ToListAsync());
        Assert.Equal(EightAmBeijingUtc.AddHours(-1), (await OutboxTestData.LoadAsync(p, shippedId)).Row.NextAttemptAtUtc);
    }
}
