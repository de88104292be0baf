using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>
/// Puts <see cref="DeliveryPredictor"/>'s predictions on shipments: reads the lane statistics their lanes need (one
/// query for a whole batch), predicts, sets the shipment's Predicted* fields and hands back the
/// <see cref="DeliveryPrediction"/> row to keep. Used by <see cref="TrackingIngest"/> at each scan and by
/// <see cref="PredictionSweepJob"/> between scans, inside their own transactions (docs/delivery-prediction.md §5).
/// </summary>
public sealed class ShipmentPredictions(IOptions<PredictionOptions> options)
{
    public DeliveryPredictor Predictor { get; } = new(options.Value);

    /// <summary>The statistics of every lane level of <paramref name="shipments"/>, by key.</summary>
    public async Task<IReadOnlyDictionary<string, (int Sample, TransitDistribution Remaining)>> LoadAsync(PortalDbContext db, IEnumerable<Shipment> shipments, CancellationToken ct)
    {
        var keys = shipments
            .SelectMany(s => DeliveryPredictor.StatsStages.SelectMany(stage =>
                LaneKeys.Levels.Select(level => LaneKeys.Key(level, stage, s.ShipperCode, s.ServiceType, s.OriginProvince, s.DestinationProvince))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (keys.Count == 0)
        {
            return new Dictionary<string, (int, TransitDistribution)>();
        }
        var rows = await db.Set<LaneTransitStat>().AsNoTracking()
            .Where(x => keys.Contains(x.LaneKey))
            .Select(x => new { x.LaneKey, x.Sample, x.QuantileHours })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.LaneKey, r => (r.Sample, TransitDistribution.Parse(r.QuantileHours)), StringComparer.Ordinal);
    }

    /// <summary>
    /// Predicts <paramref name="shipment"/> at <paramref name="now"/> and sets its Predicted* fields; returns the
    /// prediction as a row to keep, or null when there is nothing to predict (not forward, final, not picked up, going
    /// back) — a final parcel keeps its last prediction.
    /// </summary>
    public DeliveryPrediction? Apply(Shipment shipment, IReadOnlyDictionary<string, (int Sample, TransitDistribution Remaining)> stats, DateTime now)
    {
        if (shipment.Direction != ShipmentDirection.Forward || shipment.FinalAtUtc is not null || shipment.Status.IsFinal()
            || DeliveryPredictor.StageOf(shipment.Status, shipment.FirstScanAtUtc, shipment.AtDestinationCityAtUtc, shipment.OutForDeliveryAtUtc) is not { } at)
        {
            return null;
        }
        StageHistory Of(DeliveryStage stage) =>
            Predictor.Choose(key => stats.TryGetValue(key, out var found) ? found : null, stage, shipment.ShipperCode, shipment.ServiceType, shipment.OriginProvince, shipment.DestinationProvince);
        var history = Of(at.Stage);
        var forecast = Predictor.Predict(at.Stage, at.EnteredUtc, now, history, DeliveryPredictor.StageAhead(at.Stage) is { } ahead ? Of(ahead) : null);
        shipment.PredictedDeliveryUtc = forecast.ExpectedUtc;
        shipment.PredictedEarliestUtc = forecast.EarliestUtc;
        shipment.PredictedLatestUtc = forecast.LatestUtc;
        shipment.PredictedAtUtc = now;
        shipment.PredictedFromStage = forecast.Stage;
        shipment.PredictedFromLane = forecast.Lane;
        return new DeliveryPrediction
        {
            ShipmentId = shipment.Id, MadeAtUtc = now, Stage = forecast.Stage, Lane = forecast.Lane, Sample = forecast.Sample,
            ExpectedUtc = forecast.ExpectedUtc, EarliestUtc = forecast.EarliestUtc, LatestUtc = forecast.LatestUtc,
            CarrierEstimateUtc = shipment.EstimatedDeliveryUtc,
        };
    }
}
