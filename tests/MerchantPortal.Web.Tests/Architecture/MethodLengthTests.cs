using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MerchantPortal.Web.Tests.Architecture;

/// <summary>
/// Methods short enough to read in one screen: an endpoint's Map method is a route table (each route names a
/// handler), at most 40 lines; any other method, constructor or local function at most 80 lines.
/// </summary>
public class MethodLengthTests
{
    [Fact]
    public void No_Map_method_of_an_endpoint_file_is_over_40_lines_and_no_method_is_over_80()
    {
        var src = Path.Combine(FeatureOwnershipTests.RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "Migrations" or "obj" or "bin"));
        var offenders = files
            .SelectMany(f => MethodLengths.Offenders(Path.GetRelativePath(src, f), File.ReadAllText(f)))
            .ToList();
        Assert.True(offenders.Count == 0, MethodLengths.Describe(offenders));
    }

    [Fact]
    public void The_check_reports_a_planted_81_line_method_and_a_41_line_Map_method()
    {
        var body = string.Join("\n", Enumerable.Range(0, 78).Select(i => $"        var x{i} = {i};"));
        var routes = string.Join("\n", Enumerable.Range(0, 38).Select(i => $"        app.MapGet(\"/r{i}\", () => {i});"));
        var source = $$"""
            namespace Planted;

            public static class PlantedEndpoints
            {
                public static void MapPlanted(object app)
                {
            {{routes}}
                }

                public static void Long()
                {
            {{body}}
                }

                public static void Short()
                {
                }
            }
            """;

        var offenders = MethodLengths.Offenders("Features/Planted/PlantedEndpoints.cs", source);

        Assert.Equal(2, offenders.Count);
        Assert.Equal(new MethodLength("Features/Planted/PlantedEndpoints.cs", "PlantedEndpoints.Long", 81, 80), offenders[0]);
        Assert.Equal(new MethodLength("Features/Planted/PlantedEndpoints.cs", "PlantedEndpoints.MapPlanted", 41, 40), offenders[1]);
        Assert.StartsWith("2 methods over their limit, longest first:\n  81 lines (limit 80) Features/Planted/PlantedEndpoints.cs PlantedEndpoints.Long",
            MethodLengths.Describe(offenders), StringComparison.Ordinal);
    }
}

public sealed record MethodLength(string File, string Method, int Lines, int Limit)
{
    public override string ToString() => $"{Lines} lines (limit {Limit}) {File} {Method}";
}

/// <summary>Line counts of methods, constructors, accessors and local functions, from the first to the last line of the declaration.</summary>
public static class MethodLengths
{
    public const int MapLimit = 40;
    public const int MethodLimit = 80;

    public static List<MethodLength> Offenders(string file, string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, path: file).GetRoot();
        var isEndpointFile = Path.GetFileNameWithoutExtension(file).EndsWith("Endpoints", StringComparison.Ordinal)
            || Path.GetFileNameWithoutExtension(file).Contains("EndpointRouteBuilder", StringComparison.Ordinal);
        return root.DescendantNodes()
            .Select(node => Measure(file, node, isEndpointFile))
            .OfType<MethodLength>()
            .Where(m => m.Lines > m.Limit)
            .OrderByDescending(m => m.Lines)
            .ToList();
    }

    public static string Describe(IReadOnlyList<MethodLength> offenders)
    {
        var text = new StringBuilder($"{offenders.Count} methods over their limit, longest first:");
        foreach (var offender in offenders.OrderByDescending(o => o.Lines))
        {
            text.Append("\n  ").Append(offender);
        }
        return text.ToString();
    }

    private static MethodLength? Measure(string file, SyntaxNode node, bool isEndpointFile)
    {
        var name = node switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            ConstructorDeclarationSyntax c => c.Identifier.Text + ".ctor",
            LocalFunctionStatementSyntax l => l.Identifier.Text,
            AccessorDeclarationSyntax a => (a.Parent?.Parent as PropertyDeclarationSyntax)?.Identifier.Text + "." + a.Keyword.Text,
            _ => null,
        };
        if (name is null)
        {
            return null;
        }
        var span = node.GetLocation().GetLineSpan();
        var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
        var type = node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text;
        var qualified = type is null ? name : type + "." + name;
        var limit = isEndpointFile && node is MethodDeclarationSyntax && name.StartsWith("Map", StringComparison.Ordinal) ? MapLimit : MethodLimit;
        return new MethodLength(file, qualified, lines, limit);
    }
}
