using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Notifications;

public enum NotificationChannel
{
    Sms,
    Email,
}

/// <summary>
/// What is known about a message after it left the dispatcher (R10: never "sent" without a provider's acceptance).
/// LoggedNotSent: the development log-only sender; NotConfigured: no provider for the channel, nothing left the portal;
/// Sent: the provider accepted it (its message id kept); Delivered / Failed: the provider's delivery receipt said so.
/// </summary>
public enum DeliveryState
{
    Sent,
    Delivered,
    Failed,
    LoggedNotSent,
    NotConfigured,
}

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
    /// <summary>Never sent: its subscription was disabled or edited while it waited (it was meant for the old address).</summary>
    Cancelled,
}

/// <summary>The text sent to a customer at a milestone, per language. Placeholders: {orderNo}, {trackingNo}, {carrier}…</summary>
public sealed class NotificationTemplate
{
    public int Id { get; set; }
    public NotificationMilestone Milestone { get; set; }
    /// <summary>"zh-CN" or "en".</summary>
    public required string Culture { get; set; }
    /// <summary>E-mail subject; SMS sends the body only.</summary>
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>
    /// "HH:mm-HH:mm" Beijing time during which this message waits for the window's end; "" sends at any hour; null takes
    /// the default (Notifications:QuietHours for the non-urgent milestones, none for the others).
    /// </summary>
    public string? QuietHours { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

/// <summary>What was sent to whom, once per outbox row and channel (a unique index: a retry never logs twice).</summary>
public sealed class DeliveryLogEntry
{
    public long Id { get; set; }
    public long OutboxId { get; set; }
    public NotificationChannel Channel { get; set; }
    public required string Recipient { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>Which sender delivered it ("log", "http-gateway") and the gateway's message id when it gives one.</summary>
    public required string Provider { get; set; }
    public string? ProviderMessageId { get; set; }
    public long? OrderId { get; set; }
    public DateTime SentAtUtc { get; set; }
    public DeliveryState State { get; set; }
    /// <summary>When the provider's receipt arrived (Delivered / Failed).</summary>
    public DateTime? StateAtUtc { get; set; }
    /// <summary>The provider's own status or error code from the receipt ("DELIVRD", "IS_CLOSE"…).</summary>
    public string? StateDetail { get; set; }
}

/// <summary>A customer who asked for no more messages, by phone number (digits) or e-mail (lower case).</summary>
public sealed class NotificationOptOut
{
    public int Id { get; set; }
    public required string Address { get; set; }
    public string? Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>An endpoint of the merchant's that receives signed events. The secret is stored encrypted (Data Protection).</summary>
public sealed class WebhookSubscription
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    /// <summary>Comma-separated <see cref="WebhookEvents"/> names.</summary>
    public required string EventTypes { get; set; }
    public required string SecretProtected { get; set; }
    /// <summary>The secret before the last rotation, still signed with until <see cref="PreviousSecretUntilUtc"/>.</summary>
    public string? PreviousSecretProtected { get; set; }
    public DateTime? PreviousSecretUntilUtc { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public IReadOnlyList<string> Events => EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One event for one subscription, with its own retry schedule; also the webhook delivery log.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public int SubscriptionId { get; set; }
    public long OutboxId { get; set; }
    public required string EventType { get; set; }
    public required string Body { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

internal sealed class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> b)
    {
        b.ToTable("NotificationTemplates");
        b.Property(x => x.Milestone).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Culture).HasMaxLength(10);
        b.Property(x => x.Subject).HasMaxLength(200);
        b.Property(x => x.Body).HasMaxLength(1000);
        b.Property(x => x.QuietHours).HasMaxLength(11);
        b.HasIndex(x => new { x.Milestone, x.Culture }).IsUnique();
        b.HasData(DefaultTemplates.All);
    }
}

internal sealed class DeliveryLogEntryConfiguration : IEntityTypeConfiguration<DeliveryLogEntry>
{
    public void Configure(EntityTypeBuilder<DeliveryLogEntry> b)
    {
        b.ToTable("NotificationDeliveryLog");
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.Recipient).HasMaxLength(256);
        b.Property(x => x.Subject).HasMaxLength(200);
        b.Property(x => x.Body).HasMaxLength(2000);
        b.Property(x => x.Provider).HasMaxLength(32);
        b.Property(x => x.ProviderMessageId).HasMaxLength(100);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.StateDetail).HasMaxLength(200);
        b.HasIndex(x => new { x.OutboxId, x.Channel }).IsUnique();
        // The receipt job looks up accepted messages by the provider's id.
        b.HasIndex(x => new { x.Provider, x.ProviderMessageId });
        b.HasIndex(x => new { x.State, x.SentAtUtc });
        b.HasIndex(x => x.SentAtUtc);
    }
}

internal sealed class NotificationOptOutConfiguration : IEntityTypeConfiguration<NotificationOptOut>
{
    public void Configure(EntityTypeBuilder<NotificationOptOut> b)
    {
        b.ToTable("NotificationOptOuts");
        b.Property(x => x.Address).HasMaxLength(256);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.Address).IsUnique();
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.ToTable("WebhookSubscriptions");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Url).HasMaxLength(500);
        b.Property(x => x.EventTypes).HasMaxLength(500);
        b.Property(x => x.SecretProtected).HasMaxLength(1000);
        b.Property(x => x.PreviousSecretProtected).HasMaxLength(1000);
        b.Ignore(x => x.Events);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.OutboxId, x.SubscriptionId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
        b.HasIndex(x => new { x.SubscriptionId, x.Id });
        b.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
