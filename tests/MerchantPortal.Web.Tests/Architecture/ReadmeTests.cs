using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Architecture;

/// <summary>
/// The repository explains itself: README.md names every decision record and every feature folder, and every document
/// the code cites is in the repository. Reads files only; no portal is started.
/// </summary>
public class ReadmeTests
{
    private static readonly Lazy<string> Root = new(FindRoot);

    [Fact]
    public void The_readme_mentions_every_decision_record()
    {
        var records = Directory.GetFiles(Path.Combine(Root.Value, "docs", "decisions"), "*.md").Select(Path.GetFileName).ToList();
        Assert.NotEmpty(records);
        var missing = ReadmeChecks.NotMentioned(ReadReadme(), records!);
        Assert.True(missing.Count == 0, "README.md does not mention these decision records:\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public void The_readme_mentions_every_feature_folder()
    {
        // Written as a folder ("Orders/"), as the code map does: the bare word "Admin" or "Orders" is everywhere.
        var features = Directory.GetDirectories(Path.Combine(Root.Value, "src", "MerchantPortal.Web", "Features"))
            .Select(d => Path.GetFileName(d) + "/").ToList();
        Assert.NotEmpty(features);
        var missing = ReadmeChecks.NotMentioned(ReadReadme(), features!);
        Assert.True(missing.Count == 0, "README.md does not mention these folders under src/MerchantPortal.Web/Features/:\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public void Every_document_the_code_cites_exists()
    {
        var root = Root.Value;
        var docs = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).ToList();
        var missing = new List<string>();
        foreach (var (file, text) in SourceFiles(root, "src"))
            missing.AddRange(ReadmeChecks.MissingCitations(text, docs, p => File.Exists(Path.Combine(root, p)), docsPathsOnly: false)
                .Select(m => $"{file}: {m}"));
        // Tests also cite outside references (fixtures' own READMEs, the Standard Webhooks spec): only their docs/ paths are checked.
        foreach (var (file, text) in SourceFiles(root, "tests"))
            missing.AddRange(ReadmeChecks.MissingCitations(text, docs, p => File.Exists(Path.Combine(root, p)), docsPathsOnly: true)
                .Select(m => $"{file}: {m}"));
        Assert.True(missing.Count == 0, "Cited documents that are not in the repository:\n  " + string.Join("\n  ", missing.Distinct()));
    }

    [Fact]
    public void A_planted_decision_record_or_feature_missing_from_the_readme_is_reported()
    {
        const string readme = "See [Tracking](docs/decisions/0008-tracking.md). Features: Orders/ the order list.";
        var missing = ReadmeChecks.NotMentioned(readme, ["0008-tracking.md", "0099-planted-decision.md", "Orders/", "PlantedFeature/", "Tracking/"]);
        Assert.Equal(["0099-planted-decision.md", "PlantedFeature/", "Tracking/"], missing);
    }

    [Fact]
    public void A_feature_named_only_inside_a_longer_word_is_not_mentioned()
    {
        var missing = ReadmeChecks.NotMentioned("The ReturnsPolicy page.", ["Returns"]);
        Assert.Equal(["Returns"], missing);
    }

    [Fact]
    public void A_planted_citation_of_a_missing_document_is_reported()
    {
        string[] docs = ["docs/carrier-protocol.md", "docs/decisions/0008-tracking.md"];
        var exists = (string path) => path is "wwwroot-assets/README.md" || docs.Contains(path);
        const string code = """
            // carrier-protocol.md §2.5: the push is answered within 3 s.
            // See docs/decisions/0008-tracking.md and wwwroot-assets/README.md; README.md has the commands.
            // planted-missing.md §1 explains nothing, and docs/planted-gone.md neither.
            """;

        var fromSrc = ReadmeChecks.MissingCitations(code, docs, exists, docsPathsOnly: false);
        Assert.Equal(["docs/planted-gone.md", "planted-missing.md"], fromSrc);

        var fromTests = ReadmeChecks.MissingCitations(code, docs, exists, docsPathsOnly: true);
        Assert.Equal(["docs/planted-gone.md"], fromTests);
    }

    private static string ReadReadme() => File.ReadAllText(Path.Combine(Root.Value, "README.md"));

    private static IEnumerable<(string File, string Text)> SourceFiles(string root, string folder) =>
        Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.EndsWith(nameof(ReadmeTests) + ".cs", StringComparison.Ordinal)) // its planted names are meant to be missing
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
                return dir.FullName;
        throw new InvalidOperationException("No folder holding MerchantPortal.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>The checks of <see cref="ReadmeTests"/> as pure functions over text, so that a planted name can be seen reported.</summary>
public static partial class ReadmeChecks
{
    /// <summary>
    /// The names that <paramref name="readme"/> does not contain as a whole word (a name inside a longer word does not
    /// count). A name ending in "/" is a folder and may be followed by anything ("Orders/Import").
    /// </summary>
    public static List<string> NotMentioned(string readme, IEnumerable<string> names) =>
        names.Where(n => !Regex.IsMatch(readme, $@"(?<![\w-]){Regex.Escape(n)}" + (n.EndsWith('/') ? "" : @"(?![\w-])"))).ToList();

    /// <summary>
    /// The <c>*.md</c> names cited in <paramref name="text"/> that do not exist, sorted. A cited path (<c>docs/kpis.md</c>,
    /// <c>wwwroot-assets/README.md</c>) must exist from the repository root (<paramref name="exists"/>); a bare name
    /// (<c>carrier-protocol.md</c>) must be the name of a file in <paramref name="docs"/> or be README.md. With
    /// <paramref name="docsPathsOnly"/> only citations starting with <c>docs/</c> are checked.
    /// </summary>
    public static List<string> MissingCitations(string text, IReadOnlyCollection<string> docs, Func<string, bool> exists, bool docsPathsOnly)
    {
        var docNames = docs.Select(d => d[(d.LastIndexOf('/') + 1)..]).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in CitedMarkdown().Matches(text))
        {
            var cited = m.Value.TrimStart('.', '/');
            if (cited.StartsWith("http", StringComparison.Ordinal)) continue;
            var isDocsPath = cited.StartsWith("docs/", StringComparison.Ordinal);
            if (docsPathsOnly && !isDocsPath) continue;
            var found = cited.Contains('/') ? exists(cited) : cited == "README.md" || docNames.Contains(cited);
            if (!found) missing.Add(cited);
        }
        return missing.ToList();
    }

    [GeneratedRegex(@"(?<![\w/.:-])[\w./-]*\w\.md\b")]
    private static partial Regex CitedMarkdown();
}
