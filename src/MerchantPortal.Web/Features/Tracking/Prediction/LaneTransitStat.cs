using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// One lane level's remaining-time distribution from one stage, over the delivered forward parcels of the last
/// <see cref="PredictionOptions.HistoryDays"/> days (docs/delivery-prediction.md §3). Rebuilt as a whole by
/// <see cref="LaneStatisticsJob"/>; only lanes with at least <see cref="PredictionOptions.MinimumSample"/> parcels are
/// kept. Written only by Tracking.
/// </summary>
public sealed class LaneTransitStat
{
    public long Id { get; set; }
    /// <summary><see cref="LaneKeys.Key"/>: level, stage and the lane's parts.</summary>
    public required string LaneKey { get; set; }
    public LaneLevel Level { get; set; }
    public DeliveryStage Stage { get; set; }
    public int Sample { get; set; }
    /// <summary>Hours at <see cref="TransitDistribution.Levels"/>, ';'-separated (<see cref="TransitDistribution.Serialize"/>).</summary>
    public required string QuantileHours { get; set; }
    public DateTime RefreshedAtUtc { get; set; }
}

internal sealed class LaneTransitStatConfiguration : IEntityTypeConfiguration<LaneTransitStat>
{
    public void Configure(EntityTypeBuilder<LaneTransitStat> b)
    {
        b.ToTable("LaneTransitStats");
        b.Property(x => x.LaneKey).HasMaxLength(120);
        b.Property(x => x.Level).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.QuantileHours).HasMaxLength(400);
        // Predictions look their lane's levels up by key.
        b.HasIndex(x => x.LaneKey).IsUnique();
    }
}
