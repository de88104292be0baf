using System.Text.Json;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>The moments a customer hears about.</summary>
public enum NotificationMilestone
{
    Shipped,
    OutForDelivery,
    Delivered,
    Exception,
    PickupBooked,
    PickedUp,
    Refunded,
    /// <summary>"Your parcel is expected on …", once after pickup when the portal has predicted its delivery.</summary>
    DeliveryDateExpected,
    /// <summary>The predicted Beijing date moved by a day or more from the one last told.</summary>
    DeliveryDateMoved,
}

public enum OutboxKind
{
    Customer,
    Webhook,
}

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
    Skipped,
}

/// <summary>
/// A message owed to a customer or to a webhook subscriber, written in the same transaction as the change that caused
/// it. The dispatcher sends what is pending; because the row exists exactly when the change does, nothing is sent for
/// a change that rolled back and nothing is lost when the process dies before sending.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public OutboxKind Kind { get; set; }
    public NotificationMilestone? Milestone { get; set; }
    /// <summary>Webhook event type ("shipment.status_changed"); for customer messages the milestone's name.</summary>
    public required string EventType { get; set; }
    public long? OrderId { get; set; }
    public long? ShipmentId { get; set; }
    public long? ReturnId { get; set; }
    /// <summary>The exception case of an exception.* webhook; the envelope adds it to the data as "caseId".</summary>
    public long? CaseId { get; set; }
    /// <summary>Template placeholder values (customer) or the webhook body (webhook).</summary>
    public required string PayloadJson { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("NotificationOutbox");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Milestone).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(1000);
        // The dispatcher reads pending rows that are due.
        b.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
        b.HasIndex(x => x.OrderId);
    }
}

/// <summary>Writers' side of the outbox: add a row to the caller's unit of work; the caller saves.</summary>
public static class Outbox
{
    public static void EnqueueCustomer(PortalDbContext db, NotificationMilestone milestone, long? orderId, long? shipmentId,
        long? returnId, IReadOnlyDictionary<string, string> values, DateTime nowUtc) =>
        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Kind = OutboxKind.Customer,
            Milestone = milestone,
            EventType = milestone.ToString(),
            OrderId = orderId,
            ShipmentId = shipmentId,
            ReturnId = returnId,
            PayloadJson = JsonSerializer.Serialize(values),
            Status = OutboxStatus.Pending,
            NextAttemptAtUtc = nowUtc,
            CreatedAtUtc = nowUtc,
        });

    /// <param name="caseId">The exception case the event is about (exception.* events).</param>
    public static void EnqueueWebhook(PortalDbContext db, string eventType, object payload, DateTime nowUtc,
        long? orderId = null, long? shipmentId = null, long? returnId = null, long? caseId = null)
    {
        var message = Webhook(eventType, payload, nowUtc, orderId, shipmentId, returnId);
        message.CaseId = caseId;
        db.Set<OutboxMessage>().Add(message);
    }

    /// <summary>
    /// A webhook row added to a new entity's navigation (an exception case not saved yet): EF inserts the entity first
    /// and fills the row's key to it in the same commit.
    /// </summary>
    public static void EnqueueWebhook(ICollection<OutboxMessage> navigation, string eventType, object payload, DateTime nowUtc,
        long? orderId = null, long? shipmentId = null, long? returnId = null) =>
        navigation.Add(Webhook(eventType, payload, nowUtc, orderId, shipmentId, returnId));

    private static OutboxMessage Webhook(string eventType, object payload, DateTime nowUtc, long? orderId, long? shipmentId, long? returnId) =>
        new()
        {
            Kind = OutboxKind.Webhook,
            EventType = eventType,
            OrderId = orderId,
            ShipmentId = shipmentId,
            ReturnId = returnId,
            PayloadJson = JsonSerializer.Serialize(payload, payload.GetType(), WebhookJson),
            Status = OutboxStatus.Pending,
            NextAttemptAtUtc = nowUtc,
            CreatedAtUtc = nowUtc,
        };

    /// <summary>Webhook bodies are camelCase JSON, as the REST API.</summary>
    public static readonly JsonSerializerOptions WebhookJson = new(JsonSerializerDefaults.Web);
}
