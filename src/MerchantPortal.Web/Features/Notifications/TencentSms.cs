using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 (docs/messaging-providers.md §Tencent):
/// CanonicalRequest = "POST\n/\n\ncontent-type:…\nhost:…\n\ncontent-type;host\n" + hex(SHA256(payload));
/// StringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date/service/tc3_request + "\n" + hex(SHA256(CanonicalRequest));
/// key = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request"); Signature = hex(HMAC(key, StringToSign)).
/// </summary>
public static class Tc3Signature
{
    public const string Algorithm = "TC3-HMAC-SHA256";
    public const string ContentType = "application/json; charset=utf-8";

    public static string Authorization(string secretId, string secretKey, string service, string host, long timestamp, string payload)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var signature = Signature(secretKey, service, host, timestamp, payload);
        return $"{Algorithm} Credential={secretId}/{date}/{service}/tc3_request, SignedHeaders=content-type;host, Signature={signature}";
    }

    public static string Signature(string secretKey, string service, string host, long timestamp, string payload)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var canonical = $"POST\n/\n\ncontent-type:{ContentType}\nhost:{host.ToLowerInvariant()}\n\ncontent-type;host\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(payload)))}";
        var toSign = $"{Algorithm}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{date}/{service}/tc3_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(date));
        var kService = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(service));
        var kSigning = HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes("tc3_request"));
        return Hex(HMACSHA256.HashData(kSigning, Encoding.UTF8.GetBytes(toSign)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <param name="Code">"Ok" when accepted; else Response.Error.Code or the send status's Code.</param>
/// <param name="Id">SerialNo of the sent message.</param>
public sealed record TencentAnswer(bool Ok, string Code, string? Message, string? Id, JsonElement Response);

/// <summary>One status report of PullSmsSendStatus: ReportStatus SUCCESS or FAIL, Description the carrier's code.</summary>
public sealed record TencentStatusReport(string SerialNo, string PhoneNumber, bool Success, string? Description, string? SessionContext);

/// <summary>Tencent Cloud SMS, API 3.0, Version 2021-01-11, JSON POST signed with TC3-HMAC-SHA256.</summary>
public sealed class TencentSmsClient(HttpClient http, IOptions<SmsGatewayOptions> options, TimeProvider clock)
{
    public const string Provider = "tencent";
    public const string Version = "2021-01-11";
    public const string Service = "sms";

    public async Task<TencentAnswer> SendSmsAsync(string secretId, string secretKey, string sdkAppId, string phone, string signName, string templateId,
        IReadOnlyList<string> templateParams, string? sessionContext, CancellationToken ct)
    {
        var answer = await CallAsync(secretId, secretKey, "SendSms", new
        {
            PhoneNumberSet = new[] { SmsNumbers.E164(phone) }, SmsSdkAppId = sdkAppId, SignName = signName, TemplateId = templateId,
            TemplateParamSet = templateParams, SessionContext = sessionContext,
        }, ct);
        if (!answer.Ok)
        {
            return answer;
        }
        // The request succeeds as a whole; each number has its own status (Code "Ok" or a refusal such as LimitExceeded.PhoneNumberDailyLimit).
        var status = answer.Response.GetProperty("SendStatusSet").EnumerateArray().FirstOrDefault();
        var code = status.ValueKind == JsonValueKind.Object ? status.GetProperty("Code").GetString() ?? "" : "NoStatus";
        return code == "Ok"
            ? answer with { Id = status.GetProperty("SerialNo").GetString() }
            : answer with { Ok = false, Code = code, Message = status.ValueKind == JsonValueKind.Object ? status.GetProperty("Message").GetString() : null };
    }

    /// <summary>Receipts not fetched before (each is answered once), at most <paramref name="limit"/>.</summary>
    public async Task<(TencentAnswer Answer, IReadOnlyList<TencentStatusReport> Reports)> PullSmsSendStatusAsync(string secretId, string secretKey,
        string sdkAppId, int limit, CancellationToken ct)
    {
        var answer = await CallAsync(secretId, secretKey, "PullSmsSendStatus", new { Limit = limit, SmsSdkAppId = sdkAppId }, ct);
        var reports = new List<TencentStatusReport>();
        if (answer.Ok && answer.Response.TryGetProperty("PullSmsSendStatusSet", out var set) && set.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in set.EnumerateArray())
            {
                reports.Add(new TencentStatusReport(r.GetProperty("SerialNo").GetString() ?? "", r.GetProperty("PhoneNumber").GetString() ?? "",
                    r.GetProperty("ReportStatus").GetString() == "SUCCESS",
                    r.TryGetProperty("Description", out var d) ? d.GetString() : null,
                    r.TryGetProperty("SessionContext", out var s) ? s.GetString() : null));
            }
        }
        return (answer, reports);
    }

    /// <summary>A signed call that sends nothing: a wrong SecretId answers AuthFailure.SecretIdNotFound, a wrong key AuthFailure.SignatureFailure.</summary>
    public async Task<SmsConnectionResult> TestAsync(string secretId, string secretKey, string sdkAppId, CancellationToken ct)
    {
        var (answer, _) = await PullSmsSendStatusAsync(secretId, secretKey, sdkAppId, 1, ct);
        return new SmsConnectionResult(answer.Ok, answer.Code, answer.Message);
    }

    private async Task<TencentAnswer> CallAsync(string secretId, string secretKey, string action, object body, CancellationToken ct)
    {
        var endpoint = new Uri(options.Value.TencentEndpoint);
        var payload = JsonSerializer.Serialize(body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(payload, Encoding.UTF8),
        };
        // Exactly the signed content type, not the default "text/plain; charset=utf-8".
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(Tc3Signature.ContentType);
        request.Headers.TryAddWithoutValidation("Authorization", Tc3Signature.Authorization(secretId, secretKey, Service, endpoint.Authority, timestamp, payload));
        request.Headers.Add("X-TC-Action", action);
        request.Headers.Add("X-TC-Version", Version);
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-TC-Region", options.Value.TencentRegion);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(text).RootElement.GetProperty("Response").Clone();
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new TencentAnswer(false, "HTTP " + (int)response.StatusCode, text.Length > 200 ? text[..200] : text, null, default);
            }
            if (root.TryGetProperty("Error", out var error))
            {
                return new TencentAnswer(false, error.GetProperty("Code").GetString() ?? "Error", error.GetProperty("Message").GetString(), null, root);
            }
            return new TencentAnswer(true, "Ok", null, null, root);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new TencentAnswer(false, "Unreachable", ex.Message, null, default);
        }
    }
}

/// <summary>Sends one customer message as SendSms with the milestone's template id and its parameters in order.</summary>
public sealed class TencentSmsSender(TencentSmsClient client, SmsProviderSettings settings, string secret) : ISmsSender
{
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (settings.Template(message.Milestone) is not { } template)
        {
            return new SendResult(false, TencentSmsClient.Provider, Error: $"no Tencent Cloud template id is set for {message.Milestone}");
        }
        var values = message.Values ?? new Dictionary<string, string>();
        var answer = await client.SendSmsAsync(settings.AccessKeyId!, secret, settings.SdkAppId!, message.To, settings.SignName!, template.Code,
            template.Params.Select(n => values.GetValueOrDefault(n) ?? "").ToList(), message.Reference, ct);
        return answer.Ok
            ? new SendResult(true, TencentSmsClient.Provider, answer.Id)
            : new SendResult(false, TencentSmsClient.Provider, Error: $"{answer.Code} {answer.Message}".Trim());
    }
}
