using System.Globalization;
using System.Resources;

namespace MerchantPortal.Web.Components.Shared;

/// <summary>Marker for the carriers' names by code: CarrierNameResources.resx / .zh-CN.resx.</summary>
public sealed class CarrierNameResources;

/// <summary>
/// A carrier's name in the reader's language (SF → 顺丰速运 / SF Express), for the places that need a plain string:
/// chart labels, select items, exports, labels. Pages show <see cref="CarrierName"/>, which adds the code as a tooltip.
/// A code the table does not know is shown as it is (a carrier added at the aggregator before it is named here).
/// </summary>
public static class CarrierNames
{
    private static readonly ResourceManager Names = new(typeof(CarrierNameResources));

    /// <summary>The name in the current UI culture.</summary>
    public static string Of(string? code) => Of(code, CultureInfo.CurrentUICulture);

    public static string Of(string? code, CultureInfo culture)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "";
        }
        var trimmed = code.Trim();
        return Names.GetString(trimmed.ToUpperInvariant(), culture) ?? trimmed;
    }

    /// <summary>Whether the code has a name (the rest are shown as their code).</summary>
    public static bool IsKnown(string? code) =>
        !string.IsNullOrWhiteSpace(code) && Names.GetString(code.Trim().ToUpperInvariant(), CultureInfo.InvariantCulture) is not null;
}
