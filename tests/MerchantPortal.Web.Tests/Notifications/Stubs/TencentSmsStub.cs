using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Notifications.Stubs;

/// <summary>
/// Tencent Cloud SMS (API 3.0, 2021-01-11) as its documentation describes it, written apart from the portal's client:
/// every request's TC3-HMAC-SHA256 Authorization is recomputed from the request as received (its Host and Content-Type
/// headers, its body, X-TC-Timestamp); errors come as HTTP 200 with Response.Error: AuthFailure.SecretIdNotFound,
/// AuthFailure.SignatureFailure, AuthFailure.SignatureExpire (over 5 minutes). SendSms answers a SerialNo per number;
/// PullSmsSendStatus answers each report set by <see cref="Report"/> once.
/// </summary>
public sealed partial class TencentSmsStub(IReadOnlyDictionary<string, string> keys, string sdkAppId, Func<DateTimeOffset> clock) : LoopbackStub(clock)
{
    public sealed record Sent(string SerialNo, string Phone, string SignName, string TemplateId, IReadOnlyList<string> Params, string? SessionContext);

    private readonly ConcurrentQueue<object> reports = new();
    private int serial;

    public ConcurrentQueue<Sent> Messages { get; } = new();

    public void Report(Sent message, bool delivered, string description) => reports.Enqueue(new
    {
        UserReceiveTime = "2026-11-01 08:00:05", CountryCode = "86", SubscriberNumber = message.Phone[3..], PhoneNumber = message.Phone,
        SerialNo = message.SerialNo, ReportStatus = delivered ? "SUCCESS" : "FAIL", Description = description, SessionContext = message.SessionContext,
    });

    [GeneratedRegex(@"^TC3-HMAC-SHA256 Credential=(?<id>[^/]+)/(?<date>\d{4}-\d{2}-\d{2})/(?<service>[a-z]+)/tc3_request, SignedHeaders=(?<headers>[a-z;-]+), Signature=(?<sig>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Sha256Hex(string data) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(data))).ToLowerInvariant();

    protected override (int Status, string Body) Answer(StubRequest request)
    {
        var action = request.Headers.GetValueOrDefault("X-TC-Action") ?? "";
        var requestId = Guid.NewGuid().ToString();
        (int, string) Error(string code, string message)
        {
            Record(new Seen(request, action, false, code));
            return (200, JsonSerializer.Serialize(new { Response = new { Error = new { Code = code, Message = message }, RequestId = requestId } }));
        }
        var auth = AuthorizationPattern().Match(request.Headers.GetValueOrDefault("Authorization") ?? "");
        if (!auth.Success)
        {
            return Error("AuthFailure.InvalidAuthorization", "Authorization header format error.");
        }
        if (!keys.TryGetValue(auth.Groups["id"].Value, out var secretKey))
        {
            return Error("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.");
        }
        if (!long.TryParse(request.Headers.GetValueOrDefault("X-TC-Timestamp"), CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(Clock().ToUnixTimeSeconds() - timestamp) > 300)
        {
            return Error("AuthFailure.SignatureExpire", "Signature expired.");
        }
        var date = auth.Groups["date"].Value;
        var signedHeaders = auth.Groups["headers"].Value.Split(';');
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => h + ":" + (request.Headers.GetValueOrDefault(h) ?? "").Trim().ToLowerInvariant() + "\n"));
        var canonicalRequest = $"{request.Method}\n/\n\n{canonicalHeaders}\n{auth.Groups["headers"].Value}\n{Sha256Hex(request.Body)}";
        var stringToSign = $"TC3-HMAC-SHA256\n{timestamp}\n{date}/{auth.Groups["service"].Value}/tc3_request\n{Sha256Hex(canonicalRequest)}";
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), auth.Groups["service"].Value), "tc3_request");
        var expected = Convert.ToHexString(Hmac(key, stringToSign)).ToLowerInvariant();
        var dateOfTimestamp = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (expected != auth.Groups["sig"].Value || date != dateOfTimestamp || auth.Groups["service"].Value != "sms"
            || !signedHeaders.Contains("content-type") || !signedHeaders.Contains("host"))
        {
            return Error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
        }
        if (request.Headers.GetValueOrDefault("X-TC-Version") != "2021-01-11")
        {
            return Error("InvalidParameterValue", "The Version is not supported.");
        }
        Record(new Seen(request, action, true, null));
        using var json = JsonDocument.Parse(request.Body);
        var body = json.RootElement;
        if (body.TryGetProperty("SmsSdkAppId", out var app) && app.GetString() != sdkAppId)
        {
            return (200, JsonSerializer.Serialize(new { Response = new { Error = new { Code = "FailedOperation.SmsSdkAppIdVerifyFail", Message = "SmsSdkAppId verify fail." }, RequestId = requestId } }));
        }
        switch (action)
        {
            case "SendSms":
                var statuses = body.GetProperty("PhoneNumberSet").EnumerateArray().Select(p =>
                {
                    var serialNo = $"2433:10457106691570536578{Interlocked.Increment(ref serial):D8}";
                    var phone = p.GetString()!;
                    Messages.Enqueue(new Sent(serialNo, phone, body.GetProperty("SignName").GetString()!, body.GetProperty("TemplateId").GetString()!,
                        body.GetProperty("TemplateParamSet").EnumerateArray().Select(x => x.GetString()!).ToList(),
                        body.TryGetProperty("SessionContext", out var sc) ? sc.GetString() : null));
                    return new { SerialNo = serialNo, PhoneNumber = phone, Fee = 1, SessionContext = body.TryGetProperty("SessionContext", out var c) ? c.GetString() : "", Code = "Ok", Message = "send success", IsoCode = "CN" };
                }).ToList();
                return (200, JsonSerializer.Serialize(new { Response = new { SendStatusSet = statuses, RequestId = requestId } }));
            case "PullSmsSendStatus":
                var limit = body.GetProperty("Limit").GetInt32();
                var set = new List<object>();
                while (set.Count < limit && reports.TryDequeue(out var r))
                {
                    set.Add(r);
                }
                return (200, JsonSerializer.Serialize(new { Response = new { PullSmsSendStatusSet = set, RequestId = requestId } }));
            default:
                return (200, JsonSerializer.Serialize(new { Response = new { Error = new { Code = "InvalidAction", Message = "The action is not found." }, RequestId = requestId } }));
        }
    }
}
