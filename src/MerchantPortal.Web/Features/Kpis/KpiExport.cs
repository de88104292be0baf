using System.Globalization;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>The KPI page as a workbook: one sheet per carrier, one per carrier lane, one per day (the trend).</summary>
public static class KpiExport
{
    public static async Task WriteAsync(HttpContext http, KpiReport report, CancellationToken ct)
    {
        var f = report.Filter;
        http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers.ContentDisposition = $"attachment; filename=kpis-{f.From:yyyyMMdd}-{f.To:yyyyMMdd}.xlsx";
        var sheets = new Dictionary<string, object>
        {
            ["carriers"] = report.Carriers.Select(c => Row(KpiCarrierRow.Of(c.Key, c.Value))).ToList(),
            ["lanes"] = report.CarrierLanes.OrderBy(l => l.Key.ShipperCode, StringComparer.Ordinal).ThenByDescending(l => l.Value.Final)
                .Select(l => Row(KpiLaneRow.Of(l.Key, l.Value))).ToList(),
            ["trend"] = report.Trend.SelectMany(t => t.Value.Select(c => Row(KpiCarrierRow.Of(c.Key, c.Value), t.Key))).ToList(),
        };
        await Infrastructure.XlsxResponse.WriteAsync(http, sheets, ct);
    }

    private static Dictionary<string, object?> Row(KpiCarrierRow r, DateOnly? period = null)
    {
        var row = new Dictionary<string, object?>();
        if (period is { } p)
        {
            row["period"] = p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        row["carrier"] = r.Carrier;
        Metrics(row, r.Shipments, r.DeliveredRate, r.OnTimeRate, r.FirstAttemptRate, r.ExceptionRate, r.ReturnRate, r.P50TransitHours, r.P90TransitHours, r.AverageTransitHours, r.OnTimeSample, r.TransitSample);
        return row;
    }

    private static Dictionary<string, object?> Row(KpiLaneRow r)
    {
        var row = new Dictionary<string, object?> { ["carrier"] = r.Carrier, ["originProvince"] = r.OriginProvince, ["destinationProvince"] = r.DestinationProvince };
        Metrics(row, r.Shipments, r.DeliveredRate, r.OnTimeRate, r.FirstAttemptRate, r.ExceptionRate, r.ReturnRate, r.P50TransitHours, r.P90TransitHours, r.AverageTransitHours, r.OnTimeSample, r.TransitSample);
        return row;
    }

    private static void Metrics(Dictionary<string, object?> row, int shipments, double? delivered, double? onTime, double? firstAttempt, double? exception,
        double? returned, double? p50, double? p90, double? average, int onTimeSample, int transitSample)
    {
        row["shipments"] = shipments;
        row["deliveredRate"] = delivered;
        row["onTimeRate"] = onTime;
        row["onTimeSample"] = onTimeSample;
        row["firstAttemptRate"] = firstAttempt;
        row["exceptionRate"] = exception;
        row["returnRate"] = returned;
        row["p50TransitHours"] = p50;
        row["p90TransitHours"] = p90;
        row["averageTransitHours"] = average;
        row["transitSample"] = transitSample;
    }
}
