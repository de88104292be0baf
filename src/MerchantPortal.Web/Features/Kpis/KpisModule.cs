using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Kpis.Hubs;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>Carrier KPIs, SLA rules, hub alerts, freight rate cards and bills, the carrier recommendation.</summary>
public sealed class KpisModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<KpiQueries>();
        services.AddSingleton<ProvinceMap>();
        services.AddTransient<KpiRollup>();
        // KPIs are read in periods of days: five minutes behind is fresh enough, and a quiet run is two index seeks.
        services.AddRecurringJob<KpiRollup>("kpis:rollup", "default", "*/5 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<SlaRuleService>();
        // SLA rules replace the default delivery promise: an SLA when one matches, else the carrier ETA.
        services.AddSingleton<IDeliveryPromise, SlaDeliveryPromise>();
        services.AddSingleton<KpiRecommendation>();
        services.AddSingleton<PredictionAccuracy>();
        services.AddSingleton<IRecommendedCarrier>(sp => sp.GetRequiredService<KpiRecommendation>());

        services.AddValidatedOptions<HubAlertOptions>(configuration, HubAlertOptions.Section);
        services.AddTransient<HubAlertJob>();
        // Hourly: the test compares days-long windows, so a fresher run would only repeat the same answer.
        services.AddRecurringJob<HubAlertJob>("kpis:hub-alerts", "default", "23 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<HubAlertQueries>();

        services.AddValidatedOptions<FreightOptions>(configuration, FreightOptions.Section);
        services.AddSingleton<RateCardService>();
        services.AddSingleton<FreightBillService>();
        services.AddTransient<FreightBillJob>();
        services.AddSingleton<IWorkSource, FreightBillWorkSource>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        KpiEndpoints.Map(app, api);
        SlaRuleEndpoints.Map(api);
        HubAlertEndpoints.Map(api);
        FreightEndpoints.Map(app, api);
    }
}
