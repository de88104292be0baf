using System.Globalization;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// How long the rest of the way took for a lane's delivered parcels from one stage on: hours at fixed quantile
/// <see cref="Levels"/> (docs/delivery-prediction.md §2). Read conditionally on the time already spent at the stage:
/// a parcel that has waited longer than most is no longer predicted like a fresh one.
/// </summary>
public sealed class TransitDistribution
{
    /// <summary>The stored quantile levels: dense in the tails, where the window's ends are read.</summary>
    public static readonly double[] Levels =
        [0.01, 0.02, 0.03, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97, 0.98, 0.99];

    /// <param name="hours">Hours at each of <see cref="Levels"/>, non-decreasing.</param>
    public TransitDistribution(IReadOnlyList<double> hours)
    {
        if (hours.Count != Levels.Length)
        {
            throw new ArgumentException($"Expected {Levels.Length} quantiles, got {hours.Count}.", nameof(hours));
        }
        Hours = [.. hours];
        for (var i = 1; i < Hours.Length; i++)
        {
            Hours[i] = Math.Max(Hours[i], Hours[i - 1]);
        }
    }

    public double[] Hours { get; }

    /// <summary>The 0th and 100th percentile are not stored (one odd parcel); they are extrapolated from the stored tail.</summary>
    private double Min => Math.Max(0, Hours[0] - (Hours[3] - Hours[0]));

    private double Max => Hours[^1] + (2 * (Hours[^1] - Hours[^4]));

    /// <summary>The hours by which share <paramref name="p"/> of the parcels was delivered (interpolated).</summary>
    public double Quantile(double p)
    {
        if (p <= Levels[0])
        {
            return Min + ((Hours[0] - Min) * Math.Max(0, p) / Levels[0]);
        }
        for (var i = 1; i < Levels.Length; i++)
        {
            if (p <= Levels[i])
            {
                var part = (p - Levels[i - 1]) / (Levels[i] - Levels[i - 1]);
                return Hours[i - 1] + ((Hours[i] - Hours[i - 1]) * part);
            }
        }
        return Hours[^1] + ((Max - Hours[^1]) * Math.Min(1, (p - Levels[^1]) / (1 - Levels[^1])));
    }

    /// <summary>The share of parcels delivered within <paramref name="hours"/> (the inverse of <see cref="Quantile"/>).</summary>
    public double Share(double hours)
    {
        if (hours <= Min)
        {
            return 0;
        }
        if (hours >= Max)
        {
            return 1;
        }
        var previousLevel = 0.0;
        var previousHours = Min;
        for (var i = 0; i <= Levels.Length; i++)
        {
            var (level, at) = i < Levels.Length ? (Levels[i], Hours[i]) : (1.0, Max);
            if (hours <= at)
            {
                return at <= previousHours ? level : previousLevel + ((level - previousLevel) * (hours - previousHours) / (at - previousHours));
            }
            (previousLevel, previousHours) = (level, at);
        }
        return 1;
    }

    /// <summary>
    /// The remaining hours at level <paramref name="p"/> for a parcel that has already spent <paramref name="elapsed"/>
    /// hours at the stage without being delivered: the lane's quantile among the parcels that took longer than that
    /// (F⁻¹(F(e) + p·(1 − F(e))) − e). Beyond everything the lane has seen the parcel is overdue: the rest is spread
    /// over the lane's own half-spread (median to 99th percentile), at least a day, so the window keeps sliding.
    /// </summary>
    public double RemainingQuantile(double p, double elapsed)
    {
        if (elapsed <= 0)
        {
            return Quantile(p);
        }
        var done = Share(elapsed);
        if (done < 0.995)
        {
            return Math.Max(0, Quantile(done + (p * (1 - done))) - elapsed);
        }
        var spread = Math.Max(24, Hours[^1] - Hours[10]);
        return p * spread;
    }

    /// <summary>The stored form: invariant hours separated by ';'.</summary>
    public string Serialize() => string.Join(';', Hours.Select(h => Math.Round(h, 2).ToString(CultureInfo.InvariantCulture)));

    public static TransitDistribution Parse(string stored) =>
        new(stored.Split(';').Select(h => double.Parse(h, CultureInfo.InvariantCulture)).ToArray());

    /// <summary>A distribution read off a histogram of half-hour bins (<see cref="TransitHistogram"/>).</summary>
    public static TransitDistribution FromHistogram(TransitHistogram histogram)
    {
        var bins = histogram.Bins.OrderBy(b => b.Key).ToList();
        var total = histogram.Count;
        var hours = new double[Levels.Length];
        var level = 0;
        long seen = 0;
        foreach (var (bin, count) in bins)
        {
            var before = seen;
            seen += count;
            while (level < Levels.Length && seen >= Levels[level] * total)
            {
                // Inside the bin, parcels are taken as evenly spread.
                var within = count == 0 ? 0 : ((Levels[level] * total) - before) / count;
                hours[level] = (bin + Math.Clamp(within, 0, 1)) * TransitHistogram.BinHours;
                level++;
            }
        }
        for (; level < Levels.Length; level++)
        {
            hours[level] = bins.Count == 0 ? 0 : (bins[^1].Key + 1) * TransitHistogram.BinHours;
        }
        return new TransitDistribution(hours);
    }
}

/// <summary>
/// Transit times counted in half-hour bins: a lane's history folds into a few hundred counters whatever the number of
/// parcels, and the finest lanes' histograms add up into the coarser ones (the statistics job streams the shipments
/// once; docs/delivery-prediction.md §3).
/// </summary>
public sealed class TransitHistogram
{
    public const double BinHours = 0.5;

    /// <summary>Times beyond 60 days are data errors, not transit: they are left out.</summary>
    public const double MaxHours = 60 * 24;

    public Dictionary<int, int> Bins { get; } = [];

    public long Count { get; private set; }

    public void Add(double hours)
    {
        if (hours < 0 || hours > MaxHours || double.IsNaN(hours))
        {
            return;
        }
        var bin = (int)(hours / BinHours);
        Bins[bin] = Bins.GetValueOrDefault(bin) + 1;
        Count++;
    }

    public void AddAll(TransitHistogram other)
    {
        foreach (var (bin, count) in other.Bins)
        {
            Bins[bin] = Bins.GetValueOrDefault(bin) + count;
        }
        Count += other.Count;
    }
}
