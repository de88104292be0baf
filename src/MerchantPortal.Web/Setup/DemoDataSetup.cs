using MerchantPortal.CarrierSandbox;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The demo run's clock and runner (docs/decisions/0014-demo-data-is-a-real-run.md). Only in Development with demo data
/// on, in <see cref="DemoDataMode.Run"/>: the portal's TimeProvider becomes this host's <see cref="DemoTimeline"/>,
/// which the in-process sandbox counts from too (at speed 1), so scans are never dated ahead of the portal. Sign-in and
/// cookies stay on the system clock (IdentitySetup.SessionClock), so a sign-in during the run is not expired after it.
/// </summary>
public static class DemoDataSetup
{
    public static bool RunsDemo(IConfiguration configuration, IHostEnvironment environment)
    {
        var demo = configuration.GetValidated<DemoDataOptions>(DemoDataOptions.Section);
        return environment.IsDevelopment() && demo.Enabled && demo.Mode == DemoDataMode.Run && demo.Orders > 0;
    }

    public static IServiceCollection AddPortalDemoData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // The layout's note reads it on every portal; it stays idle where no run happens.
        services.AddSingleton<DemoRunProgress>();
        services.AddValidatedOptions<DemoDataOptions>(configuration, DemoDataOptions.Section);
        if (!RunsDemo(configuration, environment))
        {
            return services;
        }
        services.AddSingleton<DemoTimeline>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<DemoTimeline>());
        services.AddKeyedSingleton<TimeProvider>(SandboxServiceCollectionExtensions.RealTimeKey, (sp, _) => sp.GetRequiredService<DemoTimeline>());
        services.PostConfigure<SandboxOptions>(o =>
        {
            // Portal and sandbox share one "now": a sandbox running 60× ahead dates its scans hours into the portal's future.
            o.SpeedFactor = 1;
            // Thirty days of calls are made in a couple of minutes; at the protocol's 20 calls a second the waybills
            // alone would take longer than the whole run may.
            o.RateLimitPerSecond = Math.Max(o.RateLimitPerSecond, 500);
        });
        services.AddSingleton<DemoAddresses>();
        services.AddSingleton<DemoRun>();
        services.AddSingleton<IDemoDataSeeder>(sp => sp.GetRequiredService<DemoRun>());
        services.AddHostedService(sp => sp.GetRequiredService<DemoRun>());
        return services;
    }
}
