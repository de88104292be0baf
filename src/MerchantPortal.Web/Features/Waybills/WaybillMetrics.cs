using System.Diagnostics;
using System.Diagnostics.Metrics;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.CarrierAccounts;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// Waybill batch throughput on the portal's meter: every item a runner settles (issued by the carrier, failed,
/// skipped by the preflight) and how long a batch took from its first start to its completion.
/// </summary>
public sealed class WaybillMetrics
{
    public const string ItemsName = "merchantportal.waybill.items";
    public const string BatchDurationName = "merchantportal.waybill.batch.duration";

    // Batches run from seconds (a handful of orders) to hours (tens of thousands at a low account rate).
    private static readonly double[] Buckets = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];

    private readonly Counter<long> items;
    private readonly Histogram<double> batchDuration;

    public WaybillMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CarrierMetrics.MeterName);
        items = meter.CreateCounter<long>(ItemsName, "{item}", "Waybill batch items settled per carrier account and outcome (issued, failed, skipped).");
        batchDuration = meter.CreateHistogram(BatchDurationName, "s", "From a batch's first start to its completion.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public void ItemSettled(int carrierAccountId, WaybillItemStatus status)
    {
        var outcome = status switch
        {
            WaybillItemStatus.Succeeded => "issued",
            WaybillItemStatus.Failed => "failed",
            WaybillItemStatus.Skipped => "skipped",
            _ => status.ToString().ToLowerInvariant(),
        };
        items.Add(1, new TagList { { "account", CarrierAccountContexts.KeyOf(carrierAccountId) }, { "outcome", outcome } });
    }

    public void BatchCompleted(int carrierAccountId, bool withErrors, TimeSpan duration) =>
        batchDuration.Record(Math.Max(0, duration.TotalSeconds), new TagList
        {
            { "account", CarrierAccountContexts.KeyOf(carrierAccountId) },
            { "outcome", withErrors ? "completed_with_errors" : "completed" },
        });
}
