using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// One period × carrier × service × warehouse × origin province × destination province: the counts behind every KPI
/// of docs/kpis.md plus the transit histogram, so any period's rates and percentiles are sums of rows.
/// The period is a Beijing day (<see cref="Span"/> 1), a Monday week (7) or a 28-day block (28) starting at
/// <see cref="Day"/>; weeks and blocks are aligned on <see cref="DateOnly.DayNumber"/> (day 0 is a Monday), so a
/// block is exactly four weeks and a page query covers a 90-day window with about 20 periods instead of 90 days
/// (ADR 0013, docs/kpis.md "The rollup"). Unknown dimensions are stored as "" / 0 (never null) so the unique key
/// holds on both providers. Written only by <see cref="KpiRollup"/>, which recomputes a whole day at a time from its
/// shipments and then the week and block holding it from their days.
/// </summary>
public sealed class KpiDaily
{
    public const int DaySpan = 1, WeekSpan = 7, BlockSpan = 28;

    /// <summary>
    /// A row with these in <see cref="ServiceType"/> and <see cref="WarehouseId"/> sums every service and warehouse of
    /// its carrier, lane and period: what a page without a service or warehouse filter reads (P8). No real service
    /// is "*" and no warehouse id is negative.
    /// </summary>
    public const string AllServices = "*";
    public const int AllWarehouses = -1;

    public long Id { get; set; }
    /// <summary>The period's length in days: <see cref="DaySpan"/>, <see cref="WeekSpan"/> or <see cref="BlockSpan"/>.</summary>
    public int Span { get; set; }
    /// <summary>The period's first day (Beijing date).</summary>
    public DateOnly Day { get; set; }
    public string ShipperCode { get; set; } = "";
    public string ServiceType { get; set; } = "";
    public int WarehouseId { get; set; }
    public string OriginProvince { get; set; } = "";
    public string DestinationProvince { get; set; } = "";
    public int Final { get; set; }
    public int Delivered { get; set; }
    public int WithPromise { get; set; }
    public int OnTime { get; set; }
    public int FirstAttempt { get; set; }
    public int Exceptions { get; set; }
    public int Returned { get; set; }
    public int TransitCount { get; set; }
    public double TransitHoursSum { get; set; }
    /// <summary><see cref="KpiDefinitions.EncodeHistogram"/> form: sparse "bucket:count" pairs.</summary>
    public string TransitHistogram { get; set; } = "";
}

/// <summary>Where the incremental rollup got to: the last (FinalAtUtc, Id) it folded in. One row, Id = 1.</summary>
public sealed class KpiRollupState
{
    public int Id { get; set; }
    public DateTime? WatermarkFinalAtUtc { get; set; }
    public long WatermarkShipmentId { get; set; }
    /// <summary>Reverse parcels are watched separately: a return opened later changes an older day's return rate.</summary>
    public long LastReverseShipmentId { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public DateTime? RebuiltAtUtc { get; set; }
    /// <summary>A rebuild resetting the state while a batch commits: the loser fails and Hangfire retries it.</summary>
    public Guid Version { get; set; }
}

internal sealed class KpiDailyConfiguration : IEntityTypeConfiguration<KpiDaily>
{
    public void Configure(EntityTypeBuilder<KpiDaily> b)
    {
        b.ToTable("KpiDaily");
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.ServiceType).HasMaxLength(32);
        b.Property(x => x.OriginProvince).HasMaxLength(32);
        b.Property(x => x.DestinationProvince).HasMaxLength(32);
        b.Property(x => x.TransitHistogram).HasMaxLength(2000);
        // One row per key and period; it also serves every page query (a span, then a range on Day).
        // Rows written before periods existed were all days.
        b.Property(x => x.Span).HasDefaultValue(KpiDaily.DaySpan);
        b.HasIndex(x => new { x.Span, x.Day, x.ShipperCode, x.ServiceType, x.WarehouseId, x.OriginProvince, x.DestinationProvince }).IsUnique();
        // Covers the trend query (a range of periods, every filter column, the summed counts but not the histogram):
        // the database sums tens of thousands of rows from the index alone, without a lookup into the table per row.
        b.HasIndex(x => new
        {
            x.Span, x.Day, x.ShipperCode, x.ServiceType, x.WarehouseId, x.OriginProvince, x.DestinationProvince,
            x.Final, x.Delivered, x.WithPromise, x.OnTime, x.FirstAttempt, x.Exceptions, x.Returned, x.TransitCount, x.TransitHoursSum,
        }, "IX_KpiDaily_Trend");
    }
}

internal sealed class KpiRollupStateConfiguration : IEntityTypeConfiguration<KpiRollupState>
{
    public void Configure(EntityTypeBuilder<KpiRollupState> b)
    {
        b.ToTable("KpiRollupState");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}
