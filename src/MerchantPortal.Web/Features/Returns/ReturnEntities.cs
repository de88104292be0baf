using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Requested → Approved → PickupBooked → PickedUp → InTransit → Received → Refunded, or Rejected / Cancelled.
/// The numeric order is the forward order: a return only ever moves to a later status (a late scan never moves it
/// back), except that a cancelled or missed pickup returns it to Approved.
/// </summary>
public enum ReturnStatus
{
    Requested = 0,
    Approved = 1,
    PickupBooked = 2,
    PickedUp = 3,
    InTransit = 4,
    Received = 5,
    Refunded = 6,
    Rejected = 10,
    Cancelled = 11,
}

public enum ReturnReason
{
    Damaged,
    WrongItem,
    NotAsDescribed,
    SizeOrFit,
    NoLongerNeeded,
    Other,
}

public enum ReturnResolution
{
    Refund,
    Exchange,
}

public enum PickupStatus
{
    /// <summary>Saved before 1801 is sent; stays so when the answer was lost, and the same OrderCode is sent again.</summary>
    Requested,
    Booked,
    Collected,
    Cancelled,
    NoShow,
    /// <summary>The aggregator refused the booking (e.g. 103 window); the next booking is a new attempt.</summary>
    Failed,
}

/// <summary>
/// Requested → Pending → Succeeded | Failed. Only Succeeded (the provider's or the merchant system's confirmation)
/// makes the return Refunded and tells the customer; see docs/payments-wechatpay.md.
/// </summary>
public enum RefundStatus
{
    /// <summary>Decided (the return reached its trigger); not yet handed to a payment path (the job has not run, or no path is configured).</summary>
    Requested,
    /// <summary>Handed to the payment path; waiting for its confirmation (a WeChat Pay answer or notification, the merchant system's result).</summary>
    Pending,
    Succeeded,
    Failed,
}

/// <summary>How the money of a refund moves (PortalSettings "refunds.method"). None: nothing is paid and the return page says so.</summary>
public enum RefundMethod
{
    None,
    /// <summary>The merchant's own system pays on the "refund.requested" webhook and confirms with POST /api/v1/refunds/{id}/result.</summary>
    MerchantSystem,
    /// <summary>WeChat Pay API v3 domestic refunds (申请退款), confirmed by its answer, notification or query.</summary>
    WeChatPay,
}

/// <summary>A return (RMA) of some lines of one order. Written only by the Returns feature.</summary>
public sealed class ReturnRequest
{
    public long Id { get; set; }
    public required string RmaNo { get; set; }
    public long OrderId { get; set; }
    public ReturnStatus Status { get; set; }
    public ReturnReason Reason { get; set; }
    public string? ReasonText { get; set; }
    public ReturnResolution Resolution { get; set; }
    /// <summary>Where the customer wants this return's messages by e-mail (taken from the order when not given); null = none.</summary>
    public string? ContactEmail { get; set; }
    /// <summary>Σ quantity × unit price of the returned lines: what a refund pays, and what auto-approval compares.</summary>
    public decimal Amount { get; set; }
    /// <summary>Why the status is what it is: a rejection reason, "auto-approved", a missed pickup.</summary>
    public string? StatusReason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAtUtc { get; set; }
    /// <summary>The reverse parcel, once its tracking number is known.</summary>
    public long? ShipmentId { get; set; }
    public DateTime? PickedUpAtUtc { get; set; }
    public DateTime? ReceivedAtUtc { get; set; }
    public DateTime? RefundedAtUtc { get; set; }
    /// <summary>The last booked pickup's window passed without a collection (an exception case at merge).</summary>
    public DateTime? PickupNoShowAtUtc { get; set; }
    /// <summary>Optimistic concurrency: a user action and a tracking update may change one return at once.</summary>
    public Guid Version { get; set; }
    public List<ReturnLine> Lines { get; set; } = [];
}

public sealed class ReturnLine
{
    public long Id { get; set; }
    public long ReturnId { get; set; }
    public long OrderLineId { get; set; }
    public string? Sku { get; set; }
    public required string Name { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

/// <summary>An optional photo of the returned goods, kept in the database so every app instance serves it.</summary>
public sealed class ReturnPhoto
{
    public long Id { get; set; }
    public long ReturnId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public int SizeBytes { get; set; }
    public required byte[] Content { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAtUtc { get; set; }
}

/// <summary>
/// One door-pickup booking (1801) of a return. <see cref="OrderCode"/> is stable per return and attempt
/// ("{RmaNo}-P{Attempt}"): resending it after a lost answer is recognised by the aggregator (105), never a second courier.
/// </summary>
public sealed class Pickup
{
    public long Id { get; set; }
    public long ReturnId { get; set; }
    public int Attempt { get; set; }
    public required string OrderCode { get; set; }
    public int CarrierAccountId { get; set; }
    public required string ShipperCode { get; set; }
    public PickupStatus Status { get; set; }
    public DateTime WindowStartUtc { get; set; }
    public DateTime WindowEndUtc { get; set; }
    public required string ContactName { get; set; }
    public required string ContactPhone { get; set; }
    public required string Province { get; set; }
    public required string City { get; set; }
    public required string District { get; set; }
    public required string Address { get; set; }
    public string? PickupCode { get; set; }
    public string? TrackingNo { get; set; }
    public string? CourierName { get; set; }
    public string? CourierPhone { get; set; }
    public string? FailureReason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? BookedAtUtc { get; set; }
    public DateTime? CollectedAtUtc { get; set; }
    public DateTime? CancelledAtUtc { get; set; }
}

/// <summary>
/// The refund (or exchange) decision of a return. Its key is the return: a unique index on <see cref="ReturnId"/>
/// makes a second decision impossible, whatever runs twice.
/// </summary>
public sealed class Refund
{
    public long Id { get; set; }
    public long ReturnId { get; set; }
    public ReturnResolution Kind { get; set; }
    public decimal Amount { get; set; }
    public RefundStatus Status { get; set; }
    /// <summary>What triggered it: "received" or "first-scan".</summary>
    public required string Trigger { get; set; }
    public DateTime DecidedAtUtc { get; set; }
    public DateTime? RequestedAtUtc { get; set; }
    /// <summary>The exchange's new order draft.</summary>
    public string? ExchangeOrderNo { get; set; }
    /// <summary>The provider's id of the refund (WeChat Pay refund_id) or the merchant system's reference.</summary>
    public string? Reference { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>The path it was handed to (set when it leaves Requested).</summary>
    public RefundMethod? Method { get; set; }
    /// <summary>WeChat Pay's out_refund_no: derived from the return ("return-{id}"), the same on every retry, so a repeat is never a second refund.</summary>
    public string? OutRefundNo { get; set; }
    /// <summary>The provider's or merchant system's reason of a Failed refund (shown, and put on the exception case).</summary>
    public string? FailureReason { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}

internal sealed class ReturnRequestConfiguration : IEntityTypeConfiguration<ReturnRequest>
{
    public void Configure(EntityTypeBuilder<ReturnRequest> b)
    {
        b.ToTable("Returns");
        b.Property(x => x.RmaNo).HasMaxLength(32);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ReasonText).HasMaxLength(500);
        b.Property(x => x.ContactEmail).HasMaxLength(256);
        b.Property(x => x.Resolution).HasConversion<string>().HasMaxLength(12);
        b.Property(x => x.StatusReason).HasMaxLength(500);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.DecidedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.RmaNo).IsUnique();
        b.HasIndex(x => x.OrderId);
        // The list: filter by status, newest first; the dashboard counts the open statuses.
        b.HasIndex(x => new { x.Status, x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.CreatedAtUtc, x.Id });
        b.HasIndex(x => x.ShipmentId);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.ReturnId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Shipment>().WithMany().HasForeignKey(x => x.ShipmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReturnLineConfiguration : IEntityTypeConfiguration<ReturnLine>
{
    public void Configure(EntityTypeBuilder<ReturnLine> b)
    {
        b.ToTable("ReturnLines");
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(300);
        b.HasIndex(x => x.OrderLineId);
        b.HasOne<OrderLine>().WithMany().HasForeignKey(x => x.OrderLineId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReturnPhotoConfiguration : IEntityTypeConfiguration<ReturnPhoto>
{
    public void Configure(EntityTypeBuilder<ReturnPhoto> b)
    {
        b.ToTable("ReturnPhotos");
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.ContentType).HasMaxLength(32);
        b.Property(x => x.UploadedBy).HasMaxLength(256);
        b.HasIndex(x => x.ReturnId);
        b.HasOne<ReturnRequest>().WithMany().HasForeignKey(x => x.ReturnId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PickupConfiguration : IEntityTypeConfiguration<Pickup>
{
    public void Configure(EntityTypeBuilder<Pickup> b)
    {
        b.ToTable("Pickups");
        b.Property(x => x.OrderCode).HasMaxLength(48);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(x => x.ContactName).HasMaxLength(100);
        b.Property(x => x.ContactPhone).HasMaxLength(20);
        b.Property(x => x.Province).HasMaxLength(20);
        b.Property(x => x.City).HasMaxLength(50);
        b.Property(x => x.District).HasMaxLength(50);
        b.Property(x => x.Address).HasMaxLength(300);
        b.Property(x => x.PickupCode).HasMaxLength(20);
        b.Property(x => x.TrackingNo).HasMaxLength(64);
        b.Property(x => x.CourierName).HasMaxLength(50);
        b.Property(x => x.CourierPhone).HasMaxLength(20);
        b.Property(x => x.FailureReason).HasMaxLength(500);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        // Two bookings of one return at once compute the same attempt: the index lets one in.
        b.HasIndex(x => new { x.ReturnId, x.Attempt }).IsUnique();
        b.HasIndex(x => x.OrderCode).IsUnique();
        // The no-show sweep reads booked pickups whose window has ended.
        b.HasIndex(x => new { x.Status, x.WindowEndUtc });
        b.HasOne<ReturnRequest>().WithMany().HasForeignKey(x => x.ReturnId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.ToTable("Refunds");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(12);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(x => x.Trigger).HasMaxLength(16);
        b.Property(x => x.ExchangeOrderNo).HasMaxLength(64);
        b.Property(x => x.Reference).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.Property(x => x.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.OutRefundNo).HasMaxLength(64);
        b.Property(x => x.FailureReason).HasMaxLength(500);
        b.HasIndex(x => x.OutRefundNo).IsUnique();
        // The query job reads refunds still pending after a while.
        b.HasIndex(x => new { x.Status, x.RequestedAtUtc });
        // The idempotency key of a refund is its return: never two.
        b.HasIndex(x => x.ReturnId).IsUnique();
        b.HasOne<ReturnRequest>().WithMany().HasForeignKey(x => x.ReturnId).OnDelete(DeleteBehavior.Cascade);
    }
}
