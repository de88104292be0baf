using System.Collections.Frozen;

namespace MerchantPortal.Carriers;

/// <summary>
/// Maps Kdniao <c>State</c> (carrier-protocol.md §3.1) and <c>StateEx</c> / <c>Traces[].Action</c> (§3.2) codes
/// onto <see cref="ShipmentStatus"/>. One table serves both lists because every code that appears in both
/// (0, 1, 2, 201, 3, 4, 5, 6) means the same thing in both.
/// </summary>
public static class KdniaoStatusMap
{
    private static readonly FrozenDictionary<string, ShipmentStatus> Table = new Dictionary<string, ShipmentStatus>
    {
        ["0"] = ShipmentStatus.Pending,            // 暂无轨迹信息
        ["10"] = ShipmentStatus.Pending,           // 待揽件: the order exists, the parcel is not with the carrier yet
        ["1"] = ShipmentStatus.PickedUp,           // 已揽收
        ["2"] = ShipmentStatus.InTransit,          // 在途中
        ["201"] = ShipmentStatus.InTransit,        // 到达派件城市 (legacy in plain State, §3.1)
        ["204"] = ShipmentStatus.InTransit,        // 到达转运中心
        ["205"] = ShipmentStatus.InTransit,        // 到达派件网点
        ["206"] = ShipmentStatus.InTransit,        // 寄件网点发件
        ["202"] = ShipmentStatus.OutForDelivery,   // 派件中
        ["211"] = ShipmentStatus.AvailableForPickup, // 已放入快递柜或驿站
        ["3"] = ShipmentStatus.Delivered,          // 签收
        ["301"] = ShipmentStatus.Delivered,        // 正常签收
        ["302"] = ShipmentStatus.Delivered,        // 派件异常后最终签收
        ["304"] = ShipmentStatus.Delivered,        // 代收签收
        ["311"] = ShipmentStatus.Delivered,        // 快递柜或驿站签收 / 已取出
        ["4"] = ShipmentStatus.Exception,          // 问题件
        ["401"] = ShipmentStatus.Exception,        // 发货无信息
        ["402"] = ShipmentStatus.Exception,        // 超时未签收
        // 403 超时未更新 ("no new trace for >5 days") is Exception, not Expired: Expired is final in product.md and
        // would stop polling and the push stream, yet Kdniao does not treat 403 as terminal (§3.2 terminal rows are
        // the signed 3xx and 406) and a stalled parcel often moves again. A stalled parcel is exactly what the
        // exception queue is for; the portal may still declare Expired itself after its own, longer silence.
        ["403"] = ShipmentStatus.Exception,
        ["404"] = ShipmentStatus.Exception,        // 拒收(退件)
        ["405"] = ShipmentStatus.Exception,        // 派件异常
        ["406"] = ShipmentStatus.Returned,         // 退货签收: the return reached the sender
        ["407"] = ShipmentStatus.Returning,        // 退货未签收: on its way back
        ["412"] = ShipmentStatus.Exception,        // 快递柜或驿站超时未取: needs someone to act
        ["413"] = ShipmentStatus.Exception,        // 单号已拦截
        ["414"] = ShipmentStatus.Exception,        // 破损
        ["415"] = ShipmentStatus.Exception,        // 客户取消发货
        ["416"] = ShipmentStatus.Exception,        // 无法联系
        ["417"] = ShipmentStatus.Exception,        // 配送延迟
        ["418"] = ShipmentStatus.Exception,        // 快件取出
        ["419"] = ShipmentStatus.Exception,        // 重新派送
        ["420"] = ShipmentStatus.Exception,        // 收货地址不详细
        ["421"] = ShipmentStatus.Exception,        // 收件人电话错误
        ["422"] = ShipmentStatus.Exception,        // 错分件
        ["423"] = ShipmentStatus.Exception,        // 超区件
        ["5"] = ShipmentStatus.InTransit,          // 转寄
        ["6"] = ShipmentStatus.InTransit,          // 清关
        ["601"] = ShipmentStatus.InTransit,        // 待清关
        ["602"] = ShipmentStatus.InTransit,        // 清关中
        ["603"] = ShipmentStatus.InTransit,        // 已清关
        ["604"] = ShipmentStatus.Exception,        // 清关异常
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code this table knows (for tests and diagnostics).</summary>
    public static IReadOnlyCollection<string> KnownCodes => Table.Keys;

    /// <summary>
    /// Normalized status of a snapshot: StateEx when present and known, else State (product.md), else a family
    /// fallback. Never throws.
    /// </summary>
    public static ShipmentStatus Map(string? state, string? stateEx)
    {
        if (TryLookup(stateEx, out var ex))
        {
            return ex;
        }

        if (TryLookup(state, out var plain))
        {
            return plain;
        }

        return Fallback(Normalize(stateEx) ?? Normalize(state));
    }

    /// <summary>Status of one trace from its <c>Action</c> (= StateEx of that trace, §3.3). Never throws.</summary>
    public static ShipmentStatus MapAction(string? action) =>
        TryLookup(action, out var status) ? status : Fallback(Normalize(action));

    private static bool TryLookup(string? code, out ShipmentStatus status)
    {
        var key = Normalize(code);
        if (key is not null && Table.TryGetValue(key, out status))
        {
            return true;
        }

        status = default;
        return false;
    }

    // Codes arrive as "3", 3, " 3 " or even "3.0" from loosely typed DTOs (§3.2: "parse both").
    private static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var trimmed = code.Trim();
        if (decimal.TryParse(trimmed, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n == decimal.Truncate(n) && n >= 0)
        {
            return ((long)n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return trimmed;
    }

    // An unknown code must not stop tracking: the 4xx family is "problem" in every revision of the table, so an
    // unknown 4xx becomes Exception (non-final, lands in the queue); anything else we cannot read is treated as
    // still moving, and "no code at all" as no information yet. Never guess a final state.
    private static ShipmentStatus Fallback(string? code) => code switch
    {
        null => ShipmentStatus.Pending,
        { Length: 3 } when code[0] == '4' => ShipmentStatus.Exception,
        _ => ShipmentStatus.InTransit,
    };
}
