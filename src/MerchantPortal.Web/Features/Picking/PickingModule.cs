using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>Waves (波次) of approved orders by warehouse, carrier and cut-off; pick lists by SKU and location; packing slips (发货单).</summary>
public sealed class PickingModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddTransient<PickingService>();
        services.AddTransient<WaveService>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => PickingEndpoints.Map(app, api);
}
