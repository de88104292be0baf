using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
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
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Settings.PortalSettings>();

        // Carrier accounts (the gateway itself is registered in CarriersSetup)
        services.AddSingleton<CarrierSecrets>();
        services.AddSingleton<SandboxAddress>();
        services.AddSingleton<CarrierAccountContexts>();
        services.AddSingleton<CarrierCallMeter>();
        services.AddHostedService(sp => sp.GetRequiredService<CarrierCallMeter>());
        services.AddTransient<CarrierClient>();
        services.AddTransient<CarrierAccountService>();
        services.AddTransient<IDemoDataSeeder, DemoCarrierAccountsSeeder>();

        // Dashboard
        services.AddSingleton<DashboardQueries>();

        // Orders
        services.AddSingleton<RegionCatalog>();
        services.AddSingleton<OrderRowValidator>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<SavedViewService>();
        services.AddTransient<WarehouseService>();
        services.AddSingleton<OrderImportService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<OrderImportService>());
        services.AddTransient<OrderImportJob>();
        services.AddSingleton<IDemoDataSeeder, OrderDemoSeeder>();
        services.AddSingleton<IDashboardCounter, OrdersToReviewCounter>();

        // Tracking
        services.AddSingleton<ShipmentObservers>();
        services.AddSingleton<IDeliveryPromise, CarrierEstimatePromise>();
        services.AddSingleton<TrackingIngest>();
        services.AddSingleton<KdniaoPushReceiver>();
        services.AddSingleton<PublicAddress>();
        services.AddSingleton<ShipmentQueries>();
        services.AddTransient<ShipmentService>();
        services.AddTransient<TrackingPollJob>();
        services.AddSingleton<ShipmentChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ShipmentChangeNotifier>());

        // Waybills
        services.AddSingleton(configuration.GetSection(WaybillOptions.Section).Get<WaybillOptions>() ?? new WaybillOptions());
        services.AddSingleton<MerchantPortal.Web.Features.Waybills.Labels.LabelPdfRenderer>();
        services.AddSingleton(new MerchantPortal.Web.Features.Waybills.Labels.LabelZplRenderer());
        services.AddSingleton<WaybillBatchService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<WaybillBatchService>());
        services.AddTransient<WaybillBatchJob>();
        services.AddTransient<WaybillRegistration>();
        services.AddTransient<WaybillService>();
        services.AddSingleton<IDashboardCounter, WaybillsTodayCounter>();
        services.AddSingleton<AutoWaybills>();
        services.AddSingleton<IOrderApprovedHandler>(sp => sp.GetRequiredService<AutoWaybills>());
        return services;
    }

    public static WebApplication MapPortalFeatures(this WebApplication app, RouteGroupBuilder api)
    {
        DashboardEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        CarrierAccountEndpoints.Map(api);
        OrderEndpoints.Map(app, api);
        WarehouseEndpoints.Map(api);
        TrackingEndpoints.Map(app, api);
        WaybillEndpoints.Map(app, api);
        return app;
    }
}
