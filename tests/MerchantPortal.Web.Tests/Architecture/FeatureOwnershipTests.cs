using System.Text.RegularExpressions;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Architecture;

/// <summary>
/// One owner per table (docs/decisions/0001): a feature changes only the entities in its own folder; another
/// feature that needs a change calls the owner's service inside its own transaction.
/// </summary>
public class FeatureOwnershipTests
{
    private static readonly System.Reflection.Assembly Portal = typeof(Order).Assembly;

    [Fact]
    public void No_feature_adds_updates_or_bulk_updates_an_entity_another_feature_owns()
    {
        var writes = FeatureWrites.Find(Portal.GetTypes(), FeatureWrites.Owners(Portal));
        Assert.True(writes.Count == 0, "Cross-feature writes:\n" + string.Join("\n", writes.Select(w => "  " + w)));
    }

    [Fact]
    public void The_check_reports_a_write_planted_in_another_feature()
    {
        var planted = typeof(Features.Waybills.PlantedOrderWriter).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Features.Waybills.PlantedOrderWriter).Namespace);
        var writes = FeatureWrites.Find(planted, FeatureWrites.Owners(Portal));
        Assert.Contains(writes, w => w.Feature == "Waybills" && w.Owner == "Orders" && w.Entity == nameof(Order) && w.How == "ExecuteUpdateAsync");
        Assert.Contains(writes, w => w.Entity == nameof(Order) && w.How == "sets Status of");
        Assert.Contains(writes, w => w.Entity == nameof(OrderHistory) && w.How == "creates");
        Assert.Contains(writes, w => w.Entity == nameof(OrderHistory) && w.How == "Add");
        Assert.All(writes, w => Assert.Equal("PlantedOrderWriter.ReopenAsync", w.Where));
    }

    [Fact]
    public void Every_entity_of_the_portal_database_belongs_to_one_feature()
    {
        var owners = FeatureWrites.Owners(Portal);
        Assert.Contains(typeof(Order), owners.Keys);
        Assert.Equal("Orders", owners[typeof(OrderHistory)]);
        Assert.Equal("Tracking", owners[typeof(Features.Tracking.Shipment)]);
        Assert.Equal("Waybills", owners[typeof(Features.Waybills.Waybill)]);
    }

    [Fact]
    public void No_feature_depends_on_the_composition_root_in_Setup()
    {
        var features = Path.Combine(RepositoryRoot(), "src", "MerchantPortal.Web", "Features");
        var uses = new Regex(@"MerchantPortal\.Web\.Setup\b|(?<![\w.])Setup\.[A-Z]\w*");
        var offenders = Directory.EnumerateFiles(features, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(features, f), Line: i + 1, Text: line.Trim())))
            .Where(l => uses.IsMatch(l.Text))
            .Select(l => $"  {l.File}:{l.Line}: {l.Text}")
            .ToList();
        Assert.True(offenders.Count == 0, "Features that use Setup/ (move the type to Infrastructure/):\n" + string.Join("\n", offenders));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("MerchantPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
