using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>
/// pdftotext lays text out by position and drops or adds spaces between Chinese and Latin runs ("第 1 / 2 页" reads back as
/// "第1/2页"), so text is compared with every space removed.
/// </summary>
internal static partial class PdfText
{
    public static void Has(string text, string expected) =>
        Assert.True(Flat(text).Contains(Flat(expected), StringComparison.Ordinal), $"\"{expected}\" not in:\n{text}");

    public static void HasNot(string text, string unexpected) =>
        Assert.False(Flat(text).Contains(Flat(unexpected), StringComparison.Ordinal), $"\"{unexpected}\" found in:\n{text}");

    private static string Flat(string s) => Spaces().Replace(s, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
