using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Handover;

/// <summary>
/// One pickup by a carrier's courier or truck (交接): the parcels scanned onto it. It is opened for a carrier and a
/// business day, scanned into, and closed; the handover list (交接单) is printed from its accepted scans.
/// </summary>
public sealed class CarrierHandover
{
    public long Id { get; set; }
    /// <summary>The carrier (Kdniao ShipperCode) whose pickup this is.</summary>
    public required string ShipperCode { get; set; }
    /// <summary>The business day whose waybills are expected on this pickup.</summary>
    public DateOnly Day { get; set; }
    public int? WarehouseId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ClosedAtUtc { get; set; }
    public string? ClosedBy { get; set; }
}

public enum HandoverScanOutcome
{
    /// <summary>A live waybill of the handover's carrier, scanned for the first time: on the truck.</summary>
    Accepted,
    /// <summary>Already scanned onto this or another pickup.</summary>
    Duplicate,
    /// <summary>A live waybill of another carrier: it must not go on this truck.</summary>
    OtherCarrier,
    /// <summary>A voided waybill: the label must not ship.</summary>
    Voided,
    /// <summary>No waybill of ours has this number.</summary>
    Unknown,
}

/// <summary>
/// One scan at the handover. Every scan is kept, refused ones too, so the page and the list show what was flagged.
/// <see cref="AcceptedWaybillId"/> is set only on an accepted scan, and a unique index on it makes a parcel go onto
/// at most one pickup whatever two scanners do at once (the index allows any number of NULLs on every provider).
/// </summary>
public sealed class HandoverScan
{
    public long Id { get; set; }
    public long HandoverId { get; set; }
    /// <summary>What the scanner typed, trimmed.</summary>
    public required string Code { get; set; }
    /// <summary>The waybill the code names, whatever the outcome (null when unknown). No foreign key: waybills cascade
    /// from orders, and a scan is a record of what happened at the truck.</summary>
    public long? WaybillId { get; set; }
    public long? AcceptedWaybillId { get; set; }
    public HandoverScanOutcome Outcome { get; set; }
    /// <summary>For a refused scan: the other carrier's code, or the pickup that already has the parcel.</summary>
    public string? Detail { get; set; }
    public required string ScannedBy { get; set; }
    public DateTime ScannedAtUtc { get; set; }
}

internal sealed class CarrierHandoverConfiguration : IEntityTypeConfiguration<CarrierHandover>
{
    public void Configure(EntityTypeBuilder<CarrierHandover> b)
    {
        b.ToTable("CarrierHandovers");
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.ClosedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.Day, x.ShipperCode });
        b.HasOne<Orders.Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class HandoverScanConfiguration : IEntityTypeConfiguration<HandoverScan>
{
    public void Configure(EntityTypeBuilder<HandoverScan> b)
    {
        b.ToTable("HandoverScans");
        b.Property(x => x.Code).HasMaxLength(64);
        b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Detail).HasMaxLength(100);
        b.Property(x => x.ScannedBy).HasMaxLength(256);
        b.HasOne<CarrierHandover>().WithMany().HasForeignKey(x => x.HandoverId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.HandoverId, x.Id });
        b.HasIndex(x => x.AcceptedWaybillId).IsUnique();
        b.HasIndex(x => x.WaybillId);
    }
}
