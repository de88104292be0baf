using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Handover;

/// <summary>Handover scans (/handover): parcels scanned onto a carrier's pickup, flagged when missing, doubled or foreign; the handover list printed from the scans.</summary>
public sealed class HandoverModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransient<HandoverService>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        HandoverEndpoints.Map(app, api);
    }
}
