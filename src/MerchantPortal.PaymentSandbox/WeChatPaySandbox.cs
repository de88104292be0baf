using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerchantPortal.PaymentSandbox;

/// <summary>How the sandbox answers a refund. <see cref="ByAmount"/> (the default) decides by the amount's last two fen digits.</summary>
public enum SandboxRefundOutcome
{
    /// <summary>…01 → SUCCESS at once; …02 → PROCESSING then ABNORMAL; …03 → 403 NOT_ENOUGH; anything else → PROCESSING then SUCCESS.</summary>
    ByAmount,
    Success,
    ProcessingThenSuccess,
    ProcessingThenAbnormal,
    NotEnough,
}

/// <summary>A merchant the sandbox knows: its API certificate's public key (to verify requests) and its APIv3 key (to encrypt notifications).</summary>
public sealed record SandboxMerchant(string MchId, string SerialNo, RSA PublicKey, string ApiV3Key);

/// <summary>One refund as WeChat Pay keeps it: keyed by (mchid, out_refund_no), the merchant's idempotency key.</summary>
public sealed class SandboxRefund
{
    public required string MchId { get; init; }
    public required string OutRefundNo { get; init; }
    public required string RefundId { get; init; }
    public required string OutTradeNo { get; init; }
    public required string TransactionId { get; init; }
    public long Refund { get; init; }
    public long Total { get; init; }
    public required string NotifyUrl { get; init; }
    public DateTime CreatedAtUtc { get; init; }
    /// <summary>SUCCESS, PROCESSING, ABNORMAL or CLOSED (the documented refund statuses).</summary>
    public string Status { get; set; } = "PROCESSING";
    /// <summary>What a PROCESSING refund becomes when it completes.</summary>
    public string FinalStatus { get; set; } = "SUCCESS";
    public DateTime? SuccessTimeUtc { get; set; }
}

/// <summary>
/// The state of the simulated WeChat Pay refund service, in memory: its platform key pair (made at start-up, never
/// stored), the merchants registered through the admin endpoint, the refunds, and the test-settable behaviour.
/// </summary>
public sealed class WeChatPaySandbox : IDisposable
{
    private readonly ConcurrentDictionary<string, SandboxMerchant> merchants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string MchId, string OutRefundNo), SandboxRefund> refunds = new();
    private readonly Lock gate = new();
    private long sequence;
    private int toLose;

    public WeChatPaySandbox()
    {
        PlatformKey = RSA.Create(2048);
        PlatformPublicKeyId = "PUB_KEY_ID_SANDBOX_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>The platform key: signs answers and notifications (the merchant verifies with its public half).</summary>
    public RSA PlatformKey { get; }

    /// <summary>Sent as Wechatpay-Serial, as the WeChat Pay public key's id ("PUB_KEY_ID_…").</summary>
    public string PlatformPublicKeyId { get; }

    public string PlatformPublicKeyPem => PlatformKey.ExportSubjectPublicKeyInfoPem();

    public SandboxRefundOutcome Outcome { get; set; } = SandboxRefundOutcome.ByAmount;

    /// <summary>How long a PROCESSING refund takes to complete before its notification.</summary>
    public TimeSpan ProcessingTime { get; set; } = TimeSpan.FromSeconds(1);

    public long NotificationsSent;
    public long NotificationsLost;
    public long RejectedSignatures;

    public void RegisterMerchant(string mchId, string serialNo, string publicKeyPem, string apiV3Key)
    {
        if (Encoding.UTF8.GetByteCount(apiV3Key) != 32)
        {
            throw new ArgumentException("The APIv3 key is 32 bytes (AES-256).", nameof(apiV3Key));
        }
        var key = RSA.Create();
        key.ImportFromPem(publicKeyPem);
        merchants[mchId] = new SandboxMerchant(mchId, serialNo, key, apiV3Key);
    }

    public SandboxMerchant? Merchant(string mchId) => merchants.GetValueOrDefault(mchId);

    /// <summary>The next <paramref name="count"/> notifications are "lost": the refund completes, nobody is told.</summary>
    public void LoseNextNotifications(int count) => Interlocked.Exchange(ref toLose, count);

    internal bool TakeLoss()
    {
        while (true)
        {
            var left = Volatile.Read(ref toLose);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref toLose, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public SandboxRefund? Find(string mchId, string outRefundNo) => refunds.GetValueOrDefault((mchId, outRefundNo));

    public int RefundCount => refunds.Count;

    /// <summary>Creates the refund, or returns the one already made under this out_refund_no (a repeat is no second refund).</summary>
    internal (SandboxRefund Refund, bool Created) Create(string mchId, string outRefundNo, string outTradeNo, long refund, long total, string notifyUrl, DateTime nowUtc, SandboxRefundOutcome outcome)
    {
        lock (gate)
        {
            if (refunds.TryGetValue((mchId, outRefundNo), out var existing))
            {
                return (existing, false);
            }
            var n = Interlocked.Increment(ref sequence);
            var r = new SandboxRefund
            {
                MchId = mchId,
                OutRefundNo = outRefundNo,
                RefundId = "5030" + nowUtc.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + n.ToString("D12", CultureInfo.InvariantCulture),
                OutTradeNo = outTradeNo,
                TransactionId = "4200" + nowUtc.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + n.ToString("D16", CultureInfo.InvariantCulture),
                Refund = refund,
                Total = total,
                NotifyUrl = notifyUrl,
                CreatedAtUtc = nowUtc,
            };
            switch (outcome)
            {
                case SandboxRefundOutcome.Success:
                    r.Status = r.FinalStatus = "SUCCESS";
                    r.SuccessTimeUtc = nowUtc;
                    break;
                case SandboxRefundOutcome.ProcessingThenAbnormal:
                    r.FinalStatus = "ABNORMAL";
                    break;
                default:
                    r.FinalStatus = "SUCCESS";
                    break;
            }
            refunds[(mchId, outRefundNo)] = r;
            return (r, true);
        }
    }

    public SandboxRefundOutcome Decide(long refundFen) => Outcome != SandboxRefundOutcome.ByAmount ? Outcome : (refundFen % 100) switch
    {
        1 => SandboxRefundOutcome.Success,
        2 => SandboxRefundOutcome.ProcessingThenAbnormal,
        3 => SandboxRefundOutcome.NotEnough,
        _ => SandboxRefundOutcome.ProcessingThenSuccess,
    };

    /// <summary>Completes a processing refund (its final status), once.</summary>
    internal bool Complete(SandboxRefund r, DateTime nowUtc)
    {
        lock (gate)
        {
            if (r.Status != "PROCESSING")
            {
                return false;
            }
            r.Status = r.FinalStatus;
            r.SuccessTimeUtc = r.Status == "SUCCESS" ? nowUtc : null;
            return true;
        }
    }

    /// <summary>The refund object as the query answers it and as the notification's resource carries it.</summary>
    internal static Dictionary<string, object?> Answer(SandboxRefund r) => new()
    {
        ["refund_id"] = r.RefundId,
        ["out_refund_no"] = r.OutRefundNo,
        ["transaction_id"] = r.TransactionId,
        ["out_trade_no"] = r.OutTradeNo,
        ["channel"] = "ORIGINAL",
        ["user_received_account"] = "支付用户零钱",
        ["success_time"] = r.SuccessTimeUtc is { } s ? Beijing(s) : null,
        ["create_time"] = Beijing(r.CreatedAtUtc),
        ["status"] = r.Status,
        ["funds_account"] = "AVAILABLE",
        ["amount"] = new Dictionary<string, object?>
        {
            ["total"] = r.Total, ["refund"] = r.Refund, ["payer_total"] = r.Total, ["payer_refund"] = r.Refund,
            ["settlement_refund"] = r.Refund, ["settlement_total"] = r.Total, ["discount_refund"] = 0, ["currency"] = "CNY",
            ["from"] = Array.Empty<object>(),
        },
    };

    /// <summary>The resource of a refund notification (退款结果通知): refund_status, not status.</summary>
    internal static Dictionary<string, object?> NotificationResource(SandboxRefund r) => new()
    {
        ["mchid"] = r.MchId,
        ["out_trade_no"] = r.OutTradeNo,
        ["transaction_id"] = r.TransactionId,
        ["out_refund_no"] = r.OutRefundNo,
        ["refund_id"] = r.RefundId,
        ["refund_status"] = r.Status,
        ["success_time"] = r.SuccessTimeUtc is { } s ? Beijing(s) : null,
        ["user_received_account"] = "支付用户零钱",
        ["amount"] = new Dictionary<string, object?> { ["total"] = r.Total, ["refund"] = r.Refund, ["payer_total"] = r.Total, ["payer_refund"] = r.Refund },
    };

    /// <summary>RFC 3339 with the +08:00 offset, as WeChat Pay writes times.</summary>
    internal static string Beijing(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>SHA256withRSA (PKCS#1 v1.5) over "timestamp\nnonce\nbody\n", base64: the Wechatpay-Signature of answers and notifications.</summary>
    public string SignAnswer(string timestamp, string nonce, string body) =>
        Convert.ToBase64String(PlatformKey.SignData(Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>AEAD_AES_256_GCM with the APIv3 key: base64(ciphertext ‖ 16-byte tag).</summary>
    public static string Encrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, cipher, tag, Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String([.. cipher, .. tag]);
    }

    internal static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public void Dispose()
    {
        PlatformKey.Dispose();
        foreach (var m in merchants.Values)
        {
            m.PublicKey.Dispose();
        }
    }
}
