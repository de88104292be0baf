using MerchantPortal.Web.Features.CarrierAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>
/// One row of a carrier account's rate card: the price of the first <see cref="FirstWeightKg"/> kilograms and of
/// each further (started) kilogram to a destination province. <see cref="DestinationProvince"/> "" is the
/// account's default row, used for every province without its own (docs/kpis.md "Freight reconciliation").
/// </summary>
public sealed class RateCardRow
{
    public int Id { get; set; }
    public int CarrierAccountId { get; set; }
    public string DestinationProvince { get; set; } = "";
    public decimal FirstWeightKg { get; set; } = 1m;
    public decimal FirstPrice { get; set; }
    public decimal AdditionalPerKg { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string UpdatedBy { get; set; } = "";
}

public enum FreightBillStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// An imported carrier bill for one carrier account and period. The stored file is the truth until the job has
/// read it: the job (<see cref="FreightBillJob"/>) replaces the bill's lines, errors and discrepancies as a whole,
/// so running it twice gives the same result.
/// </summary>
public sealed class FreightBill
{
    public long Id { get; set; }
    public int CarrierAccountId { get; set; }
    public required string FileName { get; set; }
    public required string StoredPath { get; set; }
    /// <summary>Beijing dates, both included: waybills issued in them and absent from the bill are "never billed".</summary>
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public FreightBillStatus Status { get; set; }
    public int ProgressPercent { get; set; }
    public int TotalRows { get; set; }
    public int ValidRows { get; set; }
    public int ErrorRows { get; set; }
    public decimal BilledAmount { get; set; }
    /// <summary>Expected cost of the billed rows we shipped (rate card at our weight).</summary>
    public decimal ExpectedAmount { get; set; }
    public int DiscrepancyCount { get; set; }
    /// <summary>Money the discrepancies put at stake (overcharges, numbers not ours, duplicates).</summary>
    public decimal DiscrepancyAmount { get; set; }
    /// <summary>The amount tolerance the reconciliation used, so a later settings change does not rewrite history.</summary>
    public decimal AmountTolerance { get; set; }
    public string? Failure { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>When a run claimed the bill: a run that died is taken over after <see cref="FreightBillJob.StaleClaim"/>.</summary>
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}

/// <summary>A valid row of a bill, as the carrier wrote it.</summary>
public sealed class FreightBillLine
{
    public long Id { get; set; }
    public long BillId { get; set; }
    public int Row { get; set; }
    public required string TrackingNo { get; set; }
    public decimal BilledWeightKg { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>A row that could not be read: which row, which column (as headed in the file), the value and why.</summary>
public sealed class FreightBillError
{
    public long Id { get; set; }
    public long BillId { get; set; }
    public int Row { get; set; }
    public required string Column { get; set; }
    public string? Value { get; set; }
    /// <summary>A stable code (<see cref="FreightBillReasons"/>) the pages translate.</summary>
    public required string Reason { get; set; }
}

public enum FreightDiscrepancyKind
{
    /// <summary>The billed weight falls in a higher charging step than the weight we shipped.</summary>
    OverchargedWeight,
    /// <summary>The amount is above the rate card's price for the billed weight by more than the tolerance.</summary>
    OverchargedAmount,
    /// <summary>No waybill of ours (of this account, not voided) has the number.</summary>
    NotShipped,
    /// <summary>The number is on an earlier row of this bill, or on another bill of the account.</summary>
    BilledTwice,
    /// <summary>A waybill of the account issued in the bill's period that the bill does not contain.</summary>
    NeverBilled,
    /// <summary>We shipped it, but the rate card has no row for its destination and no default row.</summary>
    NoRate,
    /// <summary>The billed weight is above the weight the parcel was packed at (see <see cref="FreightDiscrepancy.PackedWeightKg"/>), by more than the scale's tolerance; flagged with or without a rate card.</summary>
    HeavierThanPacked,
}

/// <summary>One discrepancy of a bill. <see cref="Difference"/> is the money at stake (positive = the carrier asks too much).</summary>
public sealed class FreightDiscrepancy
{
    public long Id { get; set; }
    public long BillId { get; set; }
    public FreightDiscrepancyKind Kind { get; set; }
    public required string TrackingNo { get; set; }
    /// <summary>The bill's row; null for "never billed".</summary>
    public int? Row { get; set; }
    public decimal? BilledWeightKg { get; set; }
    public decimal? OurWeightKg { get; set; }
    /// <summary>What the parcel weighed at the packing station, when it was packed there (declared vs packed vs billed).</summary>
    public decimal? PackedWeightKg { get; set; }
    public decimal? BilledAmount { get; set; }
    public decimal? ExpectedAmount { get; set; }
    public decimal Difference { get; set; }
    public string? DestinationProvince { get; set; }
    /// <summary>For a duplicate: the row or bill it repeats ("row 3", "bill 12").</summary>
    public string? Detail { get; set; }
}

internal sealed class RateCardRowConfiguration : IEntityTypeConfiguration<RateCardRow>
{
    public void Configure(EntityTypeBuilder<RateCardRow> b)
    {
        b.ToTable("FreightRateCards");
        b.Property(x => x.DestinationProvince).HasMaxLength(20);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CarrierAccountId, x.DestinationProvince }).IsUnique();
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FreightBillConfiguration : IEntityTypeConfiguration<FreightBill>
{
    public void Configure(EntityTypeBuilder<FreightBill> b)
    {
        b.ToTable("FreightBills");
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.StoredPath).HasMaxLength(1000);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Failure).HasMaxLength(2000);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.CarrierAccountId, x.CreatedAtUtc });
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FreightBillLineConfiguration : IEntityTypeConfiguration<FreightBillLine>
{
    public void Configure(EntityTypeBuilder<FreightBillLine> b)
    {
        b.ToTable("FreightBillLines");
        b.Property(x => x.TrackingNo).HasMaxLength(64);
        b.HasIndex(x => new { x.BillId, x.Row });
        // "Billed on another bill" looks numbers up across bills.
        b.HasIndex(x => x.TrackingNo);
        b.HasOne<FreightBill>().WithMany().HasForeignKey(x => x.BillId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FreightBillErrorConfiguration : IEntityTypeConfiguration<FreightBillError>
{
    public void Configure(EntityTypeBuilder<FreightBillError> b)
    {
        b.ToTable("FreightBillErrors");
        b.Property(x => x.Column).HasMaxLength(100);
        b.Property(x => x.Value).HasMaxLength(200);
        b.Property(x => x.Reason).HasMaxLength(32);
        b.HasIndex(x => new { x.BillId, x.Row });
        b.HasOne<FreightBill>().WithMany().HasForeignKey(x => x.BillId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FreightDiscrepancyConfiguration : IEntityTypeConfiguration<FreightDiscrepancy>
{
    public void Configure(EntityTypeBuilder<FreightDiscrepancy> b)
    {
        b.ToTable("FreightDiscrepancies");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.TrackingNo).HasMaxLength(64);
        b.Property(x => x.DestinationProvince).HasMaxLength(20);
        b.Property(x => x.Detail).HasMaxLength(200);
        b.HasIndex(x => new { x.BillId, x.Kind });
        b.HasOne<FreightBill>().WithMany().HasForeignKey(x => x.BillId).OnDelete(DeleteBehavior.Cascade);
    }
}
