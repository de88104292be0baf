using System.Text;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>What is wrong with refund settings before they are stored (the API and the settings page ask the same).</summary>
public sealed partial class RefundSettings
{
    public static FieldProblems Check(RefundEndpoints.RefundSettingsRequest request, RefundSettingsView current)
    {
        var problems = new FieldProblems();
        if (request.Method is not { } method || !Enum.IsDefined(method))
        {
            return problems.Add("method", $"method is required: {string.Join(", ", Enum.GetNames<RefundMethod>())}.");
        }
        // An account or a secret given with another method is checked all the same: it is stored.
        var wechat = method == RefundMethod.WeChatPay;
        if (!wechat && request.WeChatPay is null && request.PrivateKeyPem is null && request.ApiV3Key is null)
        {
            return problems;
        }
        var account = request.WeChatPay ?? current.WeChatPay;
        if (account is not null)
        {
            CheckAccount(account, problems);
        }
        else if (wechat)
        {
            problems.Add("weChatPay", "weChatPay is required for the WeChatPay method.");
        }
        if (request.PrivateKeyPem is not null ? !IsPem(request.PrivateKeyPem, isPrivate: true) : wechat && !current.PrivateKeyStored)
        {
            problems.Add("privateKeyPem", "privateKeyPem is the merchant API certificate's RSA private key in PEM (required the first time).");
        }
        if (request.ApiV3Key is not null ? Encoding.UTF8.GetByteCount(request.ApiV3Key.Trim()) != 32 : wechat && !current.ApiV3KeyStored)
        {
            problems.Add("apiV3Key", "apiV3Key is the 32-character APIv3 key (required the first time).");
        }
        return problems;
    }

    private static void CheckAccount(WeChatPayAccount account, FieldProblems problems)
    {
        if (account.BaseUrl is not { Length: <= 300 } || !Uri.TryCreate(account.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http"))
        {
            problems.Add("weChatPay.baseUrl", "baseUrl is an absolute http(s) URL, e.g. https://api.mch.weixin.qq.com.");
        }
        if (string.IsNullOrWhiteSpace(account.MchId) || account.MchId.Length > 32)
        {
            problems.Add("weChatPay.mchId", "mchId (商户号) is required, at most 32 characters.");
        }
        if (string.IsNullOrWhiteSpace(account.MerchantSerialNo) || account.MerchantSerialNo.Length > 64)
        {
            problems.Add("weChatPay.merchantSerialNo", "merchantSerialNo (the merchant API certificate's serial number) is required.");
        }
        if (string.IsNullOrWhiteSpace(account.PlatformPublicKeyId) || account.PlatformPublicKeyId.Length > 64)
        {
            problems.Add("weChatPay.platformPublicKeyId", "platformPublicKeyId (the WeChat Pay public key id, PUB_KEY_ID_…) is required.");
        }
        // A public key PEM is about 450 characters; the limit keeps the stored setting within PortalSettings' 4,000.
        if (account.PlatformPublicKeyPem is not { Length: <= 2000 } || !IsPem(account.PlatformPublicKeyPem, isPrivate: false))
        {
            problems.Add("weChatPay.platformPublicKeyPem", "platformPublicKeyPem is the WeChat Pay public key in PEM.");
        }
    }

    private static bool IsPem(string? pem, bool isPrivate)
    {
        // WeChat Pay keys are RSA 2048: about 1,700 characters in PEM. Longer would not fit the encrypted setting (4,000).
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > 2000)
        {
            return false;
        }
        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportFromPem(pem);
            if (isPrivate)
            {
                _ = rsa.ExportParameters(true);
            }
            return true;
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
