using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// Notifications: reads the outbox others write to. Senders are chosen per message: the SMS provider from the Admin
/// setting (Alibaba Cloud, Tencent Cloud) or the HTTP gateway, e-mail by SMTP; log-only exists only in Development,
/// elsewhere a channel without a provider records "not configured" (docs/messaging-providers.md).
/// </summary>
public sealed class NotificationsModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions>(configuration, NotificationOptions.Section);
        services.AddValidatedOptions<SmsGatewayOptions>(configuration, SmsGatewayOptions.Section);
        services.AddValidatedOptions<SmtpOptions>(configuration, SmtpOptions.Section);
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        // Last of all observers: a message describes the state the others left.
        services.AddShipmentObserver<NotificationObserver>(order: 400);
        services.AddHttpClient<HttpSmsGatewaySender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient<AliyunSmsClient>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient<TencentSmsClient>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<SmsProviders>();
        services.AddTransient<ISmsSender, SelectedSmsSender>();
        services.AddTransient<SmtpEmailSender>();
        services.AddTransient<IEmailSender, SelectedEmailSender>();
        services.AddTransient<SmsReceiptJob>();
        // SMS delivery receipts: carriers report within minutes; five minutes late is fine for a "delivered" mark.
        services.AddRecurringJob<SmsReceiptJob>("notifications:sms-receipts", "default", "*/5 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddHostedService<MessagingStartupCheck>();
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundPolicy>().CreateHandler());
        services.AddSingleton<WebhookSecrets>();
        services.AddTransient<WebhookSender>();
        services.AddSingleton<WebhookService>();
        services.AddTransient<DeliveryDateMessages>();
        // The expected delivery date told after pickup, and again when it moves: predictions change at scans, and a
        // customer hears of a move within ten minutes (quiet hours still hold the message).
        services.AddRecurringJob<DeliveryDateMessages>(DeliveryDateMessages.JobId, "default", "*/10 * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddTransient<NotificationDispatcher>();
        services.AddRecurringJob<NotificationDispatcher>("notifications:dispatch", "default", "* * * * *", job => job.RunAsync(CancellationToken.None));
        services.AddSingleton<NotificationAdmin>();
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        NotificationTemplateEndpoints.Map(api);
        NotificationEndpoints.Map(api);
        DeliveryLogEndpoints.Map(api);
    }
}
