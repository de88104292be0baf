using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>
/// Undoes what shop exports do to cells so that Excel shows them as typed (the platforms and their habits are listed in
/// wwwroot-assets/demo-imports/platforms/README.md):
/// <list type="bullet">
/// <item>淘宝/天猫 write long numbers as a formula that returns text, <c>="3712026120100000001"</c>, and phones after an
/// apostrophe, <c>'13800001111</c>: without either, Excel shows 3.71203E+18 and drops a leading zero;</item>
/// <item>抖店 and 拼多多 put a tab before ids for the same reason (trimmed like any white space);</item>
/// <item>amounts carry ¥, its full-width form ￥, or 元.</item>
/// </list>
/// Only identifier-like values are unwrapped: a cell such as <c>=HYPERLINK("…")</c> is kept exactly as typed (and
/// neutralised on export, <see cref="CsvCell"/>).
/// </summary>
public static partial class ExportCells
{
    /// <summary>An order number, phone, SKU or postcode as the shop meant it.</summary>
    public static string Identifier(string value)
    {
        var v = value.Trim();
        if (v.Length > 3 && v[0] == '=' && v[1] == '"' && ExcelTextFormula().Match(v) is { Success: true } m)
        {
            return m.Groups[1].Value;
        }
        return v.Length > 1 && v[0] == '\'' ? v[1..].Trim() : v;
    }

    /// <summary>An amount without its currency sign or unit ("¥128.00", "￥39.90", "25元" → "128.00", "39.90", "25").</summary>
    public static string Amount(string value) =>
        value.Trim().Replace("¥", "", StringComparison.Ordinal).Replace("￥", "", StringComparison.Ordinal).Replace("元", "", StringComparison.Ordinal).Trim();

    /// <summary>
    /// 淘宝's 收货地址 ends with the postcode in brackets: "…文一西路 969 号(311121)" → ("…文一西路 969 号", "311121"). Anything
    /// else is returned as it is, with no postcode.
    /// </summary>
    public static (string Address, string? Postcode) TrailingPostcode(string address)
    {
        var m = BracketedPostcode().Match(address);
        return m.Success ? (address[..m.Index].TrimEnd(), m.Groups[1].Value) : (address, null);
    }

    [GeneratedRegex(@"^=""([0-9A-Za-z_\-]{1,64})""$")]
    private static partial Regex ExcelTextFormula();

    [GeneratedRegex(@"\s*[(（]\s*(\d{6})\s*[)）]\s*$")]
    private static partial Regex BracketedPostcode();
}
