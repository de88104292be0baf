using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Returns.WeChatPay;
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
        services.AddSingleton<ExportGate>();

        // Admin
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Audit.AuditQueries>();
        services.AddSingleton<IDemoDataSeeder, DemoUsersSeeder>();
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Settings.PortalSettings>();
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Users.UserAdminService>();
        services.AddSingleton<MerchantPortal.Web.Features.Admin.Users.UserAdminCheckpoints>();

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
        services.AddSingleton<OrderAddressService>();
        services.AddSingleton<OrderContactService>();
        services.AddSingleton<OrderStory>();
        services.AddSingleton<SavedViewService>();
        services.AddTransient<WarehouseService>();
        services.AddSingleton<OrderImportService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<OrderImportService>());
        services.AddTransient<OrderImportJob>();
        services.AddSingleton<IDemoDataSeeder, OrderFixtureSeeder>();
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("OrdersToReview", OrderStatus.PendingReview));
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("AwaitingPickup", OrderStatus.WaybillIssued));
        services.AddSingleton<IDashboardCounter>(new OrderStatusCounter("InTransit", OrderStatus.Shipped));

        // Tracking. Shipment observers run in the order registered here: Orders first (an order's history names the
        // scan that moved it), then Returns, Monitoring and Notifications.
        services.AddSingleton<ShipmentObservers>();
        services.AddSingleton<IShipmentObserver, OrderShipmentObserver>();
        services.AddSingleton<IOrderStorySource, TrackingStorySource>();
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrackingIngest>();
        services.AddSingleton<KdniaoPushReceiver>();
        services.AddSingleton<PublicAddress>();
        services.AddSingleton<ShipmentQueries>();
        services.AddTransient<ShipmentService>();
        services.AddTransient<TrackingPollJob>();
        services.AddSingleton<ShipmentChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ShipmentChangeNotifier>());
        services.AddSingleton<PublicTracking>();
        services.AddSingleton<IDemoDataSeeder, ShipmentFixtureSeeder>();
        services.AddRateLimiter(o => o.AddPolicy<string, TrackRateLimitPolicy>(TrackRateLimitPolicy.Name));

        // Returns
        services.AddSingleton<ReturnRules>();
        services.AddSingleton<ReturnQueries>();
        services.AddSingleton<ReturnService>();
        services.AddTransient<PickupService>();
        services.AddSingleton<IShipmentObserver, ReturnShipmentObserver>();
        services.AddSingleton<IOrderStorySource, ReturnStorySource>();
        services.AddSingleton<IRefundGateway, WebhookRefundGateway>();
        services.AddSingleton<RefundSettings>();
        services.AddSingleton<RefundOutcomes>();
        services.AddTransient<MerchantPortal.Web.Features.Returns.WeChatPay.WeChatPayRefunds>();
        services.AddWeChatPayClient();
        services.AddTransient<RefundJob>();
        services.AddTransient<RefundQueryJob>();
        services.AddSingleton<IWorkSource, RefundQueryWorkSource>();
        services.AddTransient<PickupNoShowJob>();
        services.AddSingleton<IWorkSource, RefundWorkSource>();
        services.AddSingleton<IDashboardCounter, ReturnsToReviewCounter>();

        // KPIs (SLA rules replace the default delivery promise: an SLA when one matches, else the carrier ETA)
        services.AddSingleton<KpiQueries>();
        services.AddSingleton<ProvinceMap>();
        services.AddTransient<KpiRollup>();
        services.AddSingleton<SlaRuleService>();
        services.AddSingleton<IDeliveryPromise, SlaDeliveryPromise>();
        services.AddSingleton<KpiRecommendation>();
        services.AddSingleton<IRecommendedCarrier>(sp => sp.GetRequiredService<KpiRecommendation>());
        // Hub alerts and freight reconciliation (issue 9, scopes 6 and 7)
        services.Configure<MerchantPortal.Web.Features.Kpis.Hubs.HubAlertOptions>(configuration.GetSection(MerchantPortal.Web.Features.Kpis.Hubs.HubAlertOptions.Section));
        services.AddTransient<MerchantPortal.Web.Features.Kpis.Hubs.HubAlertJob>();
        services.AddSingleton<MerchantPortal.Web.Features.Kpis.Hubs.HubAlertQueries>();
        services.Configure<MerchantPortal.Web.Features.Kpis.Freight.FreightOptions>(configuration.GetSection(MerchantPortal.Web.Features.Kpis.Freight.FreightOptions.Section));
        services.AddSingleton<MerchantPortal.Web.Features.Kpis.Freight.RateCardService>();
        services.AddSingleton<MerchantPortal.Web.Features.Kpis.Freight.FreightBillService>();
        services.AddTransient<MerchantPortal.Web.Features.Kpis.Freight.FreightBillJob>();
        services.AddSingleton<IWorkSource, MerchantPortal.Web.Features.Kpis.Freight.FreightBillWorkSource>();

        // Monitoring (issue 6)
        services.Configure<MonitoringOptions>(configuration.GetSection(MonitoringOptions.Section));
        services.AddSingleton<IShipmentObserver, MonitoringObserver>();
        services.AddSingleton<IOrderStorySource, MonitoringStorySource>();
        services.AddTransient<MonitoringScanJob>();
        services.AddSingleton<ExceptionService>();
        services.AddSingleton<ExceptionQueries>();
        services.AddSingleton<MonitoringRuleService>();
        services.AddSingleton<IDashboardCounter, OpenExceptionsCounter>();

        // Notifications: reads the outbox others write to. Senders are chosen per message: the SMS provider from the
        // Admin setting (Alibaba Cloud, Tencent Cloud) or the HTTP gateway, e-mail by SMTP; log-only exists only in
        // Development, elsewhere a channel without a provider records "not configured" (docs/messaging-providers.md).
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsGatewayOptions>().Bind(configuration.GetSection(SmsGatewayOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IShipmentObserver, NotificationObserver>();
        services.AddHttpClient<HttpSmsGatewaySender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient<AliyunSmsClient>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient<TencentSmsClient>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<SmsProviders>();
        services.AddTransient<ISmsSender, SelectedSmsSender>();
        services.AddTransient<SmtpEmailSender>();
        services.AddTransient<IEmailSender, SelectedEmailSender>();
        services.AddTransient<SmsReceiptJob>();
        services.AddHostedService<MessagingStartupCheck>();
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundPolicy>().CreateHandler());
        services.AddSingleton<WebhookSecrets>();
        services.AddTransient<WebhookSender>();
        services.AddSingleton<WebhookService>();
        services.AddTransient<NotificationDispatcher>();
        services.AddSingleton<NotificationAdmin>();

        // Waybills
        services.AddSingleton(configuration.GetSection(WaybillOptions.Section).Get<WaybillOptions>() ?? new WaybillOptions());
        services.AddSingleton<MerchantPortal.Web.Features.Waybills.Labels.LabelPdfRenderer>();
        services.AddSingleton(new MerchantPortal.Web.Features.Waybills.Labels.LabelZplRenderer());
        services.AddSingleton<WaybillBatchService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<WaybillBatchService>());
        services.AddTransient<WaybillBatchJob>();
        services.AddTransient<WaybillRegistration>();
        services.AddTransient<WaybillService>();
        services.AddSingleton<AutoWaybills>();
        services.AddSingleton<IOrderApprovedHandler>(sp => sp.GetRequiredService<AutoWaybills>());
        return services;
    }

    public static WebApplication MapPortalFeatures(this WebApplication app, RouteGroupBuilder api)
    {
        DashboardEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        MerchantPortal.Web.Features.Admin.Users.UserEndpoints.Map(api);
        CarrierAccountEndpoints.Map(api);
        OrderEndpoints.Map(app, api);
        WarehouseEndpoints.Map(api);
        TrackingEndpoints.Map(app, api);
        ReturnEndpoints.Map(app, api);
        KpiEndpoints.Map(app, api);
        SlaRuleEndpoints.Map(api);
        MerchantPortal.Web.Features.Kpis.Hubs.HubAlertEndpoints.Map(api);
        MerchantPortal.Web.Features.Kpis.Freight.FreightEndpoints.Map(app, api);
        ExceptionEndpoints.Map(api);
        MonitoringRuleEndpoints.Map(api);
        MerchantPortal.Web.Features.Admin.Audit.AuditEndpoints.Map(api);
        NotificationTemplateEndpoints.Map(api);
        MerchantPortal.Web.Features.Lookup.LookupEndpoints.Map(api);
        NotificationEndpoints.Map(api);
        DeliveryLogEndpoints.Map(api);
        AutoWaybillEndpoints.Map(api);
        TrackingBrandEndpoints.Map(api);
        ReturnRuleEndpoints.Map(api);
        RefundEndpoints.Map(app, api);
        OrderAddressEndpoints.Map(api);
        OrderContactEndpoints.Map(api);
        ReturnPhotoEndpoints.Map(api);
        WaybillEndpoints.Map(app, api);
        return app;
    }
}
