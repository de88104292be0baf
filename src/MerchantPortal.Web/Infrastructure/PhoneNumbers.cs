using System.Text;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Chinese contact numbers as shops export them: full-width digits (１３６…), +86 / 0086 prefixes, spaces, dashes
/// and brackets. Mobiles normalize to 11 digits; landlines (area code + number) are accepted and keep one dash
/// after the area code when the input had one, because 0571-88886666 is how people read them back.
/// </summary>
public static partial class PhoneNumbers
{
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var s = ToHalfWidth(raw.Trim());
        var digits = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')' or '+' or '.'))
            {
                return null;
            }
        }
        var d = digits.ToString();
        if (s.StartsWith('+') || s.StartsWith("0086", StringComparison.Ordinal))
        {
            d = d.StartsWith("0086", StringComparison.Ordinal) ? d[4..] : d.StartsWith("86", StringComparison.Ordinal) ? d[2..] : d;
        }
        else if (d.Length == 13 && d.StartsWith("86", StringComparison.Ordinal))
        {
            d = d[2..];
        }
        if (Mobile().IsMatch(d))
        {
            return d;
        }
        if (Landline().IsMatch(d))
        {
            var dashed = DashedLandline().Match(s.Replace(" ", "", StringComparison.Ordinal));
            return dashed.Success ? dashed.Groups[1].Value + "-" + dashed.Groups[2].Value : d;
        }
        return null;
    }

    /// <summary>Full-width ASCII forms (U+FF01–FF5E) and the ideographic space to their ASCII equivalents.</summary>
    public static string ToHalfWidth(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '\uFF01' and <= '\uFF5E')
            {
                chars[i] = (char)(chars[i] - 0xFEE0);
            }
            else if (chars[i] == '\u3000')
            {
                chars[i] = ' ';
            }
        }
        return new string(chars);
    }

    /// <summary>The last four digits, for customer-service search ("the last four digits and a name").</summary>
    public static string Last4(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits[^4..] : digits;
    }

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0\d{9,11}$")]
    private static partial Regex Landline();

    [GeneratedRegex(@"^(0\d{2,3})-(\d{7,8})$")]
    private static partial Regex DashedLandline();
}
