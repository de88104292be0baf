using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>In-transit monitoring: rules per carrier and lane, exception cases and their queue.</summary>
public sealed class MonitoringModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MonitoringOptions>(configuration, MonitoringOptions.Section);
        // After Orders and Returns: a case sees the order and the return as the scan left them.
        services.AddShipmentObserver<MonitoringObserver>(order: 300);
        services.AddSingleton<IOrderStorySource, MonitoringStorySource>();
        services.AddTransient<MonitoringScanJob>();
        services.AddRecurringJob<MonitoringScanJob>("monitoring:scan", "default", "*/5 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<ExceptionService>();
        services.AddSingleton<ExceptionQueries>();
        services.AddSingleton<MonitoringRuleService>();
        services.AddSingleton<IDashboardCounter, OpenExceptionsCounter>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        ExceptionEndpoints.Map(api);
        MonitoringRuleEndpoints.Map(api);
    }
}
