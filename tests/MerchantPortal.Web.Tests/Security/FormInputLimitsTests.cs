using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// 10.6, forms: the inventory of every text input on every page and dialog. Each declares a maximum length, so a
/// browser cannot send an absurd value (and a paste of tens of kilobytes cannot exceed the circuit's 32 KB message
/// limit, which drops the whole page). The services behind the forms check lengths again (the API sweep shows it);
/// this list fails when a new input arrives without a limit.
/// </summary>
public partial class FormInputLimitsTests
{
    /// <summary>Inputs exempt from the rule, each with the reason.</summary>
    private static readonly Dictionary<string, string> Exempt = new()
    {
    };

    [Fact]
    public void Every_text_input_on_every_form_declares_a_maximum_length()
    {
        var root = Path.Combine(RepoRoot(), "src", "MerchantPortal.Web");
        var missing = new List<string>();
        var inputs = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.razor", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var text = File.ReadAllText(file);
            foreach (Match tag in InputTag().Matches(text))
            {
                inputs++;
                var markup = tag.Value;
                // Read-only fields (e.g. "set on …" for a stored secret) take no typing.
                if (MaxLength().IsMatch(markup) || markup.Contains("ReadOnly=\"true\"", StringComparison.Ordinal) || Exempt.ContainsKey(relative))
                {
                    continue;
                }
                var line = text[..tag.Index].Count(c => c == '\n') + 1;
                missing.Add($"{relative}:{line} {markup[..Math.Min(90, markup.Length)].ReplaceLineEndings(" ")}");
            }
        }
        Assert.True(inputs > 40, $"Only {inputs} inputs found: the scan is broken.");
        Assert.True(missing.Count == 0, $"{missing.Count} inputs without a maximum length:\n" + string.Join("\n", missing));
    }

    // A tag's attributes may hold quoted lambdas with "=>" inside; quoted runs are skipped as a whole.
    [GeneratedRegex(@"<(MudTextField|LeanTextField|InputText|InputTextArea|MudAutocomplete)\b(?:""[^""]*""|'[^']*'|[^""'>])*>", RegexOptions.Singleline)]
    private static partial Regex InputTag();

    [GeneratedRegex(@"\b(MaxLength|maxlength)=""[^""]+""")]
    private static partial Regex MaxLength();

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
