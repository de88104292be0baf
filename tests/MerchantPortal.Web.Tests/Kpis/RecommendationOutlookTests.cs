using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Tracking.Prediction;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// docs/kpis.md "Recommendation from the predicted on-time chance": the lane outlook's chance of arriving within the
/// promise takes the on-time rate's place; without an outlook (or with only the every-carrier level) today's score stays.
/// </summary>
[Collection(KpiPortal.Name)]
public class RecommendationOutlookTests(KpiPortal portal) : IAsyncLifetime
{
    // The fixture first: the rollup's watermark is global, and shipments final today rolled up before the fixture's
    // October ones would leave those behind it.
    public Task InitializeAsync() => portal.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Destination = "青海省";

    [Fact]
    public async Task The_carrier_predicted_to_keep_the_promise_wins_over_one_equally_good_until_now()
    {
        // KPO1 and KPO2: 30 delivered each, all on time. The lanes' history says KPO1 takes four days, KPO2 one.
        // KPO3: half late until now, and no history of its own for the lane.
        await SeedAsync(("KPO1", 30, 0), ("KPO2", 30, 0), ("KPO3", 30, 15));
        var slas = portal.Factory.GetService<SlaRuleService>();
        foreach (var carrier in new[] { "KPO1", "KPO2", "KPO3" })
        {
            await slas.SaveAsync(null, new SlaRuleInput(carrier, null, Destination, 2), "test");
        }
        var outlooks = new FixedOutlooks(new Dictionary<string, LaneOutlook>
        {
            ["KPO1"] = Outlook(LaneLevel.CarrierDestination, days: 4),
            ["KPO2"] = Outlook(LaneLevel.CarrierDestination, days: 1),
            // The every-carrier level says nothing about KPO3 itself.
            ["KPO3"] = Outlook(LaneLevel.AllCarriers, days: 4),
        });

        var before = await Recommend(new FixedOutlooks([]));
        var after = await Recommend(outlooks);

        var kpo = Scores(before);
        Assert.Equal(1.0, kpo["KPO1"].Score!.Value, 6);
        Assert.Equal(1.0, kpo["KPO2"].Score!.Value, 6);
        Assert.Null(kpo["KPO1"].PredictedOnTime);
        var predicted = Scores(after);
        Assert.Equal("KPO2", after.RecommendedCarrier);
        // A 2-day promise is 2 days 12 hours from a midday pickup: beyond KPO2's 95th percentile, near KPO1's 5th.
        var kpo1 = Outlook(LaneLevel.CarrierDestination, 4).OnTimeProbability(KpiRecommendation.PromiseWindow(2));
        Assert.Equal(kpo1, predicted["KPO1"].PredictedOnTime!.Value, 6);
        Assert.True(kpo1 < 0.1, $"four days' transit rarely keeps a two-day promise: {kpo1}");
        Assert.Equal((0.40 * kpo1) + 0.35 + 0.25, predicted["KPO1"].Score!.Value, 6);
        Assert.Equal((LaneLevel.CarrierDestination, 2), (predicted["KPO1"].OutlookLane!.Value, predicted["KPO1"].PromisedDays!.Value));
        Assert.Null(predicted["KPO3"].PredictedOnTime);
        Assert.Equal(0.80, predicted["KPO3"].Score!.Value, 6);
    }

    [Fact]
    public void Without_an_outlook_or_a_promise_there_is_no_predicted_chance()
    {
        var outlook = Outlook(LaneLevel.Carrier, days: 2);

        Assert.Null(KpiRecommendation.PredictedOnTime(null, 2));
        Assert.Null(KpiRecommendation.PredictedOnTime(outlook, null));
        Assert.Null(KpiRecommendation.PredictedOnTime(outlook with { Lane = LaneLevel.AllCarriers }, 2));
        Assert.Equal(outlook.OnTimeProbability(TimeSpan.FromHours(60)), KpiRecommendation.PredictedOnTime(outlook, 2));
    }

    private static Dictionary<string, CarrierScore> Scores(Recommendation r) =>
        r.Carriers.Where(c => c.Carrier.StartsWith("KPO", StringComparison.Ordinal)).ToDictionary(c => c.Carrier);

    /// <summary>Transit quantiles spread evenly around a median of <paramref name="days"/> days (±40%).</summary>
    private static LaneOutlook Outlook(LaneLevel lane, double days) =>
        new(lane, 200, [.. new[] { 0.6, 0.7, 0.85, 1.0, 1.15, 1.3, 1.4 }.Select(f => TimeSpan.FromDays(days * f))]);

    private Task<Recommendation> Recommend(ILaneOutlooks outlooks)
    {
        var f = portal.Factory;
        var recommendation = new KpiRecommendation(f.GetService<KpiQueries>(), f.GetService<IDbContextFactory<PortalDbContext>>(), f.GetService<BusinessCalendar>(),
            f.GetService<RegionCatalog>(), f.GetService<RateCardService>(), f.GetService<IOptions<FreightOptions>>(), outlooks, f.GetService<SlaRuleService>());
        return recommendation.ForAsync(Destination);
    }

    private async Task SeedAsync(params (string Carrier, int Count, int Late)[] carriers)
    {
        var yesterday = DateTime.UtcNow.AddDays(-1);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            foreach (var (carrier, count, late) in carriers)
            {
                for (var i = 0; i < count; i++)
                {
                    var s = KpiFixture.NewShipment(account, carrier, $"{carrier}-{i:00}", Destination, ShipmentStatus.Delivered, yesterday.AddHours(-30), yesterday, 1);
                    s.PromisedByUtc = i < late ? yesterday.AddHours(-1) : yesterday.AddHours(1);
                    db.Add(s);
                }
            }
            await db.SaveChangesAsync();
        }
        await portal.Factory.GetService<KpiRollup>().RunAsync(default);
    }

    private sealed class FixedOutlooks(Dictionary<string, LaneOutlook> byCarrier) : ILaneOutlooks
    {
        public Task<LaneOutlook?> ForAsync(string shipperCode, string? serviceType, string? originProvince, string? destinationProvince, CancellationToken ct = default) =>
            Task.FromResult(destinationProvince == Destination && byCarrier.TryGetValue(shipperCode, out var o) ? o : null);
    }
}
