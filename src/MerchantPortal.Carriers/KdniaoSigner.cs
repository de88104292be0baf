using System.Security.Cryptography;
using System.Text;

namespace MerchantPortal.Carriers;

public static class KdniaoSigner
{
    /// <summary>
    /// DataSign = Base64(ASCII(lower-hex(MD5(UTF-8(RequestData + AppKey))))) — carrier-protocol.md §1.3.
    /// The input must be the exact JSON text that goes on the wire, before form encoding.
    /// </summary>
    public static string Sign(string requestData, string appKey)
    {
        ArgumentNullException.ThrowIfNull(requestData);
        ArgumentNullException.ThrowIfNull(appKey);

        // MD5 is the protocol's choice (§1.3), not ours; it authenticates, it does not protect secrets.
#pragma warning disable CA5351
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(requestData + appKey));
#pragma warning restore CA5351
        var hex = Convert.ToHexStringLower(digest);
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex));
    }
}
