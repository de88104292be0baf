using MerchantPortal.Web.Features.Admin.Settings;
using Microsoft.AspNetCore.DataProtection;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// The merchant's WeChat Pay refund account as the refund path needs it. The private key and the APIv3 key are only
/// ever held encrypted at rest (Data Protection, like carrier secrets) and are never shown again after saving.
/// </summary>
/// <param name="BaseUrl">https://api.mch.weixin.qq.com, or the in-process payment sandbox.</param>
/// <param name="MchId">商户号.</param>
/// <param name="MerchantSerialNo">The serial number of the merchant API certificate (serial_no in the Authorization header).</param>
/// <param name="PlatformPublicKeyId">The WeChat Pay public key id ("PUB_KEY_ID_…"), matched against Wechatpay-Serial.</param>
/// <param name="PlatformPublicKeyPem">The WeChat Pay public key that verifies answers and notifications.</param>
public sealed record WeChatPayAccount(string BaseUrl, string MchId, string MerchantSerialNo, string PlatformPublicKeyId, string PlatformPublicKeyPem);

/// <summary>The account plus its decrypted secrets, only in memory for one call.</summary>
public sealed record WeChatPayCredentials(WeChatPayAccount Account, string PrivateKeyPem, string ApiV3Key);

/// <summary>What the settings page and API show: never a secret, only whether one is stored.</summary>
public sealed record RefundSettingsView(RefundMethod Method, WeChatPayAccount? WeChatPay, bool PrivateKeyStored, bool ApiV3KeyStored);

public sealed partial class RefundSettings(PortalSettings settings, IDataProtectionProvider protection)
{
    public const string MethodKey = "refunds.method";
    public const string WeChatPayKey = "refunds.wechatpay";
    public const string PrivateKeyKey = "refunds.wechatpay.privateKey";
    public const string ApiV3KeyKey = "refunds.wechatpay.apiV3Key";

    private readonly IDataProtector protector = protection.CreateProtector("MerchantPortal.Returns.RefundSecrets.v1");

    public Task<RefundMethod> MethodAsync(CancellationToken ct = default) => settings.GetAsync(MethodKey, RefundMethod.None, ct);

    public async Task<RefundSettingsView> ViewAsync(CancellationToken ct = default) => new(
        await MethodAsync(ct),
        await settings.GetAsync<WeChatPayAccount?>(WeChatPayKey, null, ct),
        await settings.GetAsync(PrivateKeyKey, ct) is not null,
        await settings.GetAsync(ApiV3KeyKey, ct) is not null);

    /// <summary>The WeChat Pay account with its secrets, or null when it is not completely configured.</summary>
    public async Task<WeChatPayCredentials?> WeChatPayAsync(CancellationToken ct = default)
    {
        var account = await settings.GetAsync<WeChatPayAccount?>(WeChatPayKey, null, ct);
        var key = await settings.GetAsync<string?>(PrivateKeyKey, null, ct);
        var apiV3 = await settings.GetAsync<string?>(ApiV3KeyKey, null, ct);
        return account is null || key is null || apiV3 is null ? null : new WeChatPayCredentials(account, protector.Unprotect(key), protector.Unprotect(apiV3));
    }

    /// <summary>Saves the method and, when given, the account; a secret left null keeps the stored one.</summary>
    public async Task SetAsync(RefundMethod method, WeChatPayAccount? account, string? privateKeyPem, string? apiV3Key, string actor, CancellationToken ct = default)
    {
        if (account is not null)
        {
            await settings.SetAsync(WeChatPayKey, account, actor, ct);
        }
        if (!string.IsNullOrWhiteSpace(privateKeyPem))
        {
            await settings.SetAsync(PrivateKeyKey, protector.Protect(privateKeyPem.Trim()), actor, ct);
        }
        if (!string.IsNullOrWhiteSpace(apiV3Key))
        {
            await settings.SetAsync(ApiV3KeyKey, protector.Protect(apiV3Key.Trim()), actor, ct);
        }
        await settings.SetAsync(MethodKey, method, actor, ct);
    }
}
