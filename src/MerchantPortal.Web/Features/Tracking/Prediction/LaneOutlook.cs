namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// What the merchant's own history says about a lane from pickup to delivery: how many delivered parcels it rests on,
/// which lane level was fine enough to have them, and the transit-time quantiles. Other features (carrier
/// recommendation, waybill pre-flight) ask for it through <see cref="ILaneOutlooks"/>; they never read the statistics
/// tables themselves.
/// </summary>
/// <param name="Quantiles">Transit time from pickup to delivery at the 5th, 10th, 25th, 50th, 75th, 90th and 95th percentile.</param>
public sealed record LaneOutlook(LaneLevel Lane, int Sample, IReadOnlyList<TimeSpan> Quantiles)
{
    public static readonly double[] Levels = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

    public TimeSpan Median => Quantiles[3];

    /// <summary>
    /// The share of the lane's parcels delivered within <paramref name="within"/> of pickup, interpolated between the
    /// stored quantiles (below the 5th percentile: 0.05 scaled down; beyond the 95th: 0.95 up to 1 at twice the 95th).
    /// </summary>
    public double OnTimeProbability(TimeSpan within)
    {
        if (within <= TimeSpan.Zero)
        {
            return 0;
        }
        if (within <= Quantiles[0])
        {
            return Levels[0] * (within / Quantiles[0]);
        }
        for (var i = 1; i < Quantiles.Count; i++)
        {
            if (within <= Quantiles[i])
            {
                var span = Quantiles[i] - Quantiles[i - 1];
                var part = span <= TimeSpan.Zero ? 1 : (within - Quantiles[i - 1]) / span;
                return Levels[i - 1] + ((Levels[i] - Levels[i - 1]) * part);
            }
        }
        var last = Quantiles[^1];
        return Math.Min(1, Levels[^1] + ((1 - Levels[^1]) * ((within - last) / last)));
    }
}

/// <summary>The lane's outlook for a carrier (and service) between two provinces, or null without any history.</summary>
public interface ILaneOutlooks
{
    Task<LaneOutlook?> ForAsync(string shipperCode, string? serviceType, string? originProvince, string? destinationProvince, CancellationToken ct = default);
}
