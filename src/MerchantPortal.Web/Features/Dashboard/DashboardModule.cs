using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Dashboard;

/// <summary>The dashboard tiles; each feature adds its own counters (<see cref="IDashboardCounter"/>).</summary>
public sealed class DashboardModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddSingleton<DashboardQueries>();

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => DashboardEndpoints.Map(api);
}
