using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>The KPI destination map: the route picture's China outline, a legend, and labels that never overlap.</summary>
public class ProvinceMapTests : BunitTestBase
{
    private static readonly ProvinceMap Map = new();

    [Fact]
    public void Labels_placed_for_every_province_at_full_weight_never_overlap_and_stay_inside_the_picture()
    {
        var placed = ProvinceMap.Layout(Map.Points.Select(p => (p, 16.0, p.NameEn, 100.0)), maxLabels: 100);

        var boxes = placed.Select(p => p.Label).OfType<LabelBox>().ToList();
        Assert.True(boxes.Count >= 10, $"only {boxes.Count} labels fit");
        AssertApart(boxes);
        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= ProvinceMap.Width && b.Y + b.Height <= ProvinceMap.Height, b.ToString()));
    }

    [Fact]
    public void The_busiest_provinces_get_labels_first_and_the_rest_keep_their_name_in_the_tooltip_only()
    {
        var weights = Map.Points.Select((p, i) => (p, 8.0, p.ShortName, (double)(i + 1))).ToList();

        var placed = ProvinceMap.Layout(weights, maxLabels: 5);

        Assert.Equal(Map.Points.Count, placed.Count);
        Assert.Equal(5, placed.Count(p => p.Label is not null));
        Assert.NotNull(placed[0].Label);
        Assert.Equal(weights[^1].p, placed[0].Point);
    }

    [Fact]
    public void A_province_without_shipments_gets_no_label()
    {
        var placed = ProvinceMap.Layout([(Map.Points[0], 3.0, "Beijing", 0.0)]);

        Assert.Null(Assert.Single(placed).Label);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void The_map_draws_the_china_outline_a_legend_and_labels_whose_boxes_do_not_intersect(string culture)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Services.AddSingleton(Map);
        // Every province with shipments: the crowded east coast is where labels would collide.
        var provinces = Map.Points.Select((p, i) => new KpiMapProvince(p.Province, 10 + (i * 37 % 300), "#43a047", "On-time rate: 90%", "/shipments")).ToList();

        var map = Context.Render<KpiProvinceMap>(p => p
            .Add(c => c.Provinces, provinces).Add(c => c.ScaleColors, ["#c62828", "#f9a825", "#2e7d32"])
            .Add(c => c.ColorTitle, "On-time rate").Add(c => c.LowText, "71.0%").Add(c => c.HighText, "98.5%"));

        Assert.Equal(ChinaOutline.Path, map.Find("[data-testid=kpi-map-outline]").GetAttribute("d"));
        var legend = map.Find("[data-testid=kpi-map-legend]");
        Assert.Equal("71.0%", legend.QuerySelector("[data-testid=kpi-map-legend-low]")!.TextContent);
        Assert.Equal("98.5%", legend.QuerySelector("[data-testid=kpi-map-legend-high]")!.TextContent);
        Assert.Contains("On-time rate", legend.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, legend.QuerySelectorAll("stop").Length);
        Assert.Contains(map.FindAll("[data-testid=kpi-map-svg] circle"), c => c.GetAttribute("data-province") == provinces[0].Province);
        var labels = map.FindAll("[data-testid=kpi-map-label]");
        Assert.InRange(labels.Count, 5, ProvinceMap.MaxLabels);
        var boxes = labels.Select(l =>
        {
            var v = l.GetAttribute("data-box")!.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return new LabelBox(v[0], v[1], v[2], v[3]);
        }).ToList();
        AssertApart(boxes);
        // A province without a label still names itself in its circle's tooltip.
        Assert.Equal(Map.Points.Count, map.FindAll("[data-testid=kpi-map-svg] circle title").Count);
    }

    private static void AssertApart(IReadOnlyList<LabelBox> boxes)
    {
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                Assert.False(boxes[i].Intersects(boxes[j]), $"{boxes[i]} overlaps {boxes[j]}");
            }
        }
    }
}
