using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Packing;

/// <summary>Where a packed weight came from: a scale read through the browser (Web Serial), or typed by the packer.</summary>
public enum PackWeightSource
{
    Typed,
    Scale,
}

/// <summary>
/// A parcel checked at a packing station (扫描验货) and weighed: every line's items were scanned against the order and
/// the parcel's weight was read or typed. One record per waybill; packing it again replaces the record (audited).
/// The packed weight is what freight reconciliation compares a bill's weight with.
/// </summary>
public sealed class PackRecord
{
    public long Id { get; set; }
    public long WaybillId { get; set; }
    /// <summary>The waybill's order, kept for the order page and reports. No foreign key: the waybill's own key already
    /// cascades from the order, and a second cascade path from Orders is refused by SQL Server.</summary>
    public long OrderId { get; set; }
    public required string TrackingNo { get; set; }
    /// <summary>The packing station (工作台) as the packer named it on the page ("A-01").</summary>
    public required string Station { get; set; }
    public required string PackedBy { get; set; }
    /// <summary>When the waybill was scanned at the station: with <see cref="PackedAtUtc"/>, how long the parcel took.</summary>
    public DateTime StartedAtUtc { get; set; }
    public DateTime PackedAtUtc { get; set; }
    public decimal WeightKg { get; set; }
    public PackWeightSource WeightSource { get; set; }
    /// <summary>Items scanned and accepted (the order's quantity for the parcel).</summary>
    public int ItemCount { get; set; }
    /// <summary>Scans refused while checking this parcel (wrong item, one too many).</summary>
    public int RefusedScans { get; set; }
}

internal sealed class PackRecordConfiguration : IEntityTypeConfiguration<PackRecord>
{
    public void Configure(EntityTypeBuilder<PackRecord> b)
    {
        b.ToTable("PackRecords");
        b.Property(x => x.TrackingNo).HasMaxLength(40);
        b.Property(x => x.Station).HasMaxLength(32);
        b.Property(x => x.PackedBy).HasMaxLength(256);
        b.Property(x => x.WeightSource).HasConversion<string>().HasMaxLength(8);
        b.HasOne<Waybill>().WithMany().HasForeignKey(x => x.WaybillId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.WaybillId).IsUnique();
        b.HasIndex(x => x.TrackingNo);
        b.HasIndex(x => x.OrderId);
        // Throughput per station per hour reads (Station, PackedAtUtc) ranges.
        b.HasIndex(x => new { x.Station, x.PackedAtUtc });
        b.HasIndex(x => x.PackedAtUtc);
    }
}
