using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// A timeline a customer may see: the carrier's wording without the people in it. Carriers write couriers' names and
/// mobile numbers, pickup codes and landlines into scan descriptions ("派件员 张师傅 13800000000 正在为您派件"); those
/// are internal (or someone else's) data and must not reach the public page or a message pasted to a customer.
/// </summary>
public static partial class CustomerSafe
{
    public const string Mask = "***";

    public static string Describe(string description)
    {
        var text = MobileNumber().Replace(description, Mask);
        text = Landline().Replace(text, Mask);
        text = PickupCode().Replace(text, "$1 " + Mask);
        return Courier().Replace(text, "$1");
    }

    /// <summary>The scans a customer may be told, masked; a scan dated in the future or contradicting the journey is left out.</summary>
    public static IReadOnlyList<ShipmentEventView> Timeline(IEnumerable<ShipmentEventView> events) =>
        [.. events.Where(e => !e.Doubtful).Select(e => e with { Description = Describe(e.Description) })];

    /// <summary>Mainland mobile numbers (11 digits from 1), with or without +86 and separators.</summary>
    [GeneratedRegex(@"(?<!\d)(?:\+?86[- ]?)?1\d{2}[- ]?\d{4}[- ]?\d{4}(?!\d)")]
    private static partial Regex MobileNumber();

    [GeneratedRegex(@"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")]
    private static partial Regex Landline();

    [GeneratedRegex(@"(取件码|提货码|验证码)[:：]?\s*[0-9A-Za-z-]+")]
    private static partial Regex PickupCode();

    /// <summary>A courier's title followed by a name ("派件员 张师傅", "揽投员: 李四"): the title stays, the name goes.</summary>
    [GeneratedRegex(@"(派件员|揽投员|快递员|揽件员|配送员|派送员|业务员|快递小哥)[:：]?\s*[\u4e00-\u9fa5A-Za-z·]{1,6}")]
    private static partial Regex Courier();
}
