using MerchantPortal.Carriers;
using MerchantPortal.CarrierSandbox;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The carrier sandbox (a Kdniao-protocol server with simulated parcels) is mounted at /sandbox/kdniao when
/// CarrierSandbox:Enabled is true (Development and demos). The portal still reaches it over real HTTP, through
/// the same gateway a merchant points at the real endpoint. Its state lives in sandbox.db beside the portal's
/// database, so a restart does not forget the waybills it issued.
/// </summary>
public static class CarriersSetup
{
    public const string SandboxPrefix = SandboxAddress.Prefix;

    public static bool SandboxEnabled(IConfiguration configuration) => SandboxAddress.Enabled(configuration);

    public static IServiceCollection AddPortalCarriers(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton<Infrastructure.OutboundPolicy>();
        // Custom endpoints are typed by an Admin: the gateway connects only to public addresses (OutboundPolicy).
        services.AddKdniaoGateway(sp => sp.GetRequiredService<Infrastructure.OutboundPolicy>().CreateHandler());
        // The gateway checks its own settings (KdniaoGatewayOptionsValidator); here they are bound and checked at start.
        services.AddOptions<KdniaoGatewayOptions>().Bind(configuration.GetSection(KdniaoGatewayOptions.Section)).ValidateOnStart();
        if (SandboxEnabled(configuration))
        {
            services.AddKdniaoSandbox(configuration.GetSection("CarrierSandbox"));
            var database = configuration.GetValidated<DatabaseOptions>(DatabaseOptions.Section);
            var file = Path.Combine(database.ResolveDataDirectory(contentRoot), "sandbox.db");
            services.PostConfigure<SandboxOptions>(o =>
            {
                if (string.IsNullOrWhiteSpace(o.DataFile))
                {
                    o.DataFile = file;
                }
            });
        }
        return services;
    }

    public static WebApplication MapPortalCarriers(this WebApplication app)
    {
        if (SandboxEnabled(app.Configuration))
        {
            app.MapKdniaoSandbox(SandboxPrefix);
        }
        return app;
    }
}
