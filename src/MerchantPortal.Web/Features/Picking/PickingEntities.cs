using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>
/// A wave (波次): the approved orders of one warehouse for one carrier account up to a cut-off time, issued as one
/// waybill batch so its labels, pick list and packing slips come out together. The wave's orders are the batch's
/// items; the wave only records how they were grouped.
/// </summary>
public sealed class Wave
{
    public long Id { get; set; }
    /// <summary>Shown on the pick list and the slips ("W20261206-1400-SF"), unique.</summary>
    public required string Code { get; set; }
    /// <summary>The warehouse the orders ship from; null = orders with no warehouse.</summary>
    public int? WarehouseId { get; set; }
    public int CarrierAccountId { get; set; }
    /// <summary>Orders approved (or paid, when never approved) up to this time are in the wave.</summary>
    public DateTime CutOffUtc { get; set; }
    /// <summary>The waybill batch that issues the wave's labels; null until it is started.</summary>
    public long? BatchId { get; set; }
    public int OrderCount { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class WaveConfiguration : IEntityTypeConfiguration<Wave>
{
    public void Configure(EntityTypeBuilder<Wave> b)
    {
        b.ToTable("Waves");
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.CreatedAtUtc);
        b.HasIndex(x => x.BatchId);
        b.HasOne<Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WaybillBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.SetNull);
    }
}
