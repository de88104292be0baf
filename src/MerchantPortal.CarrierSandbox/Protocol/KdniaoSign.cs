using System.Security.Cryptography;
using System.Text;

namespace MerchantPortal.CarrierSandbox.Protocol;

/// <summary>DataSign as in carrier-protocol.md §1.3: base64(ASCII(lowercase hex(MD5(UTF8(RequestData + AppKey))))).</summary>
public static class KdniaoSign
{
    public static string Compute(string requestData, string appKey)
    {
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(requestData + appKey));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest)));
    }

    /// <summary>Constant-time comparison so the check does not leak how much of a forged sign was right.</summary>
    public static bool Verify(string requestData, string appKey, string? dataSign)
    {
        if (string.IsNullOrEmpty(dataSign))
        {
            return false;
        }

        // carrier-protocol.md §1.3: a sign is always 44 chars from [A-Za-z0-9=]; a leftover "%3D" means it was
        // URL-encoded twice, which is harmless to undo.
        var candidate = dataSign.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(dataSign) : dataSign;
        var expected = Encoding.ASCII.GetBytes(Compute(requestData, appKey));
        var actual = Encoding.ASCII.GetBytes(candidate.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
