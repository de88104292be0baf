using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerchantPortal.Web.Features.Returns.WeChatPay;

/// <summary>A refund as WeChat Pay answers it (申请退款 and 查询单笔退款, docs/payments-wechatpay.md §5–§6).</summary>
/// <param name="Status">SUCCESS, PROCESSING, ABNORMAL or CLOSED.</param>
public sealed record WeChatRefund(
    [property: JsonPropertyName("refund_id")] string RefundId,
    [property: JsonPropertyName("out_refund_no")] string OutRefundNo,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("amount")] WeChatRefundAmount? Amount);

public sealed record WeChatRefundAmount([property: JsonPropertyName("refund")] long Refund, [property: JsonPropertyName("total")] long Total);

/// <summary>An answer: the refund, or WeChat Pay's documented error (code, message) with its HTTP status.</summary>
public sealed record WeChatPayAnswer(WeChatRefund? Refund, HttpStatusCode Status, string? ErrorCode, string? ErrorMessage);

/// <summary>The answer's signature did not verify: it is not trusted, whatever it says.</summary>
public sealed class WeChatPaySignatureException(string message) : Exception(message);

/// <summary>
/// The typed HttpClient for WeChat Pay API v3 refunds. Every request is signed; every answer is verified before it is
/// read. Retries: the query (GET) may be retried by the pipeline; the refund application is sent once per call
/// (a lost answer is recovered by the query job, which re-applies with the same out_refund_no only after a 404).
/// </summary>
public sealed class WeChatPayClient(HttpClient http)
{
    public const string HttpClientName = "wechatpay";

    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>申请退款 POST /v3/refund/domestic/refunds. Amounts in fen.</summary>
    public Task<WeChatPayAnswer> ApplyAsync(WeChatPayCredentials credentials, string outTradeNo, string outRefundNo, long refundFen, long totalFen, string reason, string notifyUrl, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            out_trade_no = outTradeNo,
            out_refund_no = outRefundNo,
            reason,
            notify_url = notifyUrl,
            amount = new { refund = refundFen, total = totalFen, currency = "CNY" },
        }, Json);
        return SendAsync(credentials, HttpMethod.Post, "/v3/refund/domestic/refunds", body, ct);
    }

    /// <summary>查询单笔退款 GET /v3/refund/domestic/refunds/{out_refund_no}. A 404 RESOURCE_NOT_EXISTS: WeChat Pay never received it.</summary>
    public Task<WeChatPayAnswer> QueryAsync(WeChatPayCredentials credentials, string outRefundNo, CancellationToken ct) =>
        SendAsync(credentials, HttpMethod.Get, "/v3/refund/domestic/refunds/" + Uri.EscapeDataString(outRefundNo), "", ct);

    private async Task<WeChatPayAnswer> SendAsync(WeChatPayCredentials credentials, HttpMethod method, string path, string body, CancellationToken ct)
    {
        var account = credentials.Account;
        var uri = new Uri(account.BaseUrl.TrimEnd('/') + path);
        using var request = new HttpRequestMessage(method, uri);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        // The signed URL is the path and query exactly as sent (with the sandbox's prefix when it is mounted under one).
        request.Headers.TryAddWithoutValidation("Authorization", WeChatPayCrypto.Authorization(account.MchId, account.MerchantSerialNo, credentials.PrivateKeyPem,
            method.Method, uri.PathAndQuery, body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), WeChatPayCrypto.NewNonce()));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd("MerchantPortal/1.0");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        // Checked on wall-clock time: the protocol's timestamps are real time, whatever the portal's business clock (a demo's) says.
        var failure = WeChatPayCrypto.Verify(account.PlatformPublicKeyId, account.PlatformPublicKeyPem, Header(response, "Wechatpay-Serial"), Header(response, "Wechatpay-Timestamp"),
            Header(response, "Wechatpay-Nonce"), Header(response, "Wechatpay-Signature"), text, DateTimeOffset.UtcNow);
        if (failure is not null)
        {
            throw new WeChatPaySignatureException($"WeChat Pay's answer to {method} {path} ({(int)response.StatusCode}) is not trusted: {failure}.");
        }
        if (response.IsSuccessStatusCode)
        {
            return new WeChatPayAnswer(JsonSerializer.Deserialize<WeChatRefund>(text, Json), response.StatusCode, null, null);
        }
        string? code = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            code = doc.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            message = doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
        }
        return new WeChatPayAnswer(null, response.StatusCode, code ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), message ?? text);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
