using System.Globalization;
using System.Security.Claims;
using Hangfire;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>A KPI row of the API: rates are 0–1 fractions (null without a sample), transit in hours.</summary>
public sealed record KpiCarrierRow(
    string Carrier, int Shipments, double? DeliveredRate, double? OnTimeRate, double? FirstAttemptRate, double? ExceptionRate,
    double? ReturnRate, double? P50TransitHours, double? P90TransitHours, double? AverageTransitHours, int OnTimeSample, int TransitSample)
{
    public static KpiCarrierRow Of(string carrier, KpiCell c) =>
        new(carrier, c.Final, R(c.DeliveredRate), R(c.OnTimeRate), R(c.FirstAttemptRate), R(c.ExceptionRate), R(c.ReturnRate),
            H(c.P50TransitHours), H(c.P90TransitHours), H(c.AverageTransitHours), c.WithPromise, c.TransitCount);

    internal static double? R(double? rate) => rate is null ? null : Math.Round(rate.Value, 4);

    internal static double? H(double? hours) => hours is null ? null : Math.Round(hours.Value, 1);
}

public sealed record KpiLaneRow(
    string Carrier, string OriginProvince, string DestinationProvince, int Shipments, double? DeliveredRate, double? OnTimeRate,
    double? FirstAttemptRate, double? ExceptionRate, double? ReturnRate, double? P50TransitHours, double? P90TransitHours,
    double? AverageTransitHours, int OnTimeSample, int TransitSample)
{
    public static KpiLaneRow Of(KpiCarrierLaneKey key, KpiCell c) =>
        new(key.ShipperCode, key.OriginProvince, key.DestinationProvince, c.Final, KpiCarrierRow.R(c.DeliveredRate), KpiCarrierRow.R(c.OnTimeRate),
            KpiCarrierRow.R(c.FirstAttemptRate), KpiCarrierRow.R(c.ExceptionRate), KpiCarrierRow.R(c.ReturnRate),
            KpiCarrierRow.H(c.P50TransitHours), KpiCarrierRow.H(c.P90TransitHours), KpiCarrierRow.H(c.AverageTransitHours), c.WithPromise, c.TransitCount);
}

/// <summary>The period and filters of a KPI request, from the query string (API and export alike).</summary>
public sealed record KpiQueryParameters(
    int? Days, string? From, string? To, string? Carrier, string? Service, int? Warehouse, string? OriginProvince,
    string? DestinationProvince, string? Region, int? Shop = null)
{
    public const int DefaultDays = 30;

    /// <summary>days= (1–366) or from=&amp;to= (yyyy-MM-dd, Beijing dates); errors name the parameter.</summary>
    public KpiFilter? ToFilter(DateOnly today, out FieldProblems errors)
    {
        errors = new FieldProblems();
        DateOnly from, to;
        if (From is not null || To is not null)
        {
            if (!DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
            {
                errors.Add("from", "from must be a date (yyyy-MM-dd) when to is given.");
            }
            if (!DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out to))
            {
                errors.Add("to", "to must be a date (yyyy-MM-dd) when from is given.");
            }
            if (!errors.Any && (to < from || to.DayNumber - from.DayNumber >= KpiFilter.MaxDays))
            {
                errors.Add("to", $"to must be on or after from, at most {KpiFilter.MaxDays} days later.");
            }
        }
        else
        {
            var days = Days ?? DefaultDays;
            if (days is < 1 or > KpiFilter.MaxDays)
            {
                errors.Add("days", $"days must be between 1 and {KpiFilter.MaxDays}.");
            }
            (from, to) = (today.AddDays(-days + 1), today);
        }
        return errors.Any ? null : new KpiFilter(from, to, Blank(Carrier)?.ToUpperInvariant(), Blank(Service), Warehouse,
            Blank(OriginProvince), Blank(DestinationProvince), Blank(Region), Shop);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class KpiEndpoints
{
    public const string ExportPath = "/kpis/export.xlsx";

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        var kpis = api.MapGroup("/kpis").WithTags("KPIs");

        kpis.MapGet("/carriers", CarriersAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<List<KpiCarrierRow>>().ProducesValidationProblem()
            .WithName("GetCarrierKpis")
            .WithSummary("Per carrier over a period of final days (days= or from=&to=, Beijing dates): volume, delivered, on-time, first-attempt, exception and return rates, p50/p90 transit hours, with sample sizes (docs/kpis.md).");

        kpis.MapGet("/lanes", LanesAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<List<KpiLaneRow>>().ProducesValidationProblem()
            .WithName("GetLaneKpis")
            .WithSummary("The same KPIs per carrier and lane (origin province → destination province); originProvince= and destinationProvince= narrow it.");

        kpis.MapGet("/recommendation", RecommendAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<Recommendation>().ProducesValidationProblem()
            .WithName("GetCarrierRecommendation")
            .WithSummary("The best carrier for a destination province over the last 90 days, with every carrier's score (docs/kpis.md \"Recommendation\").");

        kpis.MapGet("/prediction-accuracy", AccuracyAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.KpisRead))
            .Produces<PredictionAccuracyReport>().ProducesValidationProblem()
            .WithName("GetPredictionAccuracy")
            .WithSummary("The live accuracy of the portal's delivery-date predictions made in the last days (days=1–90, default 30) whose parcels were delivered, overall and per carrier: share delivered inside the window, share on the predicted Beijing day, mean absolute error in hours; beside it the carrier's own estimate made at the same moments (docs/kpis.md \"Delivery-date accuracy\").");

        kpis.MapPost("/rebuild", Rebuild).RequireAuthorization(ApiScopes.Policy(ApiScopes.Admin))
            .Produces(StatusCodes.Status202Accepted)
            .WithName("RebuildKpis")
            .WithSummary("Starts a full rebuild of the KPI rollup from the shipments (a background job; the rollup is replaced day by day).");

        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(Policies.Operations).ExcludeFromDescription();
    }

    private static async Task<IResult> CarriersAsync([AsParameters] KpiQueryParameters p, KpiQueries queries, BusinessCalendar calendar, CancellationToken ct)
    {
        if (p.ToFilter(calendar.Today().Date, out var errors) is not { } filter)
        {
            return errors.ToResult();
        }
        var report = await queries.ReportAsync(filter, ct);
        return TypedResults.Ok(report.Carriers.Select(c => KpiCarrierRow.Of(c.Key, c.Value)).ToList());
    }

    private static async Task<IResult> LanesAsync([AsParameters] KpiQueryParameters p, KpiQueries queries, BusinessCalendar calendar, CancellationToken ct)
    {
        if (p.ToFilter(calendar.Today().Date, out var errors) is not { } filter)
        {
            return errors.ToResult();
        }
        var report = await queries.ReportAsync(filter, ct);
        return TypedResults.Ok(report.CarrierLanes.OrderBy(l => l.Key.ShipperCode, StringComparer.Ordinal).ThenBy(l => l.Key.OriginProvince, StringComparer.Ordinal)
            .ThenBy(l => l.Key.DestinationProvince, StringComparer.Ordinal).Select(l => KpiLaneRow.Of(l.Key, l.Value)).ToList());
    }

    private static async Task<IResult> RecommendAsync(string? destinationProvince, KpiRecommendation recommendation, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(destinationProvince)
            ? FieldProblems.Of("destinationProvince", "destinationProvince is required (e.g. 广东省).").ToResult()
            : TypedResults.Ok(await recommendation.ForAsync(destinationProvince, ct));

    private static async Task<IResult> AccuracyAsync(int? days, PredictionAccuracy accuracy, CancellationToken ct) =>
        days is < 1 or > PredictionAccuracy.MaxDays
            ? FieldProblems.Of("days", $"days is 1 to {PredictionAccuracy.MaxDays}; it was {days}.").ToResult()
            : TypedResults.Ok(await accuracy.LastDaysAsync(days ?? PredictionAccuracy.DefaultDays, ct));

    private static Accepted Rebuild(IBackgroundJobClient jobs)
    {
        jobs.Enqueue<KpiRollup>("default", r => r.RebuildAsync(CancellationToken.None));
        return TypedResults.Accepted("/api/v1/kpis/carriers");
    }

    private static async Task<IResult> ExportAsync([AsParameters] KpiQueryParameters p, KpiQueries queries, BusinessCalendar calendar, ExportGate gate, HttpContext http, CancellationToken ct)
    {
        if (p.ToFilter(calendar.Today().Date, out var errors) is not { } filter)
        {
            return errors.ToResult();
        }
        // The export's trend sheet lists transit percentiles per point; the page's charts do not need them.
        await gate.RunAsync(http, async () => await KpiExport.WriteAsync(http, await queries.ReportAsync(filter, trendPercentiles: true, ct), ct));
        return TypedResults.Empty;
    }
}
