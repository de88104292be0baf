namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Receiver data a platform hid from its export. Since 2021 淘宝/天猫, 京东, 拼多多 and 抖店 export the receiver masked
/// (<c>张**</c>, <c>138****0000</c>, <c>1**********</c>) or encrypted unless the shop may decrypt it: 抖店 writes ciphertext
/// between <c>#</c>s, 拼多多 between <c>~</c>s, 有赞 as <c>$…$1$</c>. Such an order is kept (the rest of it is real) but
/// cannot get a waybill: no carrier delivers to <c>138****0000</c>.
/// </summary>
public static class ReceiverMasking
{
    public static bool IsMasked(string? value) =>
        value is { Length: > 0 } v && (v.Contains('*', StringComparison.Ordinal) || v.Contains('＊', StringComparison.Ordinal) || IsCiphertext(v.Trim()));

    private static bool IsCiphertext(string v) =>
        v.Length >= 4 && ((v[0] == '#' && v[^1] == '#') || (v[0] == '~' && v[^1] == '~') || (v[0] == '$' && v.IndexOf('$', 1) > 1));
}
