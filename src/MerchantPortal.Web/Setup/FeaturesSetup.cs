using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

/// <summary>Explicit registrations of every feature's services and endpoints (no assembly scanning).</summary>
public static class FeaturesSetup
{
    public static IServiceCollection AddPortalFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BusinessCalendar>();

        // Admin
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Audit.AuditQueries>();
        services.AddSingleton<IDemoDataSeeder, DemoUsersSeeder>();

        // Dashboard
        services.AddSingleton<DashboardQueries>();
        return services;
    }

    public static WebApplication MapPortalFeatures(this WebApplication app, RouteGroupBuilder api)
    {
        DashboardEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        return app;
    }
}
