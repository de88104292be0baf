using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>How a printer is reached: the browser's print dialog (a PDF), or raw TCP (port 9100, JetDirect).</summary>
public enum PrinterConnection
{
    Browser,
    RawTcp,
}

/// <summary>The language a printer speaks: PDF for the browser; ZPL (Zebra) or TSPL (TSC and most domestic brands) over TCP.</summary>
public enum PrinterLanguage
{
    Pdf,
    Zpl,
    Tspl,
}

/// <summary>The standard thermal label sizes: 100×150 mm, 76×130 mm (一联单) and 100×180 mm (二联单, with the sender's stub).</summary>
public enum LabelSize
{
    Mm100x150,
    Mm76x130,
    Mm100x180,
}

public enum PrintDocument
{
    Label,
    PickList,
    PackingSlip,
    HandoverList,
}

public enum PrintJobStatus
{
    Queued,
    /// <summary>Claimed by a sender (lease); a sender that died leaves it to be taken over when the lease lapses.</summary>
    Sending,
    /// <summary>The printer accepted every byte (raw TCP) or the PDF was handed to the browser.</summary>
    Sent,
    /// <summary>Gave up after the retries; the batch page says so and "retry" queues it again.</summary>
    Failed,
}

/// <summary>A printer of a warehouse, configured by Admin (/admin/printers).</summary>
public sealed class Printer
{
    public int Id { get; set; }
    public int WarehouseId { get; set; }
    public required string Name { get; set; }
    public PrinterConnection Connection { get; set; }
    public PrinterLanguage Language { get; set; }
    /// <summary>Host name or IP address for raw TCP.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 9100;
    public LabelSize LabelSize { get; set; }
    /// <summary>Dots per inch: 203 (8 dots/mm) or 300 (12 dots/mm).</summary>
    public int Dpi { get; set; } = 203;
    /// <summary>The warehouse's printer that labels go to by themselves when a batch finishes.</summary>
    public bool IsDefault { get; set; }
    public bool Active { get; set; } = true;
    public DateTime? LastSuccessAtUtc { get; set; }
    public DateTime? LastFailureAtUtc { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// One document to print (a label, a pick list, a packing slip, a handover list). The table is the queue: the sender
/// job claims rows with a lease, retries with back-off, and a reprint is a new row pointing at the original with
/// its reason, so reprints are counted and audited.
/// </summary>
public sealed class PrintJob
{
    public long Id { get; set; }
    public int PrinterId { get; set; }
    public PrintDocument Document { get; set; }
    public long? BatchId { get; set; }
    public long? WaybillId { get; set; }
    public long? OrderId { get; set; }
    /// <summary>Position in the batch's pick order: jobs of one batch are sent in this order.</summary>
    public int Sequence { get; set; }
    public PrintJobStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAtUtc { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }
    public string? LastError { get; set; }
    public long? ReprintOfJobId { get; set; }
    public string? ReprintReason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
}

internal sealed class PrinterConfiguration : IEntityTypeConfiguration<Printer>
{
    public void Configure(EntityTypeBuilder<Printer> b)
    {
        b.ToTable("Printers");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Connection).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Language).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.LabelSize).HasConversion<string>().HasMaxLength(12);
        b.Property(x => x.Host).HasMaxLength(255);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasOne<Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WarehouseId, x.Name }).IsUnique();
    }
}

internal sealed class PrintJobConfiguration : IEntityTypeConfiguration<PrintJob>
{
    public void Configure(EntityTypeBuilder<PrintJob> b)
    {
        b.ToTable("PrintJobs");
        b.Property(x => x.Document).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.Property(x => x.ReprintReason).HasMaxLength(200);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasOne<Printer>().WithMany().HasForeignKey(x => x.PrinterId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.Status, x.NextAttemptAtUtc });
        b.HasIndex(x => new { x.BatchId, x.Sequence });
        b.HasIndex(x => x.WaybillId);
        b.HasIndex(x => x.ReprintOfJobId);
    }
}
