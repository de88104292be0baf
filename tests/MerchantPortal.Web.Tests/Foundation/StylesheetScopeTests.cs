using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Foundation;

public partial class StylesheetScopeTests
{
    /// <summary>
    /// The Identity template's floating-label fix (column-reverse on .mb-3 and .form-floating) once applied to every
    /// page and flipped ordinary stacks on portal pages; it must only apply inside the account pages.
    /// </summary>
    [Fact]
    public void The_floating_label_rule_applies_only_inside_the_account_pages()
    {
        var css = File.ReadAllText(Path.Combine(RepoRoot(), "src", "MerchantPortal.Web", "wwwroot", "app.css"));
        css = Regex.Replace(css, @"/\*.*?\*/", "", RegexOptions.Singleline);
        var selectors = Rule().Matches(css).Select(m => m.Groups[1].Value).SelectMany(s => s.Split(','))
            .Select(s => s.Trim())
            .Where(s => Regex.IsMatch(s, @"\.(mb-3|form-floating)\b"))
            .ToList();
        Assert.NotEmpty(selectors);
        Assert.All(selectors, s => Assert.Matches(@"^\.(account-card|manage-panel)\s", s));
    }

    [GeneratedRegex(@"([^{}]+)\{[^}]*\}")]
    private static partial Regex Rule();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
