using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MerchantPortal.Web.Features.Returns.WeChatPay;

/// <summary>
/// The three cryptographic steps of WeChat Pay API v3 (docs/payments-wechatpay.md §2–§4): signing a request with the
/// merchant's RSA key, verifying an answer or notification with the WeChat Pay public key, decrypting a notification's
/// resource with the APIv3 key.
/// </summary>
public static class WeChatPayCrypto
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>Answers and notifications older (or newer) than this are refused: a replayed message is stale (§3).</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The Authorization header: SHA256withRSA (PKCS#1 v1.5) over "METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n", where URL is
    /// the path with its query as sent and BODY is empty for a GET (§2).
    /// </summary>
    public static string Authorization(string mchId, string serialNo, string privateKeyPem, string method, string pathAndQuery, string body, long timestamp, string nonce)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var message = $"{method}\n{pathAndQuery}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{nonce}\n{body}\n";
        var signature = Convert.ToBase64String(rsa.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"{Scheme} mchid=\"{mchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp.ToString(CultureInfo.InvariantCulture)}\",serial_no=\"{serialNo}\"";
    }

    /// <summary>
    /// Verifies Wechatpay-Signature over "TIMESTAMP\nNONCE\nBODY\n" with the platform public key whose id is
    /// Wechatpay-Serial; refuses an unknown serial and a timestamp more than five minutes from now. Returns why not, or null.
    /// </summary>
    public static string? Verify(string platformPublicKeyId, string platformPublicKeyPem, string? serial, string? timestamp, string? nonce, string? signature, string body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(serial) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            return "the Wechatpay-Serial, -Timestamp, -Nonce or -Signature header is missing";
        }
        if (!string.Equals(serial, platformPublicKeyId, StringComparison.Ordinal))
        {
            return $"Wechatpay-Serial {serial} is not the configured WeChat Pay public key {platformPublicKeyId}";
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > TimestampTolerance)
        {
            return $"Wechatpay-Timestamp {timestamp} is more than 5 minutes from now";
        }
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return "Wechatpay-Signature is not Base64";
        }
        using var rsa = RSA.Create();
        rsa.ImportFromPem(platformPublicKeyPem);
        return rsa.VerifyData(Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}\n"), raw, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? null
            : "Wechatpay-Signature does not verify with the WeChat Pay public key";
    }

    /// <summary>AEAD_AES_256_GCM: key = the 32-byte APIv3 key, the ciphertext's last 16 bytes are the tag (§4, RFC 5116).</summary>
    public static string Decrypt(string apiV3Key, string nonce, string associatedData, string ciphertextBase64)
    {
        var data = Convert.FromBase64String(ciphertextBase64);
        if (data.Length < 16)
        {
            throw new CryptographicException("The ciphertext is shorter than its tag.");
        }
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        var plain = new byte[data.Length - 16];
        aes.Decrypt(Encoding.UTF8.GetBytes(nonce), data.AsSpan(0, data.Length - 16), data.AsSpan(data.Length - 16), plain, Encoding.UTF8.GetBytes(associatedData));
        return Encoding.UTF8.GetString(plain);
    }

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
