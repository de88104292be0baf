using MerchantPortal.CarrierSandbox.Hosting;
using MerchantPortal.CarrierSandbox.Protocol;
using MerchantPortal.CarrierSandbox.Simulation;
using MerchantPortal.CarrierSandbox.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MerchantPortal.CarrierSandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>Key of an optional <see cref="TimeProvider"/> the sandbox clock counts from instead of the system clock.</summary>
    public const string RealTimeKey = "MerchantPortal.CarrierSandbox.RealTime";

    /// <summary>
    /// Binds <see cref="SandboxOptions"/> from <paramref name="section"/> ("CarrierSandbox") and registers the store, the
    /// clock, the simulator and the push dispatcher (an IHostedService). The sandbox clock is registered as
    /// <see cref="SandboxClock"/> only, never as the host's TimeProvider. A host that runs its own clock (the portal's demo
    /// timeline) registers it as the keyed TimeProvider <see cref="RealTimeKey"/>: the sandbox then counts from it, so host and
    /// sandbox agree on "now" instead of each reading the machine's clock.
    /// </summary>
    public static IServiceCollection AddKdniaoSandbox(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        // A wrong simulator setting (a share above 1, a zero rate) stops the host at start, naming the key.
        services.AddOptions<SandboxOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(_ => Regions.LoadEmbedded());
        services.AddSingleton<Carriers>();
        services.AddSingleton(sp => new SandboxStore(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.DataFile));
        services.AddSingleton(sp =>
        {
            var clock = new SandboxClock(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.SpeedFactor, sp.GetKeyedService<TimeProvider>(RealTimeKey));
            if (sp.GetRequiredService<SandboxStore>().LoadSimulatedNow() is { } saved)
            {
                clock.ResumeFrom(saved);
            }

            return clock;
        });
        services.AddSingleton<AddressParser>();
        services.AddSingleton<ParcelSimulator>();
        services.AddSingleton<FaultState>();
        services.AddSingleton<SandboxRateLimiter>();
        services.AddSingleton<KdniaoProtocolHandler>();
        services.AddSingleton<PushDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PushDispatcher>());
        services.AddHttpClient(PushDispatcher.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        return services;
    }
}
