using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// Alibaba Cloud's RPC-style request signature, version 1.0 (docs/messaging-providers.md §Alibaba): parameters sorted by
/// name, each name and value percent-encoded by RFC 3986 (UTF-8, only A–Z a–z 0–9 - _ . ~ kept), joined k=v with &amp;;
/// StringToSign = METHOD &amp; enc("/") &amp; enc(that query); Signature = Base64(HMAC-SHA1(AccessKeySecret + "&amp;", StringToSign)).
/// </summary>
public static class AliyunRpcSignature
{
    public static string PercentEncode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));

    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        method + "&" + PercentEncode("/") + "&" + PercentEncode(CanonicalQuery(parameters));

    public static string Sign(string accessKeySecret, string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(StringToSign(method, parameters))));
}

/// <param name="Code">"OK" when accepted, else the provider's error code.</param>
/// <param name="Id">BizId of SendSms / SendBatchSms.</param>
public sealed record AliyunAnswer(bool Ok, string Code, string? Message, string? Id, JsonElement Body);

/// <summary>One status report of QuerySendDetails: SendStatus 1 waiting for the receipt, 2 failed, 3 delivered.</summary>
public sealed record AliyunSendDetail(string PhoneNum, int SendStatus, string? ErrCode, string? OutId, string? ReceiveDate);

/// <summary>Alibaba Cloud SMS (Dysmsapi, Version 2017-05-25) over its RPC API, form-encoded POST, signed per request.</summary>
public sealed class AliyunSmsClient(HttpClient http, IOptions<SmsGatewayOptions> options, TimeProvider clock)
{
    public const string Provider = "aliyun";
    public const string Version = "2017-05-25";

    public Task<AliyunAnswer> SendSmsAsync(string accessKeyId, string secret, string phoneNumbers, string signName, string templateCode,
        string? templateParamJson, string? outId, CancellationToken ct) =>
        CallAsync(accessKeyId, secret, "SendSms", new Dictionary<string, string?>
        {
            ["PhoneNumbers"] = phoneNumbers, ["SignName"] = signName, ["TemplateCode"] = templateCode,
            ["TemplateParam"] = templateParamJson, ["OutId"] = outId,
        }, ct);

    /// <summary>Up to 100 numbers, each with its own signature and parameters (arrays in the same order).</summary>
    public Task<AliyunAnswer> SendBatchSmsAsync(string accessKeyId, string secret, IReadOnlyList<string> phones, IReadOnlyList<string> signNames,
        string templateCode, IReadOnlyList<IReadOnlyDictionary<string, string>> templateParams, CancellationToken ct) =>
        CallAsync(accessKeyId, secret, "SendBatchSms", new Dictionary<string, string?>
        {
            ["PhoneNumberJson"] = JsonSerializer.Serialize(phones), ["SignNameJson"] = JsonSerializer.Serialize(signNames),
            ["TemplateCode"] = templateCode, ["TemplateParamJson"] = JsonSerializer.Serialize(templateParams),
        }, ct);

    /// <summary>The receipts of one number on one day (yyyyMMdd, Beijing), optionally of one BizId.</summary>
    public async Task<(AliyunAnswer Answer, IReadOnlyList<AliyunSendDetail> Details)> QuerySendDetailsAsync(string accessKeyId, string secret,
        string phone, DateOnly sendDate, string? bizId, CancellationToken ct)
    {
        var answer = await CallAsync(accessKeyId, secret, "QuerySendDetails", new Dictionary<string, string?>
        {
            ["PhoneNumber"] = phone, ["SendDate"] = sendDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            ["PageSize"] = "50", ["CurrentPage"] = "1", ["BizId"] = bizId,
        }, ct);
        var details = new List<AliyunSendDetail>();
        if (answer.Ok && answer.Body.TryGetProperty("SmsSendDetailDTOs", out var dtos) && dtos.TryGetProperty("SmsSendDetailDTO", out var list)
            && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in list.EnumerateArray())
            {
                details.Add(new AliyunSendDetail(Text(d, "PhoneNum") ?? phone, int.TryParse(Text(d, "SendStatus"), out var s) ? s : 1,
                    Text(d, "ErrCode"), Text(d, "OutId"), Text(d, "ReceiveDate")));
            }
        }
        return (answer, details);
    }

    /// <summary>A signed query (no message sent): a wrong AccessKey answers InvalidAccessKeyId.NotFound, a wrong secret SignatureDoesNotMatch.</summary>
    public async Task<SmsConnectionResult> TestAsync(string accessKeyId, string secret, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));
        var (answer, _) = await QuerySendDetailsAsync(accessKeyId, secret, "13800000000", today, null, ct);
        return new SmsConnectionResult(answer.Ok, answer.Code, answer.Message);
    }

    private async Task<AliyunAnswer> CallAsync(string accessKeyId, string secret, string action, Dictionary<string, string?> specific, CancellationToken ct)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccessKeyId"] = accessKeyId, ["Action"] = action, ["Format"] = "JSON", ["RegionId"] = "cn-hangzhou",
            ["SignatureMethod"] = "HMAC-SHA1", ["SignatureNonce"] = Guid.NewGuid().ToString("N"), ["SignatureVersion"] = "1.0",
            ["Timestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), ["Version"] = Version,
        };
        foreach (var (k, v) in specific.Where(s => !string.IsNullOrEmpty(s.Value)))
        {
            p[k] = v!;
        }
        p["Signature"] = AliyunRpcSignature.Sign(secret, "POST", p);
        try
        {
            using var response = await http.PostAsync(options.Value.AliyunEndpoint, new FormUrlEncodedContent(p), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                return new AliyunAnswer(false, "HTTP " + (int)response.StatusCode, text.Length > 200 ? text[..200] : text, null, default);
            }
            var code = Text(body, "Code") ?? "HTTP " + (int)response.StatusCode;
            return new AliyunAnswer(code == "OK", code, Text(body, "Message"), Text(body, "BizId"), body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new AliyunAnswer(false, "Unreachable", ex.Message, null, default);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
}

/// <summary>Sends one customer message as SendSms with the milestone's registered template (the provider composes the text).</summary>
public sealed class AliyunSmsSender(AliyunSmsClient client, SmsProviderSettings settings, string secret) : ISmsSender
{
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (settings.Template(message.Milestone) is not { } template)
        {
            return new SendResult(false, AliyunSmsClient.Provider, Error: $"no Alibaba Cloud template code is set for {message.Milestone}");
        }
        var values = message.Values ?? new Dictionary<string, string>();
        var param = template.Params.Count == 0 ? values : template.Params.ToDictionary(n => n, n => values.GetValueOrDefault(n) ?? "");
        var answer = await client.SendSmsAsync(settings.AccessKeyId!, secret, SmsNumbers.Domestic(message.To), settings.SignName!, template.Code,
            JsonSerializer.Serialize(param), message.Reference, ct);
        return answer.Ok
            ? new SendResult(true, AliyunSmsClient.Provider, answer.Id)
            : new SendResult(false, AliyunSmsClient.Provider, Error: $"{answer.Code} {answer.Message}".Trim());
    }
}

public static class SmsNumbers
{
    /// <summary>The 11-digit mainland number ("+86 139-0013-9000" → "13900139000").</summary>
    public static string Domestic(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 11 ? digits[^11..] : digits;
    }

    /// <summary>E.164 as Tencent Cloud wants it ("+8613900139000").</summary>
    public static string E164(string phone) => "+86" + Domestic(phone);
}
