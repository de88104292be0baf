using MerchantPortal.Web.Features.Kpis;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>docs/kpis.md "Recommendation with cost": 0.85 × quality + 0.15 × cheapest ÷ cost.</summary>
public class RecommendationCostTests
{
    [Theory]
    [InlineData(0.90, 10, 10, 0.915)]
    [InlineData(0.90, 20, 10, 0.840)]
    [InlineData(0.88, 10, 10, 0.898)]
    public void The_cost_share_is_the_cheapest_cost_over_the_carriers_own(double quality, int cost, int cheapest, double score) =>
        Assert.Equal(score, Math.Round(KpiRecommendation.WithCost(quality, cost, cheapest)!.Value, 3));

    [Fact]
    public void A_slightly_worse_carrier_at_half_the_price_outscores_a_dearer_one() =>
        Assert.True(KpiRecommendation.WithCost(0.88, 10m, 10m) > KpiRecommendation.WithCost(0.90, 20m, 10m));

    [Fact]
    public void A_carrier_without_a_quality_score_gets_no_score_from_cost_alone() =>
        Assert.Null(KpiRecommendation.WithCost(null, 10m, 10m));
}
