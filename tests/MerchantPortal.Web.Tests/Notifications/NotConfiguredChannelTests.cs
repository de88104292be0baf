using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>Outside Development a channel without a provider never reads "sent": the delivery says not configured, readiness is Degraded.</summary>
public class NotConfiguredChannelTests
{
    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "MerchantPortal.Web";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    [Fact]
    public async Task A_message_without_a_provider_is_recorded_as_not_configured_and_readiness_is_degraded()
    {
        var none = new NotConfiguredSender();
        await using var p = new ClockedPortal(services: s =>
        {
            s.AddSingleton<ISmsSender>(none);
            s.AddSingleton<IEmailSender>(none);
        });
        var id = await OutboxTestData.EnqueueShippedAsync(p, email: "buyer@example.com");

        await OutboxTestData.DispatchAsync(p);

        var (row, log) = await OutboxTestData.LoadAsync(p, id);
        Assert.Equal((OutboxStatus.Skipped, OutboxNotes.NotConfigured), (row.Status, row.LastError));
        Assert.Equal(2, log.Count);
        Assert.All(log, l => Assert.Equal((DeliveryState.NotConfigured, NotConfiguredSender.Provider), (l.State, l.Provider)));

        var health = new MessagingHealthCheck(p.GetService<SmsProviders>(), Microsoft.Extensions.Options.Options.Create(new SmtpOptions()), new ProductionEnvironment());
        var result = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("SMS and e-mail", result.Description, StringComparison.Ordinal);
    }
}
