using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The language of customer messages when the order does not name the customer's.</summary>
    [Required, RegularExpression("^(zh-CN|en)$", ErrorMessage = "Notifications:Culture is zh-CN or en.")]
    public string Culture { get; set; } = "zh-CN";
    /// <summary>
    /// Beijing hours during which non-urgent messages (shipped, out for delivery, delivered, picked up) wait for the
    /// window's end; a template may override it. "" sends at any hour.
    /// </summary>
    [RegularExpression(Notifications.QuietHours.Pattern, ErrorMessage = "Notifications:QuietHours is HH:mm-HH:mm (Beijing time), e.g. 21:00-08:00, or empty.")]
    public string QuietHours { get; set; } = "21:00-08:00";
    /// <summary>Attempts at a customer message before it is marked Failed.</summary>
    [Range(1, 100, ErrorMessage = "Notifications:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 6;
    [Range(1, 10000, ErrorMessage = "Notifications:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// The recurring "notifications:dispatch": sends due customer messages, fans webhook events out to their subscriptions
/// and delivers due webhooks. Safe to run on every instance at once and to be killed at any point:
/// <list type="bullet">
/// <item>A row is claimed by a conditional update (still Pending and due → next attempt pushed past a lease, attempts
/// + 1); a second dispatcher's update matches nothing. A dispatcher that dies mid-send leaves the row to come due
/// again when the lease ends: it is retried, not lost.</item>
/// <item>A sent message is logged (unique per outbox row and channel) before the row is marked Sent, and a retry skips
/// a channel already logged, so the log sender never sends twice; the HTTP gateway gets the row's reference as its
/// Idempotency-Key for the one window (sent, then crashed before logging) the portal cannot close alone.</item>
/// </list>
/// </summary>
public sealed class NotificationDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider clock,
    ISmsSender sms,
    IEmailSender email,
    SmsProviders smsProviders,
    WebhookSender webhooks,
    PublicAddress publicAddress,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDispatcher> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Webhook retry schedule after each failed attempt; after the last one the delivery is Failed.</summary>
    public static readonly TimeSpan[] WebhookBackoff =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    public async Task RunAsync(CancellationToken ct)
    {
        await DispatchOutboxAsync(ct);
        await webhooks.DeliverDueAsync(ct);
    }

    public async Task<int> DispatchOutboxAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.Set<OutboxMessage>()
                .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAtUtc <= now)
                .OrderBy(o => o.NextAttemptAtUtc).ThenBy(o => o.Id)
                .Select(o => o.Id).Take(options.Value.BatchSize).ToListAsync(ct);
        }
        var done = 0;
        foreach (var id in due)
        {
            if (await ClaimAsync(id, now, ct) is not { } row)
            {
                continue;
            }
            try
            {
                await (row.Kind == OutboxKind.Webhook ? FanOutAsync(row, now, ct) : SendCustomerAsync(row, now, ct));
                done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Outbox row {Id} failed; it is retried", id);
                await RescheduleAsync(row, ex.Message, now, ct);
            }
        }
        return done;
    }

    private async Task<OutboxMessage?> ClaimAsync(long id, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leaseEnd = now + Lease;
        var claimed = await db.Set<OutboxMessage>()
            .Where(o => o.Id == id && o.Status == OutboxStatus.Pending && o.NextAttemptAtUtc <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.NextAttemptAtUtc, leaseEnd).SetProperty(o => o.Attempts, o => o.Attempts + 1), ct);
        return claimed == 0 ? null : await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(o => o.Id == id, ct);
    }

    private async Task SendCustomerAsync(OutboxMessage row, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(row.PayloadJson) ?? [];
        var order = row.OrderId is { } orderId
            ? await db.Set<Orders.Order>().AsNoTracking().Where(o => o.Id == orderId)
                .Select(o => new { o.ReceiverPhone, o.CustomerEmail, o.CustomerCulture }).FirstOrDefaultAsync(ct)
            : null;
        await FillRecipientsAsync(db, row, values, order?.ReceiverPhone, order?.CustomerEmail, ct);
        var culture = order?.CustomerCulture ?? options.Value.Culture;
        var template = await db.Set<NotificationTemplate>().AsNoTracking()
            .Where(t => t.Milestone == row.Milestone && t.Enabled)
            .OrderByDescending(t => t.Culture == culture).FirstOrDefaultAsync(ct);
        if (template is null)
        {
            await FinishAsync(row, OutboxStatus.Skipped, OutboxNotes.NoTemplate(row.Milestone), now, ct);
            return;
        }
        if (QuietHours.HoldUntil(template.QuietHours ?? (QuietHours.IsUrgent(row.Milestone) ? "" : options.Value.QuietHours), now) is { } morning)
        {
            await HoldAsync(row, morning, now, ct);
            return;
        }
        if (values.TryGetValue("trackingUrl", out var url) && url.StartsWith('/'))
        {
            values["trackingUrl"] = new Uri(publicAddress.BaseUrl, url).ToString();
        }
        var targets = Targets(values);
        var addresses = targets.Select(t => OptOuts.Normalize(t.To)).ToList();
        var optedOut = await db.Set<NotificationOptOut>().Where(o => addresses.Contains(o.Address)).Select(o => o.Address).ToListAsync(ct);
        targets.RemoveAll(t => optedOut.Contains(OptOuts.Normalize(t.To)));
        if (targets.Count == 0)
        {
            await FinishAsync(row, OutboxStatus.Skipped, optedOut.Count > 0 ? OutboxNotes.OptedOut : OutboxNotes.NoRecipient, now, ct);
            return;
        }

        var subject = TemplateRenderer.Render(template.Subject, values);
        var body = TemplateRenderer.Render(template.Body, values);
        // Every SMS carries the merchant's signature (签名) in 【】; the cloud providers add it from SignName themselves.
        var signName = await smsProviders.SignNameAsync(ct);
        var smsBody = string.IsNullOrWhiteSpace(signName) || body.StartsWith('【') ? body : $"【{signName}】{body}";
        var logged = await db.Set<DeliveryLogEntry>().Where(l => l.OutboxId == row.Id).Select(l => new { l.Channel, l.State }).ToListAsync(ct);
        var states = logged.Select(l => l.State).ToList();
        string? error = null;
        foreach (var (channel, to) in targets.Where(t => !logged.Any(l => l.Channel == t.Channel)))
        {
            var text = channel == NotificationChannel.Sms ? smsBody : body;
            var message = new OutgoingMessage(to, subject, text, "outbox-" + row.Id, row.Milestone, values);
            var result = channel == NotificationChannel.Sms ? await sms.SendAsync(message, ct) : await email.SendAsync(message, ct);
            if (!result.Success)
            {
                error = OutboxNotes.SendFailed(channel, result.Error);
                continue;
            }
            db.Add(new DeliveryLogEntry
            {
                OutboxId = row.Id, Channel = channel, Recipient = to, Subject = channel == NotificationChannel.Email ? subject : null, Body = text,
                Provider = result.Provider, ProviderMessageId = result.MessageId, OrderId = row.OrderId, SentAtUtc = clock.GetUtcNow().UtcDateTime,
                State = result.State,
            });
            states.Add(result.State);
            await db.SaveChangesAsync(ct);
        }
        await SettleAsync(row, error, states, now, ct);
    }

    /// <summary>Where a customer message goes: SMS to the phone, e-mail to the address, each when the payload has one.</summary>
    private static List<(NotificationChannel Channel, string To)> Targets(Dictionary<string, string> values)
    {
        var targets = new List<(NotificationChannel Channel, string To)>();
        if (values.TryGetValue("phone", out var phone) && !string.IsNullOrWhiteSpace(phone))
        {
            targets.Add((NotificationChannel.Sms, phone.Trim()));
        }
        if (values.TryGetValue("email", out var mail) && !string.IsNullOrWhiteSpace(mail))
        {
            targets.Add((NotificationChannel.Email, mail.Trim()));
        }
        return targets;
    }

    /// <summary>A message's outbox row after its sends: retried on an error, else sent or skipped by what the channels did.</summary>
    private async Task SettleAsync(OutboxMessage row, string? error, List<DeliveryState> states, DateTime now, CancellationToken ct)
    {
        if (error is not null)
        {
            await RescheduleAsync(row, error, now, ct);
        }
        // "Sent" only when a provider accepted a message (R10); log-only and unconfigured channels say so instead.
        else if (states.Any(s => s == DeliveryState.Sent))
        {
            await FinishAsync(row, OutboxStatus.Sent, null, now, ct);
        }
        else
        {
            await FinishAsync(row, OutboxStatus.Skipped, states.Contains(DeliveryState.NotConfigured) ? OutboxNotes.NotConfigured : OutboxNotes.LoggedNotSent, now, ct);
        }
    }

    /// <summary>
    /// A message about a return or an order that does not carry its recipient (the pickup booking, the refund) goes to
    /// the phone the return's pickup names, else the order's receiver; e-mail to the order's address.
    /// </summary>
    private static async Task FillRecipientsAsync(PortalDbContext db, OutboxMessage row, Dictionary<string, string> values, string? orderPhone,
        string? orderEmail, CancellationToken ct)
    {
        if (!values.TryGetValue("phone", out var phone) || string.IsNullOrWhiteSpace(phone))
        {
            var pickupPhone = row.ReturnId is { } returnId
                ? await db.Set<Returns.Pickup>().AsNoTracking().Where(p => p.ReturnId == returnId).OrderByDescending(p => p.Attempt)
                    .Select(p => p.ContactPhone).FirstOrDefaultAsync(ct)
                : null;
            if (!string.IsNullOrWhiteSpace(pickupPhone ?? orderPhone))
            {
                values["phone"] = (pickupPhone ?? orderPhone)!;
            }
        }
        if (!values.TryGetValue("email", out var mail) || string.IsNullOrWhiteSpace(mail))
        {
            // A return's own e-mail (given when it was opened) before the order's.
            var returnEmail = row.ReturnId is { } id
                ? await db.Set<Returns.ReturnRequest>().AsNoTracking().Where(r => r.Id == id).Select(r => r.ContactEmail).FirstOrDefaultAsync(ct)
                : null;
            if (!string.IsNullOrWhiteSpace(returnEmail ?? orderEmail))
            {
                values["email"] = (returnEmail ?? orderEmail)!;
            }
        }
        // The pickup templates say {window}; the booking gives its start and end.
        if (!values.ContainsKey("window") && values.TryGetValue("windowStart", out var from) && values.TryGetValue("windowEnd", out var to))
        {
            values["window"] = $"{from}-{to}";
        }
    }

    /// <summary>Quiet hours: back to the queue until the morning, the claim's attempt given back (a hold is not a failure).</summary>
    private async Task HoldAsync(OutboxMessage row, DateTime untilUtc, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempts = row.Attempts;
        var note = OutboxNotes.HeldUntil(untilUtc);
        await db.Set<OutboxMessage>().Where(o => o.Id == row.Id && o.Attempts == attempts)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.NextAttemptAtUtc, untilUtc).SetProperty(o => o.Attempts, attempts - 1)
                .SetProperty(o => o.LastError, note), ct);
        logger.LogInformation("Outbox row {Id} held for quiet hours until {Until:O} (now {Now:O})", row.Id, untilUtc, now);
    }

    /// <summary>One delivery per subscription that wants this event, and the row marked Sent, in one commit.</summary>
    private async Task FanOutAsync(OutboxMessage row, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subscriptions = (await db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.Enabled).ToListAsync(ct))
            .Where(s => s.Events.Contains(row.EventType, StringComparer.Ordinal)).ToList();
        var existing = await db.Set<WebhookDelivery>().Where(d => d.OutboxId == row.Id).Select(d => d.SubscriptionId).ToListAsync(ct);
        var body = Envelope(row);
        foreach (var s in subscriptions.Where(s => !existing.Contains(s.Id)))
        {
            db.Add(new WebhookDelivery
            {
                SubscriptionId = s.Id, OutboxId = row.Id, EventType = row.EventType, Body = body,
                Status = WebhookDeliveryStatus.Pending, NextAttemptAtUtc = now, CreatedAtUtc = now,
            });
        }
        var status = subscriptions.Count == 0 ? OutboxStatus.Skipped : OutboxStatus.Sent;
        var attempts = row.Attempts;
        // The deliveries and the "sent" mark commit together; the strategy wrapper lets SQL Server's retrying
        // execution strategy replay the whole unit.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ours = await db.Set<OutboxMessage>().Where(o => o.Id == row.Id && o.Attempts == attempts)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, status).SetProperty(o => o.SentAtUtc, now)
                    .SetProperty(o => o.LastError, subscriptions.Count == 0 ? OutboxNotes.NoSubscription : null), ct);
            if (ours == 1)
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        });
    }

    private static string Envelope(OutboxMessage row)
    {
        var data = JsonNode.Parse(row.PayloadJson);
        if (row.CaseId is { } caseId && data is JsonObject fields)
        {
            // Known only after the case's insert (EF fills the column in that same commit), so added here.
            fields["caseId"] = caseId;
        }
        return new JsonObject
        {
            ["id"] = row.Id,
            ["type"] = row.EventType,
            ["createdAt"] = DateTime.SpecifyKind(row.CreatedAtUtc, DateTimeKind.Utc),
            ["data"] = data,
        }.ToJsonString();
    }

    /// <summary>Only while the claim is still ours (same attempt count): a late finisher never overwrites a newer claim.</summary>
    private async Task FinishAsync(OutboxMessage row, OutboxStatus status, string? note, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempts = row.Attempts;
        await db.Set<OutboxMessage>().Where(o => o.Id == row.Id && o.Attempts == attempts)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, status)
                .SetProperty(o => o.SentAtUtc, status == OutboxStatus.Sent ? now : null)
                .SetProperty(o => o.LastError, note), ct);
    }

    private async Task RescheduleAsync(OutboxMessage row, string error, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempts = row.Attempts;
        var giveUp = attempts >= options.Value.MaxAttempts;
        var next = now + CustomerBackoff(attempts);
        error = error.Length > 1000 ? error[..1000] : error;
        await db.Set<OutboxMessage>().Where(o => o.Id == row.Id && o.Attempts == attempts)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, giveUp ? OutboxStatus.Failed : OutboxStatus.Pending)
                .SetProperty(o => o.NextAttemptAtUtc, next)
                .SetProperty(o => o.LastError, error), ct);
        logger.LogInformation("Outbox row {Id} attempt {Attempt} failed ({Error}); {Next}", row.Id, attempts, error, giveUp ? "giving up" : "retrying at " + next.ToString("O"));
    }

    /// <summary>1, 2, 4, 8… minutes, at most an hour.</summary>
    public static TimeSpan CustomerBackoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));
}

public static class OptOuts
{
    /// <summary>Phone numbers by their digits (last 11: "+86 139-0013-9000" = "13900139000"), e-mails in lower case.</summary>
    public static string Normalize(string address)
    {
        address = address.Trim();
        if (address.Contains('@', StringComparison.Ordinal))
        {
            return address.ToLowerInvariant();
        }
        var digits = new string(address.Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 11 ? digits[^11..] : digits;
    }
}

/// <summary>Quiet hours in Beijing time ("21:00-08:00", across midnight when the start is later than the end).</summary>
public static class QuietHours
{
    public const string Pattern = @"^$|^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$";

    /// <summary>Exceptions and pickup bookings concern something happening now: never held by default.</summary>
    public static bool IsUrgent(NotificationMilestone? milestone) =>
        milestone is null or NotificationMilestone.Exception or NotificationMilestone.PickupBooked or NotificationMilestone.Refunded;

    public static bool IsValid(string? window) => window is null || System.Text.RegularExpressions.Regex.IsMatch(window, Pattern);

    /// <summary>The end of the window (UTC) when <paramref name="nowUtc"/> falls inside it, else null.</summary>
    public static DateTime? HoldUntil(string? window, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(window) || !IsValid(window))
        {
            return null;
        }
        var start = TimeOnly.ParseExact(window[..5], "HH:mm", CultureInfo.InvariantCulture);
        var end = TimeOnly.ParseExact(window[6..], "HH:mm", CultureInfo.InvariantCulture);
        if (start == end)
        {
            return null;
        }
        var local = BusinessCalendar.ToBusinessTime(nowUtc);
        var time = TimeOnly.FromDateTime(local);
        var inside = start < end ? time >= start && time < end : time >= start || time < end;
        if (!inside)
        {
            return null;
        }
        var endDay = start > end && time >= start ? local.Date.AddDays(1) : local.Date;
        return DateTime.SpecifyKind(endDay + end.ToTimeSpan() - BusinessCalendar.Offset, DateTimeKind.Utc);
    }
}
