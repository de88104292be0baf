using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// How well delivery dates were predicted (docs/kpis.md "Delivery-date accuracy"), ours beside the carrier's own estimate
/// made at the same moment. Null rates when nothing was measured.
/// </summary>
/// <param name="Carrier">Null on the overall row.</param>
/// <param name="Predictions">Predictions of delivered parcels measured.</param>
/// <param name="InsideWindowRate">Share delivered between the window's earliest and latest time.</param>
/// <param name="OnDayRate">Share delivered on the predicted Beijing day.</param>
/// <param name="MaeHours">Mean absolute error of the expected time, in hours.</param>
/// <param name="CarrierEstimates">Of those, the predictions that had a carrier estimate beside them.</param>
/// <param name="CarrierOnDayRate">The carrier's estimate on the delivery's Beijing day (over <paramref name="CarrierEstimates"/>).</param>
/// <param name="CarrierMaeHours">The carrier's estimate's mean absolute error, in hours.</param>
/// <param name="OursOnDayRateBesideCarrier">Ours on the day over the same <paramref name="CarrierEstimates"/> predictions: the fair comparison.</param>
public sealed record PredictionAccuracyRow(string? Carrier, int Predictions, double? InsideWindowRate, double? OnDayRate, double? MaeHours,
    int CarrierEstimates, double? CarrierOnDayRate, double? CarrierMaeHours, double? OursOnDayRateBesideCarrier);

/// <param name="FromUtc">Predictions made from this time on are measured (the last <c>days</c> days).</param>
/// <param name="Pending">Predictions of the period whose parcels are not delivered yet (not measured).</param>
public sealed record PredictionAccuracyReport(DateTime FromUtc, DateTime ToUtc, int Days, PredictionAccuracyRow Overall, IReadOnlyList<PredictionAccuracyRow> Carriers, int Pending);

/// <summary>
/// The live accuracy of the portal's delivery-date predictions: every prediction made in the last days (Tracking's
/// DeliveryPredictions, read by <c>MadeAtUtc</c>, its index) whose parcel has since been delivered, measured against the
/// shipment's <c>DeliveredAtUtc</c>. Computed when asked: the days are few and the rows small, and the Beijing-day
/// comparison is the same on every database this way.
/// </summary>
public sealed class PredictionAccuracy(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 90;

    private sealed record Measured(string Carrier, DateTime Expected, DateTime Earliest, DateTime Latest, DateTime? CarrierEstimate, DateTime Delivered);

    public async Task<PredictionAccuracyReport> LastDaysAsync(int days = DefaultDays, CancellationToken ct = default)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var to = clock.GetUtcNow().UtcDateTime;
        var from = to.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<DeliveryPrediction>().AsNoTracking()
            .Where(p => p.MadeAtUtc >= from && p.MadeAtUtc <= to)
            .Join(db.Set<Shipment>(), p => p.ShipmentId, s => s.Id, (p, s) => new
            {
                s.ShipperCode, s.Status, s.DeliveredAtUtc, p.ExpectedUtc, p.EarliestUtc, p.LatestUtc, p.CarrierEstimateUtc,
            })
            .ToListAsync(ct);
        var measured = rows
            .Where(r => r.Status == ShipmentStatus.Delivered && r.DeliveredAtUtc is not null)
            .Select(r => new Measured(r.ShipperCode, r.ExpectedUtc, r.EarliestUtc, r.LatestUtc, r.CarrierEstimateUtc, r.DeliveredAtUtc!.Value))
            .ToList();
        // A parcel returned or lost has no delivery to measure against; only those still travelling are "pending".
        var pending = rows.Count(r => !r.Status.IsFinal());
        var carriers = measured.GroupBy(m => m.Carrier).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Row(g.Key, [.. g])).ToList();
        return new(DateTime.SpecifyKind(from, DateTimeKind.Utc), DateTime.SpecifyKind(to, DateTimeKind.Utc), days, Row(null, measured), carriers, pending);
    }

    private static PredictionAccuracyRow Row(string? carrier, IReadOnlyList<Measured> all)
    {
        var withCarrier = all.Where(m => m.CarrierEstimate is not null).ToList();
        return new(
            carrier,
            all.Count,
            Share(all, m => m.Delivered >= m.Earliest && m.Delivered <= m.Latest),
            Share(all, m => DeliveryDateWords.SameDay(m.Expected, m.Delivered)),
            Mae(all, m => m.Expected),
            withCarrier.Count,
            Share(withCarrier, m => DeliveryDateWords.SameDay(m.CarrierEstimate!.Value, m.Delivered)),
            Mae(withCarrier, m => m.CarrierEstimate!.Value),
            Share(withCarrier, m => DeliveryDateWords.SameDay(m.Expected, m.Delivered)));
    }

    private static double? Share(IReadOnlyList<Measured> rows, Func<Measured, bool> hit) =>
        rows.Count == 0 ? null : Math.Round((double)rows.Count(hit) / rows.Count, 4);

    private static double? Mae(IReadOnlyList<Measured> rows, Func<Measured, DateTime> estimate) =>
        rows.Count == 0 ? null : Math.Round(rows.Average(m => Math.Abs((m.Delivered - estimate(m)).TotalHours)), 1);
}
