using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns.WeChatPay;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>Returns, door pickups and refunds (the merchant's own system or WeChat Pay).</summary>
public sealed class ReturnsModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ReturnRules>();
        services.AddSingleton<ReturnQueries>();
        services.AddSingleton<ReturnService>();
        services.AddTransient<PickupService>();
        // After Orders: a return parcel reaching the warehouse changes the return once the order has recorded the scan.
        services.AddShipmentObserver<ReturnShipmentObserver>(order: 200);
        services.AddSingleton<IOrderStorySource, ReturnStorySource>();
        services.AddSingleton<IRefundGateway, WebhookRefundGateway>();
        services.AddSingleton<RefundSettings>();
        services.AddSingleton<RefundOutcomes>();
        services.AddTransient<WeChatPayRefunds>();
        services.AddWeChatPayClient();
        services.AddTransient<RefundJob>();
        services.AddTransient<RefundQueryJob>();
        services.AddSingleton<IWorkSource, RefundQueryWorkSource>();
        services.AddTransient<PickupNoShowJob>();
        services.AddRecurringJob<PickupNoShowJob>("returns:pickup-no-shows", "default", "*/15 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<IWorkSource, RefundWorkSource>();
        services.AddSingleton<IDashboardCounter, ReturnsToReviewCounter>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        ReturnEndpoints.Map(app, api);
        ReturnRuleEndpoints.Map(api);
        RefundEndpoints.Map(app, api);
        ReturnPhotoEndpoints.Map(api);
    }
}
