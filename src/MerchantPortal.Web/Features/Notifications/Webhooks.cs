using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// Standard Webhooks signatures (docs/messaging-providers.md §Webhooks, https://www.standardwebhooks.com/):
/// webhook-signature = "v1," + Base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), the key being the
/// base64-decoded part of the "whsec_…" secret. Several signatures are separated by spaces (secret rotation); a receiver
/// accepts any that matches and refuses a timestamp more than <see cref="Tolerance"/> away from its clock.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static byte[] Key(string secret) => Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    public static string Sign(string secret, string id, long unixSeconds, string body)
    {
        var content = $"{id}.{unixSeconds.ToString(CultureInfo.InvariantCulture)}.{body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>What a receiver does: timestamp within the tolerance, then any "v1," signature equal in constant time.</summary>
    public static bool Verify(string secret, string id, string timestamp, string signatures, string body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || Math.Abs(now.ToUnixTimeSeconds() - unix) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, unix, body));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)));
    }
}

public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("MerchantPortal.Webhooks.Secrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    /// <summary>
    /// "whsec_" + Base64 of 32 random bytes (the spec asks for 24 to 64). Secrets made before were "whsec_" + 48 hex digits,
    /// which are valid Base64 too: they keep working, a receiver decodes them the same way.
    /// </summary>
    public static string NewSecret() => WebhookSignature.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>Delivers due webhook deliveries (claimed like outbox rows) and reschedules failures on <see cref="NotificationDispatcher.WebhookBackoff"/>.</summary>
public sealed class WebhookSender(IDbContextFactory<PortalDbContext> dbFactory, IHttpClientFactory httpFactory, WebhookSecrets secrets, TimeProvider clock, ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhooks";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.Set<WebhookDelivery>().Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAtUtc <= now)
                .OrderBy(d => d.NextAttemptAtUtc).ThenBy(d => d.Id).Select(d => d.Id).Take(100).ToListAsync(ct);
        }
        var sent = 0;
        foreach (var id in due)
        {
            sent += await DeliverAsync(id, now, ct) ? 1 : 0;
        }
        return sent;
    }

    private async Task<bool> DeliverAsync(long id, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leaseEnd = now + Lease;
        var claimed = await db.Set<WebhookDelivery>().Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAtUtc <= now)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAtUtc, leaseEnd).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        if (claimed == 0)
        {
            return false;
        }
        var delivery = await db.Set<WebhookDelivery>().SingleAsync(d => d.Id == id, ct);
        var subscription = await db.Set<WebhookSubscription>().AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, ct);
        if (!subscription.Enabled)
        {
            // Disabled after this was claimed (or by a writer that did not cancel): it is not sent.
            await WebhookService.CancelQueuedAsync(db, subscription.Id, ct);
            return false;
        }
        var (ok, status, error) = await PostAsync(subscription, delivery, ct);
        var finished = clock.GetUtcNow().UtcDateTime;
        delivery.LastStatusCode = status;
        delivery.LastError = error;
        if (ok)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAtUtc = finished;
        }
        else if (delivery.Attempts > NotificationDispatcher.WebhookBackoff.Length)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
        }
        else
        {
            // Scheduled from the attempt's start, so the schedule does not drift by the receiver's response time.
            delivery.NextAttemptAtUtc = now + NotificationDispatcher.WebhookBackoff[delivery.Attempts - 1];
            logger.LogInformation("Webhook delivery {Id} to {Url} failed ({Error}); retry at {Next:O}", id, subscription.Url, error, delivery.NextAttemptAtUtc);
        }
        await db.SaveChangesAsync(ct);
        return ok;
    }

    private async Task<(bool Ok, int? Status, string? Error)> PostAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken ct)
    {
        try
        {
            var now = clock.GetUtcNow();
            var timestamp = now.ToUnixTimeSeconds();
            // The id stays the same on every retry of this delivery, so a receiver dedupes on it.
            var messageId = "msg_" + delivery.Id.ToString(CultureInfo.InvariantCulture);
            var signature = WebhookSignature.Sign(secrets.Unprotect(subscription.SecretProtected), messageId, timestamp, delivery.Body);
            if (subscription.PreviousSecretProtected is { } previous && subscription.PreviousSecretUntilUtc > now.UtcDateTime)
            {
                // Rotation grace: both signatures, space-separated, so a receiver still holding the old secret verifies.
                signature += " " + WebhookSignature.Sign(secrets.Unprotect(previous), messageId, timestamp, delivery.Body);
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(WebhookSignature.IdHeader, messageId);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, signature);
            request.Headers.Add("X-MerchantPortal-Event", delivery.EventType);
            request.Headers.Add("X-MerchantPortal-Delivery", delivery.Id.ToString(CultureInfo.InvariantCulture));
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, ct);
            // A redirect is an answer, not a new address to send the signed body to (the handler follows none).
            return ((int)response.StatusCode is >= 200 and < 300, (int)response.StatusCode, response.IsSuccessStatusCode ? null : "HTTP " + (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or CryptographicException && !ct.IsCancellationRequested)
        {
            // What went wrong, never where: the delivery log must not become a port scanner's report.
            logger.LogInformation(ex, "Webhook delivery {Id} failed", delivery.Id);
            return (false, null, ex is CryptographicException ? "The subscription's secret cannot be read." : OutboundHttp.Describe(ex));
        }
    }
}

public sealed record WebhookSubscriptionInput(string Name, string Url, IReadOnlyList<string> EventTypes, bool Enabled = true);

/// <param name="RotationGraceUntilUtc">After a rotation: until when the previous signing key still signs too.</param>
public sealed record WebhookSubscriptionView(int Id, string Name, string Url, IReadOnlyList<string> EventTypes, bool Enabled, DateTime CreatedAtUtc,
    DateTime? RotationGraceUntilUtc = null);

/// <param name="Secret">Only when just created: shown once, stored encrypted.</param>
public sealed record WebhookSaveResult(bool Ok, string? Error = null, WebhookSubscriptionView? Subscription = null, string? Secret = null);

public sealed record WebhookDeliveryView(long Id, int SubscriptionId, string EventType, WebhookDeliveryStatus Status, int Attempts,
    DateTime CreatedAtUtc, DateTime NextAttemptAtUtc, DateTime? DeliveredAtUtc, int? LastStatusCode, string? LastError);

/// <summary>Admin management of webhook subscriptions, audited; the secret is generated here and never shown again.</summary>
public sealed class WebhookService(IDbContextFactory<PortalDbContext> dbFactory, WebhookSecrets secrets, OutboundPolicy outbound, TimeProvider clock)
{
    public async Task<IReadOnlyList<WebhookSubscriptionView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Set<WebhookSubscription>().AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(int? subscriptionId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<WebhookDelivery>().AsNoTracking();
        if (subscriptionId is { } id)
        {
            q = q.Where(d => d.SubscriptionId == id);
        }
        return await q.OrderByDescending(d => d.Id).Take(take)
            .Select(d => new WebhookDeliveryView(d.Id, d.SubscriptionId, d.EventType, d.Status, d.Attempts, d.CreatedAtUtc, d.NextAttemptAtUtc, d.DeliveredAtUtc, d.LastStatusCode, d.LastError))
            .ToListAsync(ct);
    }

    public async Task<WebhookSaveResult> CreateAsync(WebhookSubscriptionInput input, string actor, CancellationToken ct = default)
    {
        if (Validate(input) is { } error)
        {
            return new WebhookSaveResult(false, error);
        }
        var secret = WebhookSecrets.NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        var s = new WebhookSubscription
        {
            Name = input.Name.Trim(), Url = input.Url.Trim(), EventTypes = string.Join(',', input.EventTypes.Distinct()),
            SecretProtected = secrets.Protect(secret), Enabled = input.Enabled, CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Add(s);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "webhook.create", nameof(WebhookSubscription), s.Id.ToString(CultureInfo.InvariantCulture), $"{s.Url} [{s.EventTypes}]");
        await db.SaveChangesAsync(ct);
        return new WebhookSaveResult(true, Subscription: View(s), Secret: secret);
    }

    public async Task<WebhookSaveResult> UpdateAsync(int id, WebhookSubscriptionInput input, string actor, CancellationToken ct = default)
    {
        if (Validate(input) is { } error)
        {
            return new WebhookSaveResult(false, error);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Set<WebhookSubscription>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
        {
            return new WebhookSaveResult(false, "not-found");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (url, eventTypes) = (input.Url.Trim(), string.Join(',', input.EventTypes.Distinct()));
        // Queued deliveries were meant for the subscription as it was: none may go to a new address, for an event no
        // longer wanted, or after it is turned off. Cancelled in the same transaction as the change.
        var cancel = !input.Enabled || url != s.Url || eventTypes != s.EventTypes;
        (s.Name, s.Url, s.EventTypes, s.Enabled, s.UpdatedAtUtc) = (input.Name.Trim(), url, eventTypes, input.Enabled, now);
        db.Audit(now, actor, "webhook.update", nameof(WebhookSubscription), id.ToString(CultureInfo.InvariantCulture), $"{s.Url} [{s.EventTypes}] enabled={s.Enabled}");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (cancel)
        {
            await CancelQueuedAsync(db, id, ct);
        }
        await tx.CommitAsync(ct);
        return new WebhookSaveResult(true, Subscription: View(s));
    }

    internal const string CancelledReason = "Cancelled: the subscription was edited or disabled before this was sent.";

    internal static Task<int> CancelQueuedAsync(PortalDbContext db, int subscriptionId, CancellationToken ct) =>
        db.Set<WebhookDelivery>().Where(d => d.SubscriptionId == subscriptionId && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, WebhookDeliveryStatus.Cancelled).SetProperty(d => d.LastError, CancelledReason), ct);

    /// <summary>How long the secret before a rotation still signs: time for the receiver to switch.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    /// <summary>A new secret (shown once); the old one keeps signing beside it for <see cref="RotationGrace"/>.</summary>
    public async Task<WebhookSaveResult> RotateSecretAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Set<WebhookSubscription>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
        {
            return new WebhookSaveResult(false, "not-found");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSecrets.NewSecret();
        (s.PreviousSecretProtected, s.PreviousSecretUntilUtc, s.SecretProtected, s.UpdatedAtUtc) = (s.SecretProtected, now + RotationGrace, secrets.Protect(secret), now);
        db.Audit(now, actor, "webhook.rotate-secret", nameof(WebhookSubscription), id.ToString(CultureInfo.InvariantCulture), $"old secret valid until {s.PreviousSecretUntilUtc:O}");
        await db.SaveChangesAsync(ct);
        return new WebhookSaveResult(true, Subscription: View(s), Secret: secret);
    }

    public async Task<bool> DeleteAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Set<WebhookSubscription>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
        {
            return false;
        }
        db.Remove(s);
        db.Audit(clock.GetUtcNow().UtcDateTime, actor, "webhook.delete", nameof(WebhookSubscription), id.ToString(CultureInfo.InvariantCulture), s.Url);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private string? Validate(WebhookSubscriptionInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 100)
        {
            return "name";
        }
        if (!IsAcceptableUrl(input.Url))
        {
            return "url";
        }
        if (input.EventTypes.Count == 0 || input.EventTypes.Any(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)))
        {
            return "eventTypes";
        }
        return null;
    }

    /// <summary>
    /// https only: the body carries customers' order data and the signature proves the sender, not privacy. Plain
    /// http is allowed to the loopback only, where loopback is allowed at all (development and the tests). An address
    /// in the portal's own network is refused here when it is written as one, and when connecting otherwise.
    /// </summary>
    public bool IsAcceptableUrl(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 500 || !Uri.TryCreate(text, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host)
            || outbound.IsInternal(url))
        {
            return false;
        }
        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback && outbound.AllowLoopback);
    }

    private static WebhookSubscriptionView View(WebhookSubscription s) => new(s.Id, s.Name, s.Url, s.Events, s.Enabled, s.CreatedAtUtc, s.PreviousSecretUntilUtc);
}
