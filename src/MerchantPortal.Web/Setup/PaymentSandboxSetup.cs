using System.Security.Cryptography;
using MerchantPortal.PaymentSandbox;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The payment sandbox (a WeChat Pay API v3 refund server, src/MerchantPortal.PaymentSandbox) is mounted at
/// /sandbox/wechatpay when PaymentSandbox:Enabled is true (Development and demos). The portal reaches it over real HTTP
/// through the same client a merchant points at https://api.mch.weixin.qq.com. Its state is in memory: keys are made
/// at start-up, so <see cref="ConnectAsync"/> makes a fresh merchant key pair and registers it each time it runs.
/// </summary>
public static class PaymentSandboxSetup
{
    public const string Prefix = WeChatPaySandboxEndpoints.DefaultPrefix;
    public const string DemoMchId = "1900000109";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue<bool>("PaymentSandbox:Enabled");

    public static IServiceCollection AddPortalPaymentSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        if (Enabled(configuration))
        {
            services.AddWeChatPaySandbox();
        }
        return services;
    }

    public static WebApplication MapPortalPaymentSandbox(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.MapWeChatPaySandbox(Prefix);
            // The sandbox forgets its keys on restart; a portal pointed at it would then refuse every answer (wrong
            // signature). Reconnect once the server listens (PublicAddress needs its port).
            app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
            {
                try
                {
                    var view = await app.Services.GetRequiredService<RefundSettings>().ViewAsync(app.Lifetime.ApplicationStopping);
                    if (view.WeChatPay is { } account && account.BaseUrl.Contains(Prefix, StringComparison.Ordinal)
                        && account.PlatformPublicKeyId != app.Services.GetRequiredService<WeChatPaySandbox>().PlatformPublicKeyId)
                    {
                        await ConnectAsync(app.Services, "system", app.Lifetime.ApplicationStopping);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    app.Logger.LogWarning(e, "Could not reconnect the refund path to the restarted payment sandbox");
                }
            }));
        }
        return app;
    }

    /// <summary>
    /// Points the portal's WeChat Pay refund path at the in-process sandbox: a merchant key pair made now (never stored
    /// outside the encrypted setting), registered with the sandbox with a random APIv3 key, and the sandbox's public key.
    /// </summary>
    public static async Task ConnectAsync(IServiceProvider services, string actor, CancellationToken ct)
    {
        var sandbox = services.GetRequiredService<WeChatPaySandbox>();
        var baseUrl = new Uri(services.GetRequiredService<PublicAddress>().BaseUrl, Prefix.TrimStart('/')).ToString();
        using var key = RSA.Create(2048);
        var serial = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var apiV3Key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        sandbox.RegisterMerchant(DemoMchId, serial, key.ExportSubjectPublicKeyInfoPem(), apiV3Key);
        await services.GetRequiredService<RefundSettings>().SetAsync(RefundMethod.WeChatPay,
            new WeChatPayAccount(baseUrl, DemoMchId, serial, sandbox.PlatformPublicKeyId, sandbox.PlatformPublicKeyPem),
            key.ExportPkcs8PrivateKeyPem(), apiV3Key, actor, ct);
    }
}
