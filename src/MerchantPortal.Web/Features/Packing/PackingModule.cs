using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Packing;

/// <summary>The packing station (/pack): scan-to-verify each parcel's items, weigh it, throughput per station.</summary>
public sealed class PackingModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddTransient<PackingService>();

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => PackingEndpoints.Map(api);
}
