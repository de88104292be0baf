using System.Globalization;

namespace MerchantPortal.CarrierSandbox.Protocol;

/// <summary>
/// Protocol times are Beijing time strings "yyyy-MM-dd HH:mm:ss" (carrier-protocol.md, header notes); the sandbox
/// keeps UTC internally and converts at the edge. China has no daylight saving, so a fixed +8 h is exact.
/// </summary>
public static class BeijingTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    private const string Pattern = "yyyy-MM-dd HH:mm:ss";
    private static readonly string[] AcceptedFormats = [Pattern, "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy/MM/dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"];

    public static string Format(DateTimeOffset utc) => utc.ToOffset(Offset).ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (!DateTime.TryParseExact(text.Trim(), AcceptedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        utc = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset).ToUniversalTime();
        return true;
    }
}
