using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Masking of personal data for roles that must not see it whole (product.md: CustomerService sees 138****5678 and
/// no street detail). Masking happens on the server, before anything reaches a browser, an export or an API answer.
/// </summary>
public static partial class Pii
{
    public const string HiddenDetail = "****";

    /// <summary>Keeps the first 3 and last 4 digits of a mobile number; shorter numbers keep only the last 4.</summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "";
        }
        var p = phone.Trim();
        if (p.Length >= 11)
        {
            return string.Concat(p.AsSpan(0, 3), "****", p.AsSpan(p.Length - 4));
        }
        return p.Length > 4 ? string.Concat(new string('*', p.Length - 4), p.AsSpan(p.Length - 4)) : "****";
    }

    /// <summary>Street-level detail is hidden; province, city and district stay (enough to talk about a parcel).</summary>
    public static string MaskAddressDetail(string? detail) => string.IsNullOrWhiteSpace(detail) ? "" : HiddenDetail;

    /// <summary>buyer@example.com → b****@example.com: enough to recognise the mailbox, not to write to it.</summary>
    public static string MaskEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "";
        }
        var e = email.Trim();
        var at = e.LastIndexOf('@');
        return at <= 0 ? HiddenDetail : string.Concat(e.AsSpan(0, 1), HiddenDetail, e.AsSpan(at));
    }

    /// <summary>
    /// Mainland mobile numbers inside free text (a case comment: "客户说改送 138 0013 8000") masked like
    /// <see cref="MaskPhone"/>; the rest of the text stays. Landlines and other digits are left alone.
    /// </summary>
    public static string? MaskPhonesIn(string? text) => text is null ? null : MobileInText().Replace(text, "$1****$3");

    [GeneratedRegex(@"(?<![0-9])(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")]
    private static partial Regex MobileInText();
}
