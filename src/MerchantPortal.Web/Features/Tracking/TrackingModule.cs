using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>Shipments, carrier pushes and polling, the public tracking page, and the observers other features add.</summary>
public sealed class TrackingModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ShipmentObservers.FromRegistrations);
        services.AddSingleton<IOrderStorySource, TrackingStorySource>();
        services.AddValidatedOptions<TrackingOptions>(configuration, TrackingOptions.Section);
        services.AddSingleton<TrackingIngest>();
        services.AddSingleton<KdniaoPushReceiver>();
        services.AddSingleton<PublicAddress>();
        services.AddSingleton<ShipmentQueries>();
        services.AddSingleton<Prediction.ILaneOutlooks, Prediction.LaneOutlooks>();
        services.AddValidatedOptions<Prediction.PredictionOptions>(configuration, Prediction.PredictionOptions.Section);
        services.AddSingleton<Prediction.ShipmentPredictions>();
        services.AddTransient<Prediction.LaneStatisticsJob>();
        services.AddTransient<Prediction.PredictionSweepJob>();
        // Hourly: the lane statistics move slowly (90 days of history); the rebuild streams the delivered parcels once.
        services.AddRecurringJob<Prediction.LaneStatisticsJob>("tracking:lane-stats", "default", "37 * * * *", job => job.RunAsync(CancellationToken.None));
        // Every 15 minutes: parcels silent past their expected time get a window that slides later (docs/delivery-prediction.md §5).
        services.AddRecurringJob<Prediction.PredictionSweepJob>("tracking:predict", "default", "*/15 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddTransient<ShipmentService>();
        services.AddValidatedOptions<RegistrationOptions>(configuration, RegistrationOptions.Section);
        services.AddTransient<ShipmentRegistrationRun>();
        services.AddTransient<TrackingPollJob>();
        // Every minute: the sweep itself is cheap when nothing is due (an index seek on NextCheckAtUtc).
        services.AddRecurringJob<TrackingPollJob>("tracking:poll", "tracking", "* * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<ShipmentChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ShipmentChangeNotifier>());
        services.AddSingleton<PublicTracking>();
        services.AddSingleton<TrackingLinkKey>();
        services.AddSingleton<BrandLogos>();
        services.AddHostedService(sp => sp.GetRequiredService<TrackingLinkKey>());
        services.AddSingleton<IDemoDataSeeder, ShipmentFixtureSeeder>();
        services.AddRateLimiter(o => o.AddPolicy<string, TrackRateLimitPolicy>(TrackRateLimitPolicy.Name));
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        TrackingEndpoints.Map(app, api);
        TrackingBrandEndpoints.Map(api);
        TrackingLinkEndpoint.Map(app);
        BrandLogoEndpoints.Map(app, api);
    }
}
