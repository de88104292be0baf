using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace MerchantPortal.Web.Tests.Notifications.Stubs;

/// <summary>
/// Alibaba Cloud SMS (Dysmsapi 2017-05-25) as the public documentation describes it, written apart from the portal's
/// client: every request's RPC signature is recomputed (HMAC-SHA1, key = secret + "&amp;", over
/// METHOD&amp;%2F&amp;encode(sorted, RFC 3986-encoded query)); a wrong one answers 400 SignatureDoesNotMatch, an unknown
/// AccessKeyId 404 InvalidAccessKeyId.NotFound, a reused nonce SignatureNonceUsed, a timestamp over 15 minutes off
/// InvalidTimeStamp.Expired. SendSms / SendBatchSms answer a BizId; QuerySendDetails answers the reports set by
/// <see cref="Report"/> (SendStatus 1 waiting, 2 failed, 3 delivered).
/// </summary>
public sealed class AliyunSmsStub(IReadOnlyDictionary<string, string> keys, Func<DateTimeOffset> clock) : LoopbackStub(clock)
{
    public sealed record Sent(string BizId, string Phone, string SignName, string TemplateCode, string? TemplateParam, string? OutId);

    private readonly ConcurrentDictionary<string, byte> nonces = new();
    private readonly ConcurrentDictionary<string, (int Status, string? ErrCode)> reports = new();
    private int serial;

    public ConcurrentQueue<Sent> Messages { get; } = new();

    public void Report(string bizId, bool delivered, string errCode) => reports[bizId] = (delivered ? 3 : 2, errCode);

    /// <summary>RFC 3986 by the framework's own escaper (unreserved A–Z a–z 0–9 - _ . ~ kept), not the portal's encoder.</summary>
    private static string Encode(string s) => Uri.EscapeDataString(s);

    protected override (int Status, string Body) Answer(StubRequest request)
    {
        var form = QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? "";
        (int, string) Refuse(int status, string code, string message)
        {
            Record(new Seen(request, action, false, code));
            return (status, JsonSerializer.Serialize(new { RequestId = Guid.NewGuid().ToString().ToUpperInvariant(), HostId = "dysmsapi.aliyuncs.com", Code = code, Message = message }));
        }
        if (!form.TryGetValue("AccessKeyId", out var id) || !keys.TryGetValue(id, out var secret))
        {
            return Refuse(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        var canonical = string.Join("&", form.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
        var toSign = request.Method + "&" + Encode("/") + "&" + Encode(canonical);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        if (form.GetValueOrDefault("SignatureMethod") != "HMAC-SHA1" || form.GetValueOrDefault("SignatureVersion") != "1.0"
            || !string.Equals(form.GetValueOrDefault("Signature"), expected, StringComparison.Ordinal))
        {
            return Refuse(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }
        if (!DateTimeOffset.TryParseExact(form.GetValueOrDefault("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var at) || (Clock() - at).Duration() > TimeSpan.FromMinutes(15))
        {
            return Refuse(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
        if (!nonces.TryAdd(form.GetValueOrDefault("SignatureNonce") ?? "", 0))
        {
            return Refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        if (form.GetValueOrDefault("Version") != "2017-05-25")
        {
            return Refuse(400, "InvalidVersion", "Specified parameter Version is not valid.");
        }
        Record(new Seen(request, action, true, null));
        var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
        switch (action)
        {
            case "SendSms":
                if (string.IsNullOrEmpty(form.GetValueOrDefault("SignName")))
                {
                    return (200, JsonSerializer.Serialize(new { RequestId = requestId, Code = "isv.SMS_SIGNATURE_ILLEGAL", Message = "该账号下找不到对应签名" }));
                }
                var bizId = $"{900619746936498 + Interlocked.Increment(ref serial)}^0";
                Messages.Enqueue(new Sent(bizId, form["PhoneNumbers"], form["SignName"], form["TemplateCode"], form.GetValueOrDefault("TemplateParam"), form.GetValueOrDefault("OutId")));
                return (200, JsonSerializer.Serialize(new { RequestId = requestId, Code = "OK", Message = "OK", BizId = bizId }));
            case "SendBatchSms":
                var phones = JsonSerializer.Deserialize<string[]>(form["PhoneNumberJson"]) ?? [];
                var signs = JsonSerializer.Deserialize<string[]>(form["SignNameJson"]) ?? [];
                var batchId = $"{900619746936498 + Interlocked.Increment(ref serial)}^0";
                for (var i = 0; i < phones.Length; i++)
                {
                    Messages.Enqueue(new Sent(batchId, phones[i], signs[i], form["TemplateCode"], form.GetValueOrDefault("TemplateParamJson"), null));
                }
                return (200, JsonSerializer.Serialize(new { RequestId = requestId, Code = "OK", Message = "OK", BizId = batchId }));
            case "QuerySendDetails":
                var phone = form.GetValueOrDefault("PhoneNumber");
                var wanted = form.GetValueOrDefault("BizId");
                var details = Messages.Where(m => m.Phone == phone && (wanted is null || m.BizId == wanted)).Select(m =>
                {
                    var (status, err) = reports.TryGetValue(m.BizId, out var r) ? r : (1, null);
                    return new { PhoneNum = m.Phone, SendStatus = status, ErrCode = err ?? "", TemplateCode = m.TemplateCode, OutId = m.OutId, ReceiveDate = status == 1 ? null : "2026-11-01 08:00:05" };
                }).ToList();
                return (200, JsonSerializer.Serialize(new { RequestId = requestId, Code = "OK", Message = "OK", TotalCount = details.Count, SmsSendDetailDTOs = new { SmsSendDetailDTO = details } }));
            default:
                return (404, JsonSerializer.Serialize(new { RequestId = requestId, Code = "InvalidAction.NotFound", Message = "Specified api is not found, please check your url and method." }));
        }
    }
}
