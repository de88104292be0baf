using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MerchantPortal.Carriers;

/// <summary>One pushed waybill (§2.5 <c>Data[]</c> item).</summary>
/// <param name="CallBack">The Callback given when subscribing, echoed back.</param>
public sealed record PushItem(
    string? OrderCode,
    string? CallBack,
    bool Success,
    string? Reason,
    TrackingSnapshot Snapshot);

/// <summary>A push's RequestData (§2.5): one push may carry several waybills.</summary>
public sealed record PushEnvelope(
    string? EBusinessId,
    DateTime? PushTimeUtc,
    IReadOnlyList<PushItem> Data);

/// <summary>The receiving side of Kdniao pushes (RequestType 101/102, carrier-protocol.md §2.5).</summary>
public static class KdniaoPush
{
    /// <summary>
    /// Checks DataSign over RequestData as received after form decoding. Tolerant, like the reference receivers
    /// (§2.5): also accepts one extra URL-decode of either or both values. Comparison is constant-time.
    /// </summary>
    public static bool VerifySign(string requestData, string dataSign, string appKey)
    {
        if (string.IsNullOrEmpty(requestData) || string.IsNullOrEmpty(dataSign) || string.IsNullOrEmpty(appKey))
        {
            return false;
        }

        foreach (var data in Variants(requestData))
        {
            var expected = Encoding.ASCII.GetBytes(KdniaoSigner.Sign(data, appKey));
            foreach (var sign in Variants(dataSign))
            {
                if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sign.Trim())))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Parses RequestData leniently (string/number codes, case-insensitive keys, odd times).</summary>
    /// <exception cref="FormatException">RequestData is not a JSON object even after one URL-decode.</exception>
    public static PushEnvelope Parse(string requestData) =>
        TryParse(requestData, out var envelope)
            ? envelope
            : throw new FormatException("Push RequestData is not a JSON object.");

    public static bool TryParse(string? requestData, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PushEnvelope? envelope)
    {
        envelope = null;
        if (requestData is null)
        {
            return false;
        }

        // A double-encoded RequestData (§1.4) still starts with %7B after form decoding.
        var text = requestData.TrimStart();
        if (!text.StartsWith('{') && text.StartsWith("%7B", StringComparison.OrdinalIgnoreCase))
        {
            text = WebUtility.UrlDecode(text);
        }

        if (!KdniaoJson.TryParseObject(text, out var root))
        {
            return false;
        }

        var items = new List<PushItem>();
        foreach (var d in root.Arr("Data"))
        {
            if (d.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            items.Add(new PushItem(
                d.Str("OrderCode"),
                d.Str("CallBack", "Callback"),
                d.Bool("Success") ?? true,
                d.Str("Reason"),
                KdniaoTracking.ToSnapshot(d, null, null)));
        }

        envelope = new PushEnvelope(root.Str("EBusinessID"), KdniaoTime.ParseBeijing(root.Str("PushTime")), items);
        return true;
    }

    /// <summary>The answer Kdniao expects (§2.5); Success=false with a Reason asks it to push again.</summary>
    public static string Acknowledge(string eBusinessId, bool success, string reason, DateTimeOffset now) =>
        KdniaoJson.Serialize(new PushAck(eBusinessId, KdniaoTime.FormatBeijing(now.UtcDateTime), success, reason ?? string.Empty));

    private static IEnumerable<string> Variants(string value)
    {
        yield return value;
        var decoded = WebUtility.UrlDecode(value);
        if (!string.Equals(decoded, value, StringComparison.Ordinal))
        {
            yield return decoded;
        }
    }

    private sealed record PushAck(
        [property: System.Text.Json.Serialization.JsonPropertyName("EBusinessID")] string EBusinessId,
        string UpdateTime,
        bool Success,
        string Reason);
}
