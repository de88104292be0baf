using System.Security.Cryptography;
using System.Text;

namespace MerchantPortal.CarrierSandbox.Tests;

/// <summary>
/// The test project's own signer, written from carrier-protocol.md §1.3 — deliberately not the sandbox's code, so a
/// mistake in one is caught by the other.
/// </summary>
internal static class TestSigning
{
    public static string Sign(string requestData, string appKey)
    {
        using var md5 = MD5.Create();
        var digest = md5.ComputeHash(Encoding.UTF8.GetBytes(requestData + appKey));
        var hex = string.Concat(digest.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(hex));
    }
}
