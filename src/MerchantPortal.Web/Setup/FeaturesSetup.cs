using MerchantPortal.Web.Features.Admin;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Handover;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Lookup;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Features.Picking;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The one list of feature modules (no assembly scanning). Each feature registers its services, shipment observers,
/// recurring jobs and endpoints in its own <c>Features/X/XModule.cs</c>; adding a feature is its folder plus one line
/// here. Services that several features add to a list (dashboard counters, work sources, story sources, demo
/// seeders) are resolved in this order; shipment observers carry their own order instead.
/// </summary>
public static class FeaturesSetup
{
    public static readonly IReadOnlyList<IPortalModule> Modules =
    [
        new AdminModule(),
        new CarrierAccountsModule(),
        new DashboardModule(),
        new OrdersModule(),
        new TrackingModule(),
        new ReturnsModule(),
        new KpisModule(),
        new MonitoringModule(),
        new NotificationsModule(),
        new WaybillsModule(),
        new PrintingModule(),
        new PickingModule(),
        new PackingModule(),
        new HandoverModule(),
        new LookupModule(),
    ];

    public static IServiceCollection AddPortalFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        // Shared by several features.
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BusinessCalendar>();
        services.AddSingleton<ExportGate>();
        services.AddSingleton<RegionCatalog>();
        services.AddSingleton<SandboxAddress>();

        foreach (var module in Modules)
        {
            module.AddServices(services, configuration);
        }
        return services;
    }

    public static WebApplication MapPortalFeatures(this WebApplication app, RouteGroupBuilder api)
    {
        foreach (var module in Modules)
        {
            module.MapEndpoints(app, api);
        }
        return app;
    }
}
