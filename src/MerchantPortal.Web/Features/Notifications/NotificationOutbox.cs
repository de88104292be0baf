using System.Text.Json;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Notifications;

// STAND-IN for the lead's shared hooks (replaced by main's version at merge).
public enum NotificationMilestone { Shipped, OutForDelivery, Delivered, Exception, PickupBooked, PickedUp, Refunded }
public enum OutboxKind { Customer, Webhook }
public enum OutboxStatus { Pending, Sent, Failed, Skipped }

public sealed class NotificationOutbox
{
    public long Id { get; set; }
    public OutboxKind Kind { get; set; }
    public NotificationMilestone? Milestone { get; set; }
    public required string EventType { get; set; }
    public long? OrderId { get; set; }
    public long? ShipmentId { get; set; }
    public long? ReturnId { get; set; }
    public required string PayloadJson { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public string? LastError { get; set; }
}

internal sealed class NotificationOutboxConfiguration : IEntityTypeConfiguration<NotificationOutbox>
{
    public void Configure(EntityTypeBuilder<NotificationOutbox> b)
    {
        b.ToTable("NotificationOutbox");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Milestone).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
    }
}

public static class Outbox
{
    public static void EnqueueCustomer(PortalDbContext db, NotificationMilestone milestone, long? orderId, long? shipmentId,
        long? returnId, IReadOnlyDictionary<string, string> values, DateTime nowUtc) =>
        db.Add(new NotificationOutbox
        {
            Kind = OutboxKind.Customer, Milestone = milestone, EventType = milestone.ToString(), OrderId = orderId, ShipmentId = shipmentId,
            ReturnId = returnId, PayloadJson = JsonSerializer.Serialize(values), Status = OutboxStatus.Pending, NextAttemptAtUtc = nowUtc, CreatedAtUtc = nowUtc,
        });

    public static void EnqueueWebhook(PortalDbContext db, string eventType, object payload, DateTime nowUtc,
        long? orderId = null, long? shipmentId = null, long? returnId = null) =>
        db.Add(new NotificationOutbox
        {
            Kind = OutboxKind.Webhook, EventType = eventType, OrderId = orderId, ShipmentId = shipmentId, ReturnId = returnId,
            PayloadJson = JsonSerializer.Serialize(payload), Status = OutboxStatus.Pending, NextAttemptAtUtc = nowUtc, CreatedAtUtc = nowUtc,
        });
}
