using System.Globalization;
using System.Text.RegularExpressions;

namespace MerchantPortal.Carriers;

/// <summary>
/// Protocol times are Beijing time (UTC+8) strings "yyyy-MM-dd HH:mm:ss" (carrier-protocol.md header, §2.5);
/// the portal stores UTC.
/// </summary>
public static partial class KdniaoTime
{
    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// Parses a Beijing-time string to UTC, leniently: "-" "/" or "." separators, optional seconds and fraction,
    /// ISO "T" with or without an offset, a date alone. Malformed seconds such as "18:09:042" (a published push
    /// sample, §2.5) are read best effort. Returns null when nothing sensible can be read; never throws.
    /// </summary>
    public static DateTime? ParseBeijing(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var s = text.Trim();

        // An explicit zone (Z or ±hh:mm) wins over the Beijing assumption.
        if (ZoneSuffix().IsMatch(s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withZone))
        {
            return withZone.UtcDateTime;
        }

        var m = Lenient().Match(s);
        if (!m.Success)
        {
            return null;
        }

        try
        {
            var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            var month = int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture);
            var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            var hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
            var minute = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture) : 0;
            var second = m.Groups["s"].Success ? ReadSeconds(m.Groups["s"].Value) : 0;
            var fraction = m.Groups["f"].Success ? ReadFraction(m.Groups["f"].Value) : TimeSpan.Zero;

            if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 24 || minute > 59)
            {
                return null;
            }

            var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified)
                .AddHours(hour).AddMinutes(minute).AddSeconds(second).Add(fraction);
            return DateTime.SpecifyKind(local - BeijingOffset, DateTimeKind.Utc);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Formats a UTC instant as the protocol's Beijing "yyyy-MM-dd HH:mm:ss".</summary>
    public static string FormatBeijing(DateTime utc)
    {
        var u = utc.Kind switch
        {
            DateTimeKind.Local => utc.ToUniversalTime(),
            _ => DateTime.SpecifyKind(utc, DateTimeKind.Utc), // Unspecified is taken as UTC: the portal stores UTC
        };
        return (u + BeijingOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    // "042" (the §2.5 sample) is most likely 42 with a stray digit; if the number is not a valid second, keep its
    // first two digits, and if that still is not one, drop the seconds rather than the whole event.
    private static int ReadSeconds(string digits)
    {
        var value = int.Parse(digits.Length > 6 ? digits[..6] : digits, CultureInfo.InvariantCulture);
        if (value < 60)
        {
            return value;
        }

        var firstTwo = int.Parse(digits[..Math.Min(2, digits.Length)], CultureInfo.InvariantCulture);
        return firstTwo < 60 ? firstTwo : 0;
    }

    private static TimeSpan ReadFraction(string digits)
    {
        var seven = digits.Length >= 7 ? digits[..7] : digits.PadRight(7, '0');
        return TimeSpan.FromTicks(long.Parse(seven, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<y>\d{4})[-/.](?<mo>\d{1,2})[-/.](?<d>\d{1,2})(?:[ T]+(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,6})(?:[.,](?<f>\d{1,9}))?)?)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Lenient();

    [GeneratedRegex(@"\d(?:Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ZoneSuffix();
}
