using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Admin;

/// <summary>API keys, the audit log, portal settings and users.</summary>
public sealed class AdminModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<IDemoDataSeeder, DemoUsersSeeder>();
        services.AddSingleton<PortalSettings>();
        services.AddSingleton<UserAdminService>();
        services.AddSingleton<UserAdminCheckpoints>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        ApiKeyEndpoints.Map(api);
        UserEndpoints.Map(api);
        AuditEndpoints.Map(api);
    }
}
