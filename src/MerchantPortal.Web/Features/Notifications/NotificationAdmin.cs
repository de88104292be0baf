using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Notifications;

/// <param name="State">Sent (a provider accepted it), Delivered / Failed (its receipt), LoggedNotSent, NotConfigured.</param>
public sealed record DeliveryLogRow(long Id, long OutboxId, NotificationChannel Channel, string Recipient, string? Subject, string Body, string Provider, DateTime SentAtUtc,
    string? ProviderMessageId = null, DeliveryState State = DeliveryState.Sent, DateTime? StateAtUtc = null, string? StateDetail = null);

public enum OptOutOutcome
{
    Added,
    AlreadyOptedOut,
    BadAddress,
    ReasonTooLong,
}

public sealed record OutboxRow(long Id, OutboxKind Kind, string EventType, OutboxStatus Status, int Attempts, DateTime NextAttemptAtUtc, DateTime CreatedAtUtc, string? LastError);

/// <summary>
/// Why an outbox row was skipped or is retried. The row keeps the note as English text (the API and the log read it);
/// the delivery log page tells from the text which of these it is and words it in its reader's language.
/// </summary>
public static class OutboxNotes
{
    public const string OptedOut = "Opted out";
    public const string NoRecipient = "No phone or e-mail";
    public const string NoSubscription = "No subscription";
    /// <summary>Development's log-only sender recorded it; nothing left the portal.</summary>
    public const string LoggedNotSent = "Logged, not sent";
    /// <summary>No provider is configured for the channel (outside Development).</summary>
    public const string NotConfigured = "Not configured";
    private const string HeldPrefix = "Held for quiet hours until ";

    public static string HeldUntil(DateTime utc) => HeldPrefix + BusinessCalendar.ToBusinessTime(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    private const string NoTemplatePrefix = "No enabled template for ";

    public static string NoTemplate(NotificationMilestone? milestone) => NoTemplatePrefix + milestone;

    public static string SendFailed(NotificationChannel channel, string? providerError) => $"{channel}: {providerError}";

    /// <summary>
    /// The note's code ("OptedOut", "NoRecipient", "NoSubscription", "NoTemplate" with the milestone, "SendFailed" with the
    /// channel and the provider's own words), or "Error" with the text of an exception.
    /// </summary>
    public static (string Code, string? Subject, string? Text) Classify(string note)
    {
        switch (note)
        {
            case OptedOut:
                return (nameof(OptedOut), null, null);
            case NoRecipient:
                return (nameof(NoRecipient), null, null);
            case NoSubscription:
                return (nameof(NoSubscription), null, null);
            case LoggedNotSent:
                return (nameof(LoggedNotSent), null, null);
            case NotConfigured:
                return (nameof(NotConfigured), null, null);
        }
        if (note.StartsWith(HeldPrefix, StringComparison.Ordinal))
        {
            return ("QuietHours", note[HeldPrefix.Length..], null);
        }
        if (note.StartsWith(NoTemplatePrefix, StringComparison.Ordinal))
        {
            return (nameof(NoTemplate), note[NoTemplatePrefix.Length..], null);
        }
        foreach (var channel in Enum.GetNames<NotificationChannel>())
        {
            if (note.StartsWith(channel + ": ", StringComparison.Ordinal))
            {
                return (nameof(SendFailed), channel, note[(channel.Length + 2)..]);
            }
        }
        return ("Error", null, note);
    }
}

/// <summary>Templates, opt-outs and the logs behind the notification pages. Edits are audited.</summary>
public sealed class NotificationAdmin(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxLogLimit = 500;

    /// <summary>The log's recipient filter and the opt-out address take at most this many characters.</summary>
    public const int MaxAddress = 256;

    /// <summary>What is wrong with a delivery-log query, field by field.</summary>
    public static FieldProblems DeliveryLogProblems(string? recipient, long? before, int? limit)
    {
        var problems = new FieldProblems();
        if (recipient?.Length > MaxAddress)
        {
            problems.Add("recipient", $"recipient is part of a phone number or e-mail address of at most {MaxAddress} characters; it had {recipient.Length}.");
        }
        if (before is < 1)
        {
            problems.Add("before", $"before is the id of a delivery (from 1); it was {before}.");
        }
        return problems.Add(LimitProblems(limit));
    }

    public static FieldProblems LimitProblems(int? limit) => limit is < 1 or > MaxLogLimit
        ? FieldProblems.Of("limit", $"limit is 1 to {MaxLogLimit}; it was {limit}.")
        : new FieldProblems();

    /// <summary>A template's subject and body against the limits <see cref="SaveTemplateAsync"/> keeps, field by field.</summary>
    public static FieldProblems TemplateProblems(string? subject, string? body)
    {
        const int maxSubject = NotificationTemplateEndpoints.MaxSubject, maxBody = NotificationTemplateEndpoints.MaxBody;
        var problems = new FieldProblems();
        if (string.IsNullOrWhiteSpace(body))
        {
            problems.Add("body", "The body is required.");
        }
        else if (body.Length > maxBody)
        {
            problems.Add("body", $"The body has at most {maxBody} characters; it had {body.Length}. Nothing was saved.");
        }
        if (subject?.Length > maxSubject)
        {
            problems.Add("subject", $"The subject has at most {maxSubject} characters; it had {subject.Length}. Nothing was saved.");
        }
        return problems;
    }

    /// <summary>The opt-out's address before it is parsed: present and not over <see cref="MaxAddress"/>.</summary>
    public static FieldProblems OptOutAddressProblems(string? address) => string.IsNullOrWhiteSpace(address) || address.Length > MaxAddress
        ? FieldProblems.Of("address", $"address is a phone number or an e-mail address of at most {MaxAddress} characters.")
        : new FieldProblems();

    public async Task<IReadOnlyList<NotificationTemplate>> TemplatesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Set<NotificationTemplate>().AsNoTracking().ToListAsync(ct)).OrderBy(t => t.Milestone).ThenByDescending(t => t.Culture).ToList();
    }

    public async Task<bool> SaveTemplateAsync(int id, string subject, string body, bool enabled, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > 1000 || subject.Length > 200)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var t = await db.Set<NotificationTemplate>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (t is null)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        (t.Subject, t.Body, t.Enabled, t.UpdatedAtUtc) = (subject.Trim(), body.Trim(), enabled, now);
        db.Audit(now, actor, "notification-template.update", nameof(NotificationTemplate), id.ToString(CultureInfo.InvariantCulture), $"{t.Milestone} {t.Culture}: {t.Body}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// The template's own quiet hours ("HH:mm-HH:mm" Beijing), "" for none (sent at any hour), null for the default; false
    /// when the text is not such a window or the template does not exist.
    /// </summary>
    public async Task<bool> SetQuietHoursAsync(int id, string? quietHours, string actor, CancellationToken ct = default)
    {
        quietHours = quietHours?.Trim();
        if (!QuietHours.IsValid(quietHours))
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var t = await db.Set<NotificationTemplate>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (t is null)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        (t.QuietHours, t.UpdatedAtUtc) = (quietHours, now);
        db.Audit(now, actor, "notification-template.quiet-hours", nameof(NotificationTemplate), id.ToString(CultureInfo.InvariantCulture), $"{t.Milestone} {t.Culture}: {quietHours ?? "default"}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Newest first, keyset on Id.</summary>
    public async Task<IReadOnlyList<DeliveryLogRow>> DeliveryLogAsync(string? recipient, long? beforeId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<DeliveryLogEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(recipient))
        {
            var r = recipient.Trim();
            q = q.Where(l => l.Recipient.Contains(r));
        }
        if (beforeId is { } before)
        {
            q = q.Where(l => l.Id < before);
        }
        return await q.OrderByDescending(l => l.Id).Take(take)
            .Select(l => new DeliveryLogRow(l.Id, l.OutboxId, l.Channel, l.Recipient, l.Subject, l.Body, l.Provider, l.SentAtUtc, l.ProviderMessageId, l.State, l.StateAtUtc, l.StateDetail)).ToListAsync(ct);
    }

    /// <summary>Messages not sent (yet): pending retries, failures and skips, newest first.</summary>
    public async Task<IReadOnlyList<OutboxRow>> UnsentAsync(int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<OutboxMessage>().AsNoTracking()
            .Where(o => o.Kind == OutboxKind.Customer && o.Status != OutboxStatus.Sent)
            .OrderByDescending(o => o.Id).Take(take)
            .Select(o => new OutboxRow(o.Id, o.Kind, o.EventType, o.Status, o.Attempts, o.NextAttemptAtUtc, o.CreatedAtUtc, o.LastError)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<NotificationOptOut>> OptOutsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<NotificationOptOut>().AsNoTracking().OrderByDescending(o => o.Id).Take(500).ToListAsync(ct);
    }

    /// <summary>The opt-out reason column; a longer reason is refused, never cut.</summary>
    public const int MaxOptOutReason = 200;

    /// <summary>
    /// Records that an address wants no more messages. Adding one twice is harmless (AlreadyOptedOut, the first entry
    /// stays); an address that is no phone number or e-mail, or a reason over <see cref="MaxOptOutReason"/>
    /// characters, stores nothing.
    /// </summary>
    public async Task<(OptOutOutcome Outcome, NotificationOptOut? OptOut)> AddOptOutAsync(string address, string? reason, string actor, CancellationToken ct = default)
    {
        var normalized = OptOuts.Normalize(address ?? "");
        if (normalized.Length < 5 || normalized.Length > 256)
        {
            return (OptOutOutcome.BadAddress, null);
        }
        var why = reason?.Trim() is { Length: > 0 } r ? r : null;
        if (why?.Length > MaxOptOutReason)
        {
            return (OptOutOutcome.ReasonTooLong, null);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<NotificationOptOut>().AsNoTracking().SingleOrDefaultAsync(o => o.Address == normalized, ct) is { } existing)
        {
            return (OptOutOutcome.AlreadyOptedOut, existing);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var optOut = new NotificationOptOut { Address = normalized, Reason = why, CreatedBy = actor, CreatedAtUtc = now };
        db.Add(optOut);
        db.Audit(now, actor, "notification-optout.add", nameof(NotificationOptOut), null, normalized);
        await db.SaveChangesAsync(ct);
        return (OptOutOutcome.Added, optOut);
    }

    /// <summary>False when no opt-out has this id (already removed).</summary>
    public async Task<bool> RemoveOptOutAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<NotificationOptOut>().SingleOrDefaultAsync(o => o.Id == id, ct) is not { } o)
        {
            return false;
        }
        db.Remove(o);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "notification-optout.remove", nameof(NotificationOptOut), null, o.Address);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
