using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// <see cref="ILaneOutlooks"/> from the lane statistics (<see cref="LaneTransitStat"/>, pickup stage): the finest lane
/// level with enough delivered parcels, its time from pickup (on the cut-off clock, docs/delivery-prediction.md §2) to
/// delivery at the 5th…95th percentile. Null while no level has enough history.
/// </summary>
public sealed class LaneOutlooks(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PredictionOptions> options) : ILaneOutlooks
{
    public async Task<LaneOutlook?> ForAsync(string shipperCode, string? serviceType, string? originProvince, string? destinationProvince, CancellationToken ct = default)
    {
        var keys = LaneKeys.Levels.Select(level => LaneKeys.Key(level, DeliveryStage.PickedUp, shipperCode, serviceType, originProvince, destinationProvince)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<LaneTransitStat>().AsNoTracking()
            .Where(x => keys.Contains(x.LaneKey) && x.Sample >= options.Value.MinimumSample)
            .Select(x => new { x.LaneKey, x.Level, x.Sample, x.QuantileHours })
            .ToListAsync(ct);
        var finest = rows.OrderBy(r => keys.IndexOf(r.LaneKey)).FirstOrDefault();
        if (finest is null)
        {
            return null;
        }
        var distribution = TransitDistribution.Parse(finest.QuantileHours);
        return new LaneOutlook(finest.Level, finest.Sample, LaneOutlook.Levels.Select(p => TimeSpan.FromHours(distribution.Quantile(p))).ToList());
    }
}
