using System.Globalization;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Features.Packing;

/// <summary>
/// A line a serial scale sends, read as kilograms. Platform scales print lines like "ST,GS,+  0.820kg" (stable, gross),
/// "US,GS,+  0.815kg" (still moving), "ST,NT,+0.820 kg" or a plain "0.820"; some send grams ("820g") or pounds ("lb").
/// Only a stable reading counts: a line that says US (unstable) or OL (overload) is no weight.
/// </summary>
public static partial class ScaleReading
{
    [GeneratedRegex(@"(?<sign>[+-])?\s*(?<value>\d+(?:\.\d+)?)\s*(?<unit>kg|g|lb)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Weight();

    public static decimal? Parse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }
        var text = line.Trim();
        if (text.StartsWith("US", StringComparison.OrdinalIgnoreCase) || text.StartsWith("OL", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var m = Weight().Match(text);
        if (!m.Success || !decimal.TryParse(m.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        if (m.Groups["sign"].Value == "-")
        {
            return null;
        }
        var kg = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "g" => value / 1000m,
            "lb" => value * 0.45359237m,
            _ => value,
        };
        return Math.Round(kg, 3);
    }
}
