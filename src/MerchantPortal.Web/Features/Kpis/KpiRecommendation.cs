using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis;

/// <param name="Eligible">At least <see cref="KpiRecommendation.MinimumSample"/> final shipments to the destination in the window.</param>
/// <param name="Cost">The rate card's price of a reference parcel to the destination (null without a card).</param>
/// <param name="PredictedOnTime">The chance of arriving within the promise from the lane's transit times (Tracking's lane
/// outlook); null when the lane has no carrier-specific history or no promise applies, and the on-time rate counts then.</param>
/// <param name="PromisedDays">The SLA rule's promised days for the carrier to the destination, when one applies.</param>
/// <param name="OutlookLane">How coarse the lane history behind <paramref name="PredictedOnTime"/> was.</param>
/// <param name="OutlookSample">Delivered parcels behind <paramref name="PredictedOnTime"/>.</param>
public sealed record CarrierScore(string Carrier, int Shipments, double? OnTimeRate, double? DeliveredRate, double? ExceptionRate, double? Score, bool Eligible, decimal? Cost = null,
    double? PredictedOnTime = null, int? PromisedDays = null, Tracking.LaneLevel? OutlookLane = null, int? OutlookSample = null);

public sealed record Recommendation(string DestinationProvince, DateOnly From, DateOnly To, string? RecommendedCarrier, int? CarrierAccountId, IReadOnlyList<CarrierScore> Carriers);

/// <summary>What the waybill batch asks: which carrier account to use for a destination ("recommended").</summary>
public interface IRecommendedCarrier
{
    /// <summary>An enabled carrier account of the best-scoring carrier for the province, or null without enough data.</summary>
    Task<int?> ForDestinationAsync(string destinationProvince, CancellationToken ct = default);
}

/// <summary>
/// The best carrier for a destination over the last <see cref="WindowDays"/> days (docs/kpis.md "Recommendation"):
/// score = 0.40 × on-time rate + 0.35 × delivered rate + 0.25 × (1 − exception rate), among carriers with at least
/// <see cref="MinimumSample"/> final shipments there. An on-time rate without any promise counts as the
/// delivered rate (no promise known is not a broken promise). Cost joins the score when every eligible carrier
/// has a rate card for the destination (docs/kpis.md "Recommendation with cost"): the quality score is then
/// scaled by <see cref="QualityShare"/> and <see cref="CostWeight"/> × (cheapest cost / this carrier's cost) is added.
/// When the lane's history predicts the chance of arriving within the promise (docs/kpis.md "Recommendation from the
/// predicted on-time chance"), that chance takes the on-time rate's place: it is what the next parcel can expect.
/// </summary>
public sealed class KpiRecommendation(
    KpiQueries queries, IDbContextFactory<PortalDbContext> dbFactory, BusinessCalendar calendar, RegionCatalog regions,
    Freight.RateCardService rateCards, Microsoft.Extensions.Options.IOptions<Freight.FreightOptions> freightOptions,
    Tracking.Prediction.ILaneOutlooks outlooks, SlaRuleService slaRules) : IRecommendedCarrier
{
    /// <summary>
    /// The time from pickup a promise of N days gives: the promise ends at 23:59 Beijing time N days after the pickup day
    /// (<see cref="SlaRuleService.PromisedBy"/>), and a parcel picked up around midday has N days and 12 hours.
    /// </summary>
    public static TimeSpan PromiseWindow(int promisedDays) => TimeSpan.FromDays(promisedDays) + TimeSpan.FromHours(12);

    /// <summary>
    /// The predicted chance of arriving within the promise, or null when it cannot stand for this carrier: no history
    /// for the lane at all, or only the every-carrier level (which says nothing about this carrier), or no promise.
    /// </summary>
    public static double? PredictedOnTime(Tracking.Prediction.LaneOutlook? outlook, int? promisedDays) =>
        outlook is null || outlook.Lane == Tracking.LaneLevel.AllCarriers || promisedDays is not { } days ? null : outlook.OnTimeProbability(PromiseWindow(days));
    public const double CostWeight = 0.15, QualityShare = 1 - CostWeight;

    /// <summary>The score with cost: quality × <see cref="QualityShare"/> + <see cref="CostWeight"/> × cheapest ÷ cost.</summary>
    public static double? WithCost(double? quality, decimal cost, decimal cheapest) =>
        quality is not { } q ? null : (QualityShare * q) + (CostWeight * (cost <= 0 ? 1.0 : (double)(cheapest / cost)));

    public const int WindowDays = 90;
    public const int MinimumSample = 30;
    public const double OnTimeWeight = 0.40, DeliveredWeight = 0.35, ExceptionWeight = 0.25;

    public static double? Score(KpiCell cell) => Score(cell, cell.OnTimeRate);

    /// <summary>The quality score with <paramref name="onTime"/> in the on-time rate's place (the predicted chance, when known).</summary>
    public static double? Score(KpiCell cell, double? onTime) =>
        cell.DeliveredRate is not { } delivered ? null
            : (OnTimeWeight * (onTime ?? delivered)) + (DeliveredWeight * delivered) + (ExceptionWeight * (1 - (cell.ExceptionRate ?? 0)));

    public async Task<Recommendation> ForAsync(string destinationProvince, CancellationToken ct = default)
    {
        var province = regions.FindProvince(destinationProvince)?.Name ?? destinationProvince.Trim();
        var filter = KpiFilter.LastDays(WindowDays, calendar.Today().Date) with { DestinationProvince = province };
        var report = await queries.ReportAsync(filter, ct);
        var costs = await rateCards.LaneCostsAsync(province, freightOptions.Value.ReferenceWeightKg, ct);
        var rules = await slaRules.ListAsync(ct);
        var scored = new List<CarrierScore>();
        foreach (var (carrier, cell) in report.Carriers)
        {
            // No origin: the recommendation is asked per destination, so the outlook is the carrier's to that province.
            var promisedDays = rules.Where(r => r.ShipperCode == carrier && (r.DestinationProvince is null || r.DestinationProvince == province) && r.OriginProvince is null)
                .OrderByDescending(r => r.DestinationProvince is not null).Select(r => (int?)r.PromisedDays).FirstOrDefault();
            var outlook = await outlooks.ForAsync(carrier, null, null, province, ct);
            var predicted = PredictedOnTime(outlook, promisedDays);
            scored.Add(new CarrierScore(carrier, cell.Final, cell.OnTimeRate, cell.DeliveredRate, cell.ExceptionRate, Score(cell, predicted ?? cell.OnTimeRate), cell.Final >= MinimumSample,
                costs.TryGetValue(carrier, out var cost) ? cost : null,
                predicted, promisedDays, predicted is null ? null : outlook!.Lane, predicted is null ? null : outlook!.Sample));
        }
        // Cost counts only when it can compare every eligible carrier: a carrier without a card is neither punished nor favoured.
        var eligible = scored.Where(s => s.Eligible && s.Score is not null).ToList();
        if (eligible.Count > 0 && eligible.All(s => s.Cost is not null))
        {
            var cheapest = eligible.Min(s => s.Cost!.Value);
            scored = [.. scored.Select(s => s.Eligible && s.Cost is { } c ? s with { Score = WithCost(s.Score, c, cheapest) } : s)];
        }
        var scores = scored
            .OrderByDescending(s => s.Eligible).ThenByDescending(s => s.Score).ThenByDescending(s => s.Shipments).ThenBy(s => s.Carrier, StringComparer.Ordinal)
            .ToList();
        var best = scores.FirstOrDefault(s => s.Eligible && s.Score is not null)?.Carrier;
        return new Recommendation(province, filter.From, filter.To, best, best is null ? null : await AccountForAsync(best, ct), scores);
    }

    public async Task<int?> ForDestinationAsync(string destinationProvince, CancellationToken ct = default) =>
        (await ForAsync(destinationProvince, ct)).CarrierAccountId;

    /// <summary>The carrier's default account when it is one, else its first enabled account.</summary>
    private async Task<int?> AccountForAsync(string shipperCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<CarrierAccount>().AsNoTracking()
            .Where(a => a.ShipperCode == shipperCode && !a.IsDisabled)
            .OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id)
            .Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);
    }
}
