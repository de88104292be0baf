using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Waybills;

public enum WaybillBatchStatus
{
    Queued,
    Running,
    Paused,
    Completed,
    CompletedWithErrors,
    Cancelled,
}

public enum WaybillItemStatus
{
    Pending,
    /// <summary>Claimed by a runner (<see cref="WaybillBatchItem.ClaimToken"/>); a runner that took the batch over puts these back to Pending.</summary>
    InProgress,
    Succeeded,
    /// <summary>The carrier refused, or kept failing after the retries; "retry failed" puts it back to Pending.</summary>
    Failed,
    /// <summary>Pre-flight found a reason not to ask the carrier (see <see cref="WaybillBatchItem.ErrorCode"/>).</summary>
    Skipped,
    Cancelled,
}

/// <summary>
/// A request to issue waybills for a set of orders with one carrier account. The database is the truth: the job
/// that runs it only holds a lease (<see cref="LeaseUntilUtc"/>, <see cref="RunnerToken"/>), so a lost job is
/// taken over by the next one the sweeper enqueues.
/// </summary>
public sealed class WaybillBatch
{
    public long Id { get; set; }
    public int CarrierAccountId { get; set; }
    /// <summary>The carrier product (1007 ExpType), "1" = standard.</summary>
    public string ServiceType { get; set; } = "1";
    public WaybillBatchStatus Status { get; set; }
    /// <summary>"manual", "api" or "auto" (issued on approval).</summary>
    public string Source { get; set; } = "manual";
    public int Total { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public Guid? RunnerToken { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }
}

/// <summary>One order of a batch. Its outcome is written with conditional updates so two runners never both finish it.</summary>
public sealed class WaybillBatchItem
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public long OrderId { get; set; }
    /// <summary>Which parcel of a split order (拆单) this item issues; 1 for an order shipped whole.</summary>
    public int ParcelNo { get; set; } = 1;
    public required string OrderNo { get; set; }
    public WaybillItemStatus Status { get; set; }
    public Guid? ClaimToken { get; set; }
    public int Attempts { get; set; }
    public long? WaybillId { get; set; }
    public string? TrackingNo { get; set; }
    /// <summary>A stable reason key (<see cref="WaybillReasons"/>) for pre-flight and outcome, so the UI can translate it.</summary>
    public string? ErrorCode { get; set; }
    /// <summary>The carrier's own words (its Reason), or details such as the number of the waybill that already exists.</summary>
    public string? Error { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

/// <summary>
/// An issued e-waybill. <see cref="LiveOrderId"/> equals <see cref="OrderId"/> while the waybill is live and is
/// null once voided: a unique index on it makes a second live waybill for one order impossible, whatever two
/// users or two workers do (the index allows any number of NULLs on both providers).
/// </summary>
public sealed class Waybill
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public long? LiveOrderId { get; set; }
    /// <summary>Which parcel of a split order (拆单) this waybill is for; 1 for an order shipped whole.</summary>
    public int ParcelNo { get; set; } = 1;
    public required string OrderNo { get; set; }
    public long? BatchId { get; set; }
    public int CarrierAccountId { get; set; }
    public required string ShipperCode { get; set; }
    public required string TrackingNo { get; set; }
    /// <summary>The 1007 idempotency key, "{OrderNo}-{generation}": a retry of the same generation is answered 106 with this waybill.</summary>
    public required string OrderCode { get; set; }
    public string? MarkDestination { get; set; }
    public string? SortingCode { get; set; }
    public string ServiceType { get; set; } = "1";
    public int? WarehouseId { get; set; }
    /// <summary>Warehouse code, first line's SKU and order number: the merged labels print in this order (pick order).</summary>
    public required string PickKey { get; set; }
    /// <summary>The label as issued (LabelData without the print time), so a reprint shows what the carrier was told.</summary>
    public required string LabelJson { get; set; }
    public DateTime IssuedAtUtc { get; set; }
    public DateTime? VoidedAtUtc { get; set; }
    public string? VoidedBy { get; set; }
    /// <summary>Set once the shipment is registered with tracking (and subscribed); null = still to do.</summary>
    public long? ShipmentId { get; set; }
}

internal sealed class WaybillBatchConfiguration : IEntityTypeConfiguration<WaybillBatch>
{
    public void Configure(EntityTypeBuilder<WaybillBatch> b)
    {
        b.ToTable("WaybillBatches");
        b.Property(x => x.ServiceType).HasMaxLength(10);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Source).HasMaxLength(10);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.Status, x.LeaseUntilUtc });
        b.HasIndex(x => x.CreatedAtUtc);
    }
}

internal sealed class WaybillBatchItemConfiguration : IEntityTypeConfiguration<WaybillBatchItem>
{
    public void Configure(EntityTypeBuilder<WaybillBatchItem> b)
    {
        b.ToTable("WaybillBatchItems");
        b.Property(x => x.OrderNo).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.TrackingNo).HasMaxLength(40);
        b.Property(x => x.ErrorCode).HasMaxLength(40);
        b.Property(x => x.Error).HasMaxLength(500);
        b.HasOne<WaybillBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        // One order once per batch; progress counts and "next pending" read (BatchId, Status).
        b.HasIndex(x => new { x.BatchId, x.OrderId, x.ParcelNo }).IsUnique();
        b.Property(x => x.ParcelNo).HasDefaultValue(1);
        b.HasIndex(x => new { x.BatchId, x.Status, x.Id });
        b.HasIndex(x => x.OrderId);
    }
}

internal sealed class WaybillConfiguration : IEntityTypeConfiguration<Waybill>
{
    public void Configure(EntityTypeBuilder<Waybill> b)
    {
        b.ToTable("Waybills");
        b.Property(x => x.OrderNo).HasMaxLength(64);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.TrackingNo).HasMaxLength(40);
        b.Property(x => x.OrderCode).HasMaxLength(80);
        b.Property(x => x.MarkDestination).HasMaxLength(100);
        b.Property(x => x.SortingCode).HasMaxLength(100);
        b.Property(x => x.ServiceType).HasMaxLength(10);
        b.Property(x => x.PickKey).HasMaxLength(200);
        b.Property(x => x.LabelJson).HasMaxLength(4000);
        b.Property(x => x.VoidedBy).HasMaxLength(256);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
        // The exactly-once guarantee (R1, R8): at most one live waybill per order. Nullable unique index: SQLite
        // allows many NULLs, and EF gives SQL Server the filter "[LiveOrderId] IS NOT NULL" for the same effect.
        // A split order (拆单) has one live waybill per parcel.
        b.HasIndex(x => new { x.LiveOrderId, x.ParcelNo }).IsUnique();
        b.Property(x => x.ParcelNo).HasDefaultValue(1);
        b.HasIndex(x => new { x.ShipperCode, x.TrackingNo }).IsUnique();
        b.HasIndex(x => x.OrderCode).IsUnique();
        b.HasIndex(x => new { x.OrderId, x.Id });
        b.HasIndex(x => new { x.BatchId, x.PickKey });
        b.HasIndex(x => x.IssuedAtUtc);
    }
}
