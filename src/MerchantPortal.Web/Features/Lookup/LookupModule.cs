using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Lookup;

/// <summary>The customer-service lookup: reads other features' queries and has no services of its own.</summary>
public sealed class LookupModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => LookupEndpoints.Map(api);
}
