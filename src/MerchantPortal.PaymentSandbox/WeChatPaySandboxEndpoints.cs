using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.PaymentSandbox;

public static class WeChatPaySandboxEndpoints
{
    public const string DefaultPrefix = "/sandbox/wechatpay";

    /// <summary>The sandbox state, the notifier that completes processing refunds and calls notify_url, and its HttpClient.</summary>
    public static IServiceCollection AddWeChatPaySandbox(this IServiceCollection services)
    {
        services.AddSingleton<WeChatPaySandbox>();
        services.AddSingleton(Channel.CreateUnbounded<SandboxRefund>());
        services.AddSingleton<SandboxNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<SandboxNotifier>());
        services.AddHttpClient(SandboxNotifier.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>
    /// The protocol paths (申请退款 POST /v3/refund/domestic/refunds, 查询单笔退款 GET …/{out_refund_no}) and the admin
    /// endpoints, under <paramref name="prefix"/>. Anonymous and without antiforgery: callers authenticate by signature.
    /// </summary>
    public static RouteGroupBuilder MapWeChatPaySandbox(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous();
        group.DisableAntiforgery();
        group.ExcludeFromDescription();

        group.MapPost("/v3/refund/domestic/refunds", ApplyRefundAsync);
        group.MapGet("/v3/refund/domestic/refunds/{outRefundNo}", QueryRefundAsync);

        // Admin (tests and the demo only): register a merchant's public key and APIv3 key, read the platform public key,
        // choose the outcome, lose notifications, resend one, count.
        group.MapPost("/admin/merchants", RegisterMerchant);
        group.MapGet("/admin/platform-key", PlatformKey);
        group.MapPut("/admin/behaviour", SetBehaviour);
        group.MapPost("/admin/notify/{mchId}/{outRefundNo}", NotifyAgainAsync);
        group.MapGet("/admin/stats", Stats);
        return group;
    }

    /// <summary>申请退款: signed, checked, decided by the sandbox's outcome; the same out_refund_no again is the same refund.</summary>
    private static async Task<IResult> ApplyRefundAsync(HttpContext http, WeChatPaySandbox sandbox, SandboxNotifier notifier)
    {
        var body = await ReadBodyAsync(http.Request);
        var (merchant, failure) = Authenticate(http.Request, body, sandbox);
        if (merchant is null)
        {
            return Error(http, sandbox, 401, "SIGN_ERROR", failure!);
        }
        if (ReadApply(body) is not { amount: { } amount } apply)
        {
            return Error(http, sandbox, 400, "PARAM_ERROR", "参数错误：out_refund_no、out_trade_no 或 transaction_id、amount.refund ≤ amount.total、currency=CNY 必填");
        }
        var outcome = sandbox.Decide(amount.refund);
        if (outcome == SandboxRefundOutcome.NotEnough && sandbox.Find(merchant.MchId, apply.out_refund_no!) is null)
        {
            return Error(http, sandbox, 403, "NOT_ENOUGH", "基本账户余额不足，请充值后重新发起");
        }
        var (refund, created) = sandbox.Create(merchant.MchId, apply.out_refund_no!, apply.out_trade_no ?? apply.transaction_id!, amount.refund,
            amount.total, apply.notify_url ?? "", DateTime.UtcNow, outcome);
        if (created)
        {
            notifier.Schedule(refund);
        }
        return Signed(http, sandbox, 200, JsonSerializer.Serialize(WeChatPaySandbox.Answer(refund), WeChatPaySandbox.Json));
    }

    /// <summary>The refund application, or null when it is not JSON or lacks what WeChat Pay requires (PARAM_ERROR).</summary>
    private static RefundApply? ReadApply(string body)
    {
        RefundApply? apply;
        try
        {
            apply = JsonSerializer.Deserialize<RefundApply>(body, WeChatPaySandbox.Json);
        }
        catch (JsonException)
        {
            return null;
        }
        var valid = apply is not null && !string.IsNullOrWhiteSpace(apply.out_refund_no) && apply.out_refund_no.Length <= 64
            && (!string.IsNullOrWhiteSpace(apply.out_trade_no) || !string.IsNullOrWhiteSpace(apply.transaction_id))
            && apply.amount is not null && apply.amount.refund > 0 && apply.amount.total >= apply.amount.refund && apply.amount.currency == "CNY";
        return valid ? apply : null;
    }

    /// <summary>查询单笔退款.</summary>
    private static async Task<IResult> QueryRefundAsync(string outRefundNo, HttpContext http, WeChatPaySandbox sandbox)
    {
        var body = await ReadBodyAsync(http.Request);
        var (merchant, failure) = Authenticate(http.Request, body, sandbox);
        if (merchant is null)
        {
            return Error(http, sandbox, 401, "SIGN_ERROR", failure!);
        }
        var refund = sandbox.Find(merchant.MchId, outRefundNo);
        return refund is null
            ? Error(http, sandbox, 404, "RESOURCE_NOT_EXISTS", "退款单不存在")
            : Signed(http, sandbox, 200, JsonSerializer.Serialize(WeChatPaySandbox.Answer(refund), WeChatPaySandbox.Json));
    }

    private static IResult RegisterMerchant(MerchantRegistration m, WeChatPaySandbox sandbox)
    {
        sandbox.RegisterMerchant(m.MchId, m.SerialNo, m.PublicKeyPem, m.ApiV3Key);
        return PlatformKey(sandbox);
    }

    private static IResult PlatformKey(WeChatPaySandbox sandbox) =>
        Results.Ok(new { platformPublicKeyId = sandbox.PlatformPublicKeyId, platformPublicKeyPem = sandbox.PlatformPublicKeyPem });

    private static IResult SetBehaviour(Behaviour b, WeChatPaySandbox sandbox)
    {
        if (b.Outcome is { } o)
        {
            sandbox.Outcome = o;
        }
        if (b.LoseNotifications is { } lose)
        {
            sandbox.LoseNextNotifications(lose);
        }
        if (b.ProcessingMilliseconds is { } ms)
        {
            sandbox.ProcessingTime = TimeSpan.FromMilliseconds(ms);
        }
        return Results.Ok(new { outcome = sandbox.Outcome.ToString(), processingMilliseconds = sandbox.ProcessingTime.TotalMilliseconds });
    }

    private static async Task<IResult> NotifyAgainAsync(string mchId, string outRefundNo, WeChatPaySandbox sandbox, SandboxNotifier notifier, CancellationToken ct)
    {
        var refund = sandbox.Find(mchId, outRefundNo);
        return refund is null ? Results.NotFound() : Results.Ok(new { portalStatus = await notifier.SendAsync(refund, ct) });
    }

    private static IResult Stats(WeChatPaySandbox sandbox) => Results.Ok(new
    {
        refunds = sandbox.RefundCount,
        notificationsSent = Interlocked.Read(ref sandbox.NotificationsSent),
        notificationsLost = Interlocked.Read(ref sandbox.NotificationsLost),
        rejectedSignatures = Interlocked.Read(ref sandbox.RejectedSignatures),
    });

    /// <summary>
    /// Verifies "Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,serial_no=…" against
    /// "METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n" with the merchant's registered public key; URL is the path and query as sent.
    /// </summary>
    internal static (SandboxMerchant? Merchant, string? Failure) Authenticate(HttpRequest request, string body, WeChatPaySandbox sandbox)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "WECHATPAY2-SHA256-RSA2048 ";
        if (!header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return (null, "Authorization 头缺失或认证类型不是 WECHATPAY2-SHA256-RSA2048");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header[Scheme.Length..].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
            }
        }
        if (!fields.TryGetValue("mchid", out var mchId) || !fields.TryGetValue("nonce_str", out var nonce) || !fields.TryGetValue("signature", out var signature)
            || !fields.TryGetValue("timestamp", out var timestamp) || !fields.TryGetValue("serial_no", out var serial))
        {
            return (null, "Authorization 头缺少 mchid、nonce_str、signature、timestamp 或 serial_no");
        }
        var merchant = sandbox.Merchant(mchId);
        if (merchant is null || merchant.SerialNo != serial)
        {
            return (null, "商户号或证书序列号有误");
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return (null, "请求时间戳与当前时间相差超过 5 分钟");
        }
        var url = request.PathBase.Add(request.Path) + request.QueryString.ToString();
        var message = Encoding.UTF8.GetBytes($"{request.Method}\n{url}\n{timestamp}\n{nonce}\n{body}\n");
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            Interlocked.Increment(ref sandbox.RejectedSignatures);
            return (null, "签名不是有效的 Base64");
        }
        if (!merchant.PublicKey.VerifyData(message, raw, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            Interlocked.Increment(ref sandbox.RejectedSignatures);
            return (null, "签名错误");
        }
        return (merchant, null);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Every answer is signed with the platform key, errors too (Wechatpay-* headers).</summary>
    private static IResult Signed(HttpContext http, WeChatPaySandbox sandbox, int status, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPaySandbox.NewNonce();
        http.Response.Headers["Request-ID"] = Guid.NewGuid().ToString("N");
        http.Response.Headers["Wechatpay-Timestamp"] = timestamp;
        http.Response.Headers["Wechatpay-Nonce"] = nonce;
        http.Response.Headers["Wechatpay-Serial"] = sandbox.PlatformPublicKeyId;
        http.Response.Headers["Wechatpay-Signature"] = sandbox.SignAnswer(timestamp, nonce, body);
        return Results.Text(body, "application/json; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The documented error body: {"code": "...", "message": "..."}.</summary>
    private static IResult Error(HttpContext http, WeChatPaySandbox sandbox, int status, string code, string message) =>
        Signed(http, sandbox, status, JsonSerializer.Serialize(new { code, message }, WeChatPaySandbox.Json));

#pragma warning disable IDE1006, CA1707 // the protocol's snake_case field names
    internal sealed record RefundApply(string? transaction_id, string? out_trade_no, string? out_refund_no, string? reason, string? notify_url, RefundAmount? amount);

    internal sealed record RefundAmount(long refund, long total, string? currency);
#pragma warning restore IDE1006, CA1707

    public sealed record MerchantRegistration(string MchId, string SerialNo, string PublicKeyPem, string ApiV3Key);

    public sealed record Behaviour(SandboxRefundOutcome? Outcome, int? LoseNotifications, int? ProcessingMilliseconds);
}

/// <summary>
/// Completes processing refunds after <see cref="WeChatPaySandbox.ProcessingTime"/> and posts the signed, encrypted
/// 退款结果通知 to their notify_url (a few attempts, as WeChat Pay retries a non-2xx answer), unless the sandbox was told to lose it.
/// </summary>
public sealed class SandboxNotifier(WeChatPaySandbox sandbox, Channel<SandboxRefund> queue, IHttpClientFactory clients, ILogger<SandboxNotifier> logger) : BackgroundService
{
    public const string ClientName = "wechatpay-sandbox-notify";

    public void Schedule(SandboxRefund refund) => queue.Writer.TryWrite(refund);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var refund in queue.Reader.ReadAllAsync(stoppingToken))
            {
                _ = Task.Run(() => CompleteAndNotifyAsync(refund, stoppingToken), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CompleteAndNotifyAsync(SandboxRefund refund, CancellationToken ct)
    {
        try
        {
            if (refund.Status == "PROCESSING")
            {
                var due = refund.CreatedAtUtc + sandbox.ProcessingTime - DateTime.UtcNow;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
                sandbox.Complete(refund, DateTime.UtcNow);
            }
            if (string.IsNullOrEmpty(refund.NotifyUrl))
            {
                return;
            }
            if (sandbox.TakeLoss())
            {
                Interlocked.Increment(ref sandbox.NotificationsLost);
                logger.LogInformation("Lost the notification of refund {OutRefundNo} on purpose", refund.OutRefundNo);
                return;
            }
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var status = await SendAsync(refund, ct);
                if (status is >= 200 and < 300)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            logger.LogWarning(e, "Notification of refund {OutRefundNo} failed", refund.OutRefundNo);
        }
    }

    /// <summary>Posts the notification once; the portal's HTTP status (0 when unreachable).</summary>
    public async Task<int> SendAsync(SandboxRefund refund, CancellationToken ct)
    {
        var merchant = sandbox.Merchant(refund.MchId) ?? throw new InvalidOperationException($"Merchant {refund.MchId} is not registered.");
        var nonce = WeChatPaySandbox.NewNonce()[..12];
        var resource = JsonSerializer.Serialize(WeChatPaySandbox.NotificationResource(refund), WeChatPaySandbox.Json);
        var body = JsonSerializer.Serialize(new
        {
            id = "EV-" + Guid.NewGuid().ToString("N")[..20],
            create_time = WeChatPaySandbox.Beijing(DateTime.UtcNow),
            resource_type = "encrypt-resource",
            event_type = "REFUND." + refund.Status,
            summary = refund.Status == "SUCCESS" ? "退款成功" : refund.Status == "ABNORMAL" ? "退款异常" : "退款关闭",
            resource = new
            {
                original_type = "refund",
                algorithm = "AEAD_AES_256_GCM",
                ciphertext = WeChatPaySandbox.Encrypt(merchant.ApiV3Key, nonce, "refund", resource),
                associated_data = "refund",
                nonce,
            },
        }, WeChatPaySandbox.Json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signNonce = WeChatPaySandbox.NewNonce();
        using var request = new HttpRequestMessage(HttpMethod.Post, refund.NotifyUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Wechatpay-Timestamp", timestamp);
        request.Headers.Add("Wechatpay-Nonce", signNonce);
        request.Headers.Add("Wechatpay-Serial", sandbox.PlatformPublicKeyId);
        request.Headers.Add("Wechatpay-Signature", sandbox.SignAnswer(timestamp, signNonce, body));
        request.Headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            Interlocked.Increment(ref sandbox.NotificationsSent);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning(e, "Notification of refund {OutRefundNo} to {Url} failed", refund.OutRefundNo, refund.NotifyUrl);
            return 0;
        }
    }
}
