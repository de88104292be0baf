namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// One feature's composition, in one file beside its code (<c>Features/X/XModule.cs</c>): its services, shipment
/// observers and recurring jobs, and its endpoints. Setup lists every module once (PortalModules.All) and nothing is
/// found by scanning, so adding a feature is its folder plus one line there.
/// </summary>
public interface IPortalModule
{
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <param name="app">For routes outside /api/v1 (downloads, push receivers, the public tracking page).</param>
    /// <param name="api">The /api/v1 group: any valid API key gets in; each endpoint adds the scope it needs.</param>
    void MapEndpoints(WebApplication app, RouteGroupBuilder api);
}
