using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>Carrier accounts, their secrets and call meter (the gateway itself is registered in Setup).</summary>
public sealed class CarrierAccountsModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CarrierSecrets>();
        services.AddSingleton<CarrierAccountContexts>();
        services.AddSingleton<CarrierCallMeter>();
        services.AddHostedService(sp => sp.GetRequiredService<CarrierCallMeter>());
        services.AddTransient<CarrierClient>();
        services.AddTransient<CarrierAccountService>();
        services.AddTransient<IDemoDataSeeder, DemoCarrierAccountsSeeder>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => CarrierAccountEndpoints.Map(api);
}
