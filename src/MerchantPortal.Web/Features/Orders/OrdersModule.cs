using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>Orders, their import, saved views and warehouses.</summary>
public sealed class OrdersModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<OrderRowValidator>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderService>();
        services.AddSingleton<OrderParcelService>();
        // Before the Waybills module's automatic waybills (modules register in order): the merged parcel gets the waybill.
        services.AddSingleton<AutoMerge>();
        services.AddSingleton<IOrderApprovedHandler>(sp => sp.GetRequiredService<AutoMerge>());
        services.AddSingleton<OrderAddressService>();
        services.AddSingleton<OrderContactService>();
        services.AddSingleton<OrderStory>();
        services.AddSingleton<SavedViewService>();
        services.AddTransient<WarehouseService>();
        services.AddTransient<ShopService>();
        services.AddTransient<CatalogueService>();
        services.AddSingleton<OrderImportService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<OrderImportService>());
        services.AddTransient<OrderImportJob>();
        services.AddSingleton<IDemoDataSeeder, OrderFixtureSeeder>();
        services.AddSingleton<IDemoDataSeeder, ShopDemoSeeder>();
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("OrdersToReview", OrderStatus.PendingReview));
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("AwaitingWaybills", OrderStatus.Approved));
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("AwaitingPickup", OrderStatus.WaybillIssued));
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("InTransit", OrderStatus.Shipped));
        // First of all observers: an order's history names the scan that moved it.
        services.AddShipmentObserver<OrderShipmentObserver>(order: 100);
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        OrderEndpoints.Map(app, api);
        WarehouseEndpoints.Map(api);
        ShopEndpoints.Map(api);
        CatalogueEndpoints.Map(app, api);
        OrderAddressEndpoints.Map(api);
        OrderContactEndpoints.Map(api);
        OrderParcelEndpoints.Map(api);
        AutoMergeEndpoints.Map(api);
    }
}
