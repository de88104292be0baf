using System.Globalization;
using System.Resources;

namespace MerchantPortal.Web.Components.Shared;

/// <summary>
/// Punctuation pages put between words they compose ("运单号：…" / "Tracking number: …"): full-width in Chinese, from
/// SharedResources like every other word, so a label and its value never meet with a half-width colon in Chinese.
/// </summary>
public static class Punctuation
{
    private static readonly ResourceManager Shared = new(typeof(SharedResources));

    /// <summary>Between a label and its value: "：" in Chinese, ": " in English.</summary>
    public static string Colon => Shared.GetString("Punctuation.Colon", CultureInfo.CurrentUICulture) ?? ": ";
}
