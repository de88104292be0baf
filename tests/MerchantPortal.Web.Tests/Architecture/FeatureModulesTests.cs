using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantPortal.Web.Tests.Architecture;

/// <summary>Each feature composes itself in its own module; Setup lists the modules once.</summary>
[Collection(SharedPortal.Name)]
public class FeatureModulesTests(SharedPortal portal)
{
    [Fact]
    public void Every_feature_folder_has_one_module_and_Setup_lists_each_module_once()
    {
        var features = Path.Combine(FeatureOwnershipTests.RepositoryRoot(), "src", "MerchantPortal.Web", "Features");
        var folders = Directory.GetDirectories(features).Select(Path.GetFileName).Order().ToList();
        var listed = FeaturesSetup.Modules.Select(m => m.GetType()).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        foreach (var folder in folders)
        {
            Assert.True(File.Exists(Path.Combine(features, folder!, folder + "Module.cs")), $"Features/{folder} has no {folder}Module.cs");
            Assert.Contains(listed, t => t.Name == folder + "Module" && t.Namespace == $"MerchantPortal.Web.Features.{folder}");
        }
        Assert.Equal(folders.Count, listed.Count);
    }

    [Fact]
    public void The_recurring_jobs_keep_their_ids_queues_and_schedules()
    {
        var definitions = portal.Factory.GetService<RecurringJobsRegistry>().Definitions
            .Select(d => (d.Id, d.Queue, d.Cron, Job: d.JobType.Name))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [
                ("kpis:hub-alerts", "default", "23 * * * *", "HubAlertJob"),
                ("kpis:rollup", "default", "*/5 * * * *", "KpiRollup"),
                ("maintenance:purge", "maintenance", "17 3 * * *", "MaintenancePurgeJob"),
                ("maintenance:sweep", "maintenance", "*/2 * * * *", "WorkSweeper"),
                ("monitoring:scan", "default", "*/5 * * * *", "MonitoringScanJob"),
                ("notifications:delivery-dates", "default", "*/10 * * * *", "DeliveryDateMessages"),
                ("notifications:dispatch", "default", "* * * * *", "NotificationDispatcher"),
                ("notifications:sms-receipts", "default", "*/5 * * * *", "SmsReceiptJob"),
                ("printing:queue", "default", "* * * * *", "PrintQueueJob"),
                ("returns:pickup-no-shows", "default", "*/15 * * * *", "PickupNoShowJob"),
                ("tracking:lane-stats", "default", "37 * * * *", "LaneStatisticsJob"),
                ("tracking:poll", "tracking", "* * * * *", "TrackingPollJob"),
                ("tracking:predict", "default", "*/15 * * * *", "PredictionSweepJob"),
            ],
            definitions);
    }

    [Fact]
    public void Shipment_observers_run_Orders_then_Returns_then_Monitoring_then_Notifications()
    {
        var order = portal.Factory.GetService<ShipmentObservers>().InOrder.Select(o => o.GetType()).ToList();

        Assert.Equal([typeof(OrderShipmentObserver), typeof(ReturnShipmentObserver), typeof(MonitoringObserver), typeof(NotificationObserver)], order);
    }

    [Fact]
    public void Observers_run_by_their_order_number_not_by_registration_order()
    {
        var services = new ServiceCollection();
        services.AddShipmentObserver<SecondObserver>(order: 20);
        services.AddShipmentObserver<FirstObserver>(order: 10);
        services.AddSingleton(ShipmentObservers.FromRegistrations);
        using var provider = services.BuildServiceProvider();

        var order = provider.GetRequiredService<ShipmentObservers>().InOrder.Select(o => o.GetType()).ToList();

        Assert.Equal([typeof(FirstObserver), typeof(SecondObserver)], order);
    }

    [Fact]
    public void Two_observers_in_one_place_are_refused_with_both_names()
    {
        var services = new ServiceCollection();
        services.AddShipmentObserver<FirstObserver>(order: 10);
        services.AddShipmentObserver<SecondObserver>(order: 10);
        services.AddSingleton(ShipmentObservers.FromRegistrations);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ShipmentObservers>());

        Assert.Contains(nameof(FirstObserver), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SecondObserver), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recurring_job_id_declared_twice_is_refused()
    {
        var services = new ServiceCollection();
        services.AddRecurringJob<FirstObserver>("test:twice", "default", "* * * * *", o => o.OnTransitionsAsync(null!, Array.Empty<ShipmentTransition>(), CancellationToken.None));
        services.AddRecurringJob<SecondObserver>("test:twice", "default", "*/5 * * * *", o => o.OnTransitionsAsync(null!, Array.Empty<ShipmentTransition>(), CancellationToken.None));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => new RecurringJobsRegistry(
            provider.GetServices<RecurringJobDefinition>(), portal.Factory.GetService<IRecurringJobManager>(), NullLogger<RecurringJobsRegistry>.Instance));

        Assert.Contains("test:twice", error.Message, StringComparison.Ordinal);
    }

    private sealed class FirstObserver : IShipmentObserver
    {
        public Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class SecondObserver : IShipmentObserver
    {
        public Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct) => Task.CompletedTask;
    }
}
