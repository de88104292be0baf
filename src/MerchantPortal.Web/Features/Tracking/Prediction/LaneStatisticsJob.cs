using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// The recurring rebuild of <see cref="LaneTransitStat"/> (tracking:lane-stats, hourly). It streams the delivered
/// forward parcels of the last <see cref="PredictionOptions.HistoryDays"/> days once — a few columns each, never all
/// rows in memory — into half-hour histograms of the finest lanes, adds those up into the coarser levels, and replaces
/// the table in one transaction. Safe to run twice: a second run rebuilds the same rows (and JobGate lets one run at a
/// time). docs/delivery-prediction.md §3.
/// </summary>
public sealed class LaneStatisticsJob(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PredictionOptions> options, JobGate gate, TimeProvider clock, ILogger<LaneStatisticsJob> logger)
{
    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter("tracking:lane-stats");
        if (held is null)
        {
            return 0;
        }
        return await RebuildAsync(ct);
    }

    /// <summary>Rebuilds the statistics now (the job, and tests that need them at once); returns the rows kept.</summary>
    public async Task<int> RebuildAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-options.Value.HistoryDays);
        var builder = new LaneStatisticsBuilder(new DeliveryPredictor(options.Value));
        await using (var read = await dbFactory.CreateDbContextAsync(ct))
        {
            var delivered = read.Set<Shipment>().AsNoTracking()
                .Where(s => s.Direction == ShipmentDirection.Forward && s.Status == ShipmentStatus.Delivered && s.DeliveredAtUtc >= since && s.FirstScanAtUtc != null)
                .Select(s => new DeliveredParcel(s.ShipperCode, s.ServiceType, s.OriginProvince, s.DestinationProvince,
                    s.FirstScanAtUtc!.Value, s.AtDestinationCityAtUtc, s.OutForDeliveryAtUtc, s.DeliveredAtUtc!.Value))
                .AsAsyncEnumerable();
            await foreach (var parcel in delivered.WithCancellation(ct))
            {
                builder.Add(parcel);
            }
        }

        var rows = builder.Build(options.Value.MinimumSample)
            .Select(s => new LaneTransitStat
            {
                LaneKey = s.Key, Level = s.Level, Stage = s.Stage, Sample = s.Sample, QuantileHours = s.Remaining.Serialize(), RefreshedAtUtc = now,
            })
            .ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Set<LaneTransitStat>().ExecuteDeleteAsync(ct);
        db.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Lane statistics rebuilt from {Parcels} delivered parcel(s): {Rows} lane stage(s) kept", builder.Parcels, rows.Count);
        return rows.Count;
    }
}

/// <summary>What the statistics read of a delivered forward parcel.</summary>
public sealed record DeliveredParcel(
    string ShipperCode, string? ServiceType, string? OriginProvince, string? DestinationProvince,
    DateTime FirstScanAtUtc, DateTime? AtDestinationCityAtUtc, DateTime? OutForDeliveryAtUtc, DateTime DeliveredAtUtc);

/// <summary>One lane level's distribution at one stage, as built.</summary>
public sealed record LaneStageStatistics(string Key, LaneLevel Level, DeliveryStage Stage, int Sample, TransitDistribution Remaining);

/// <summary>
/// Folds delivered parcels into histograms per finest lane and stage, then adds them up into every coarser level.
/// Memory grows with the lanes and the distinct half-hours, not with the parcels. The job and the backtest share it.
/// </summary>
public sealed class LaneStatisticsBuilder(DeliveryPredictor predictor)
{
    private readonly Dictionary<(string Carrier, string? Service, string? Origin, string? Destination), TransitHistogram[]> finest = [];

    public long Parcels { get; private set; }

    public void Add(DeliveredParcel p)
    {
        var lane = (p.ShipperCode.Trim().ToUpperInvariant(), p.ServiceType, p.OriginProvince, p.DestinationProvince);
        if (!finest.TryGetValue(lane, out var histograms))
        {
            histograms = [new(), new(), new()];
            finest[lane] = histograms;
        }
        Parcels++;
        histograms[0].Add((p.DeliveredAtUtc - predictor.TransitStart(p.FirstScanAtUtc)).TotalHours);
        if (p.AtDestinationCityAtUtc is { } city)
        {
            histograms[1].Add((p.DeliveredAtUtc - city).TotalHours);
        }
        if (p.OutForDeliveryAtUtc is { } ofd)
        {
            histograms[2].Add((p.DeliveredAtUtc - ofd).TotalHours);
        }
    }

    /// <summary>Every level's distributions with at least <paramref name="minimumSample"/> parcels.</summary>
    public IEnumerable<LaneStageStatistics> Build(int minimumSample)
    {
        var all = new Dictionary<string, (LaneLevel Level, DeliveryStage Stage, TransitHistogram Histogram)>(StringComparer.Ordinal);
        foreach (var ((carrier, service, origin, destination), histograms) in finest)
        {
            for (var i = 0; i < DeliveryPredictor.StatsStages.Length; i++)
            {
                var stage = DeliveryPredictor.StatsStages[i];
                foreach (var level in LaneKeys.Levels)
                {
                    var key = LaneKeys.Key(level, stage, carrier, service, origin, destination);
                    if (!all.TryGetValue(key, out var entry))
                    {
                        entry = (level, stage, new TransitHistogram());
                        all[key] = entry;
                    }
                    entry.Histogram.AddAll(histograms[i]);
                }
            }
        }
        return all.Where(e => e.Value.Histogram.Count >= minimumSample)
            .Select(e => new LaneStageStatistics(e.Key, e.Value.Level, e.Value.Stage, (int)e.Value.Histogram.Count, TransitDistribution.FromHistogram(e.Value.Histogram)));
    }
}
