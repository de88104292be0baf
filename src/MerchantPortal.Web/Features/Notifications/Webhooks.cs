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
/// X-MerchantPortal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;. The timestamp is
/// signed so a receiver can refuse replays older than a few minutes.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-MerchantPortal-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, CultureInfo.InvariantCulture, out var unix))
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, unix, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes($"t={t},v1={v1}"));
    }
}

public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("MerchantPortal.Webhooks.Secrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
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
            var secret = secrets.Unprotect(subscription.SecretProtected);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), delivery.Body));
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

public sealed record WebhookSubscriptionView(int Id, string Name, string Url, IReadOnlyList<string> EventTypes, bool Enabled, DateTime CreatedAtUtc);

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

    private static WebhookSubscriptionView View(WebhookSubscription s) => new(s.Id, s.Name, s.Url, s.Events, s.Enabled, s.CreatedAtUtc);
}
