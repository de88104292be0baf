using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns.WeChatPay;

/// <summary>The verdict on a notification: the HTTP status WeChat Pay gets back (2xx = received; anything else = send again).</summary>
public sealed record NotificationVerdict(int StatusCode, string? Failure);

/// <summary>
/// The WeChat Pay refund path: submits a Pending refund (申请退款), reads its answers, queries it (查询单笔退款) and
/// takes its 退款结果通知. Every final answer goes through <see cref="RefundOutcomes"/>, so a duplicate notification, a
/// query after the notification, or the answer and the notification at once make one outcome.
/// </summary>
public sealed class WeChatPayRefunds(IDbContextFactory<PortalDbContext> dbFactory, WeChatPayClient client, RefundSettings settings, RefundOutcomes outcomes,
    PublicAddress publicAddress, ILogger<WeChatPayRefunds> logger)
{
    public const string NotifyPath = "api/payments/wechatpay/refund-notify";
    public const string Actor = "wechatpay";

    /// <summary>"return-{id}": derived from the return, so every retry and re-application names the same refund.</summary>
    public static string OutRefundNoOf(long returnId) => "return-" + returnId.ToString(CultureInfo.InvariantCulture);

    public static long Fen(decimal yuan) => (long)Math.Round(yuan * 100m, MidpointRounding.AwayFromZero);

    /// <summary>申请退款 for a Pending WeChat Pay refund. A transport failure or an untrusted answer throws (the refund stays Pending for the query job).</summary>
    public async Task SubmitAsync(long refundId, CancellationToken ct)
    {
        var credentials = await settings.WeChatPayAsync(ct) ?? throw new InvalidOperationException("WeChat Pay is chosen for refunds but its account is not completely configured.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var refund = await db.Set<Refund>().AsNoTracking().SingleAsync(r => r.Id == refundId, ct);
        if (refund.Status != RefundStatus.Pending || refund.Method != RefundMethod.WeChatPay)
        {
            return;
        }
        var ret = await db.Set<ReturnRequest>().AsNoTracking().SingleAsync(r => r.Id == refund.ReturnId, ct);
        var order = await db.Set<Order>().AsNoTracking().Where(o => o.Id == ret.OrderId).Select(o => new { o.OrderNo, o.TotalAmount }).SingleAsync(ct);
        var notifyUrl = new Uri(publicAddress.BaseUrl, NotifyPath).ToString();
        WeChatPayAnswer answer;
        try
        {
            // out_trade_no: the order number is what the shop passed to WeChat Pay when the customer paid (our assumption, docs/payments-wechatpay.md §5).
            answer = await client.ApplyAsync(credentials, order.OrderNo, refund.OutRefundNo ?? OutRefundNoOf(ret.Id), Fen(refund.Amount), Math.Max(Fen(order.TotalAmount), Fen(refund.Amount)),
                $"退货 {ret.RmaNo}", notifyUrl, ct);
        }
        catch (Exception e) when (e is HttpRequestException or WeChatPaySignatureException or TaskCanceledException)
        {
            await NoteErrorAsync(refundId, e.Message, ct);
            throw;
        }
        await TakeAnswerAsync(refundId, answer, ct);
    }

    /// <summary>查询单笔退款 for a refund still Pending: the way a lost notification (or a lost answer) is recovered.</summary>
    public async Task QueryAsync(long refundId, CancellationToken ct)
    {
        string? outRefundNo;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var refund = await db.Set<Refund>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == refundId, ct);
            if (refund is not { Status: RefundStatus.Pending, Method: RefundMethod.WeChatPay })
            {
                return;
            }
            outRefundNo = refund.OutRefundNo ?? OutRefundNoOf(refund.ReturnId);
        }
        var credentials = await settings.WeChatPayAsync(ct);
        if (credentials is null)
        {
            await NoteErrorAsync(refundId, "WeChat Pay is not completely configured: the refund cannot be queried.", ct);
            return;
        }
        WeChatPayAnswer answer;
        try
        {
            answer = await client.QueryAsync(credentials, outRefundNo, ct);
        }
        catch (Exception e) when (e is HttpRequestException or WeChatPaySignatureException or TaskCanceledException)
        {
            await NoteErrorAsync(refundId, e.Message, ct);
            throw;
        }
        if (answer.Status == HttpStatusCode.NotFound && answer.ErrorCode == "RESOURCE_NOT_EXISTS")
        {
            // The application never arrived (its answer was lost with it): apply again under the same out_refund_no.
            logger.LogInformation("WeChat Pay does not know refund {OutRefundNo}; applying again", outRefundNo);
            await SubmitAsync(refundId, ct);
            return;
        }
        await TakeAnswerAsync(refundId, answer, ct);
    }

    private async Task TakeAnswerAsync(long refundId, WeChatPayAnswer answer, CancellationToken ct)
    {
        if (answer.Refund is { } r)
        {
            await TakeStatusAsync(refundId, r.Status, r.RefundId, ct);
            return;
        }
        var error = $"{(int)answer.Status} {answer.ErrorCode}: {answer.ErrorMessage}";
        // 429 and 5xx are WeChat Pay's own trouble (the documented advice: retry with the same out_refund_no); 4xx answers
        // (NOT_ENOUGH, PARAM_ERROR, USER_ACCOUNT_ABNORMAL, …) are its refusal of this refund, which Ops must see.
        // 401 (SIGN_ERROR) is about our credentials, not this refund: it stays pending until the account is fixed.
        if (answer.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized || (int)answer.Status >= 500)
        {
            await NoteErrorAsync(refundId, error, ct);
            throw new HttpRequestException($"WeChat Pay answered {error}; the refund stays pending.");
        }
        await outcomes.ApplyAsync(refundId, RefundResult.Failed, null, "WeChat Pay " + error, Actor, ct);
    }

    /// <summary>SUCCESS → Succeeded; ABNORMAL or CLOSED → Failed (documented refund statuses); PROCESSING → keep waiting, with its refund_id.</summary>
    private async Task TakeStatusAsync(long refundId, string status, string? providerRefundId, CancellationToken ct)
    {
        switch (status)
        {
            case "SUCCESS":
                await outcomes.ApplyAsync(refundId, RefundResult.Succeeded, providerRefundId, null, Actor, ct);
                break;
            case "ABNORMAL":
                await outcomes.ApplyAsync(refundId, RefundResult.Failed, providerRefundId, "WeChat Pay ABNORMAL: 退款异常（用户银行卡作废或冻结）", Actor, ct);
                break;
            case "CLOSED":
                await outcomes.ApplyAsync(refundId, RefundResult.Failed, providerRefundId, "WeChat Pay CLOSED: 退款关闭", Actor, ct);
                break;
            default:
                await using (var db = await dbFactory.CreateDbContextAsync(ct))
                {
                    await db.Set<Refund>().Where(x => x.Id == refundId && x.Status == RefundStatus.Pending)
                        .ExecuteUpdateAsync(u => u.SetProperty(x => x.Reference, providerRefundId).SetProperty(x => x.LastError, (string?)null), ct);
                }
                break;
        }
    }

    /// <summary>
    /// 退款结果通知: verify the signature over the raw body (before reading it), decrypt the resource, check it names
    /// our merchant and the amount we asked for, then apply. A notification for an already final refund answers 200.
    /// </summary>
    public async Task<NotificationVerdict> TakeNotificationAsync(IHeaderDictionary headers, string body, CancellationToken ct)
    {
        var credentials = await settings.WeChatPayAsync(ct);
        if (credentials is null)
        {
            return new NotificationVerdict(StatusCodes.Status503ServiceUnavailable, "WeChat Pay is not configured");
        }
        var account = credentials.Account;
        var failure = WeChatPayCrypto.Verify(account.PlatformPublicKeyId, account.PlatformPublicKeyPem, headers["Wechatpay-Serial"], headers["Wechatpay-Timestamp"],
            headers["Wechatpay-Nonce"], headers["Wechatpay-Signature"], body, DateTimeOffset.UtcNow);
        if (failure is not null)
        {
            logger.LogWarning("Refused a WeChat Pay notification: {Failure}", failure);
            return new NotificationVerdict(StatusCodes.Status401Unauthorized, failure);
        }
        RefundResource? resource;
        try
        {
            var envelope = JsonSerializer.Deserialize<NotificationEnvelope>(body);
            if (envelope?.Resource is not { Algorithm: "AEAD_AES_256_GCM" } enc)
            {
                return new NotificationVerdict(StatusCodes.Status400BadRequest, "the notification has no AEAD_AES_256_GCM resource");
            }
            resource = JsonSerializer.Deserialize<RefundResource>(WeChatPayCrypto.Decrypt(credentials.ApiV3Key, enc.Nonce, enc.AssociatedData ?? "", enc.Ciphertext));
        }
        catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogWarning(e, "A WeChat Pay notification could not be read");
            return new NotificationVerdict(StatusCodes.Status400BadRequest, "the resource does not decrypt with the APIv3 key");
        }
        if (resource is null || resource.MchId != account.MchId)
        {
            return new NotificationVerdict(StatusCodes.Status400BadRequest, "the resource names another merchant");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var refund = await db.Set<Refund>().AsNoTracking().FirstOrDefaultAsync(r => r.OutRefundNo == resource.OutRefundNo, ct);
        if (refund is null)
        {
            // Not ours (or not any more): answering 200 stops the resending; there is nothing to apply.
            logger.LogWarning("A WeChat Pay notification names unknown refund {OutRefundNo}", resource.OutRefundNo);
            return new NotificationVerdict(StatusCodes.Status200OK, null);
        }
        // The documentation asks to compare the amount: a notification for another amount is not this refund's outcome.
        if (resource.Amount is { } amount && amount.Refund != Fen(refund.Amount))
        {
            return new NotificationVerdict(StatusCodes.Status400BadRequest, $"the notified amount {amount.Refund} fen is not the refund's {Fen(refund.Amount)}");
        }
        await TakeStatusAsync(refund.Id, resource.RefundStatus, resource.RefundId, ct);
        return new NotificationVerdict(StatusCodes.Status200OK, null);
    }

    private async Task NoteErrorAsync(long refundId, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<Refund>().Where(x => x.Id == refundId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastError, error.Length > 1000 ? error[..1000] : error), ct);
    }

    private sealed record NotificationEnvelope(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("event_type")] string? EventType,
        [property: JsonPropertyName("resource")] EncryptedResource? Resource);

    private sealed record EncryptedResource(
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("ciphertext")] string Ciphertext,
        [property: JsonPropertyName("associated_data")] string? AssociatedData,
        [property: JsonPropertyName("nonce")] string Nonce);

    private sealed record RefundResource(
        [property: JsonPropertyName("mchid")] string MchId,
        [property: JsonPropertyName("out_refund_no")] string OutRefundNo,
        [property: JsonPropertyName("refund_id")] string? RefundId,
        [property: JsonPropertyName("refund_status")] string RefundStatus,
        [property: JsonPropertyName("amount")] WeChatRefundAmount? Amount);
}
