using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>The KPI API, the recommendation, the SLA rules API, the page, the drill-down and the export over HTTP.</summary>
[Collection(KpiPortal.Name)]
public class KpiApiTests(KpiPortal portal) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task InitializeAsync() => portal.SeededAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_carriers_endpoint_answers_the_fixture_with_rates_percentiles_and_samples()
    {
        using var api = portal.Factory.CreateApiClient();
        var rows = await api.GetFromJsonAsync<List<KpiCarrierRow>>("/api/v1/kpis/carriers?from=2026-10-05&to=2026-10-05", Json);
        var kpa = Assert.Single(rows!, r => r.Carrier == KpiFixture.Carrier);
        Assert.Equal(new KpiCarrierRow(KpiFixture.Carrier, 8, 0.75, 0.6, 0.8333, 0.25, 0.25, 26.0, 100.8, 44.4, 5, 6), kpa);

        var bad = await api.GetAsync("/api/v1/kpis/carriers?days=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("days", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lanes_endpoint_narrows_to_a_destination()
    {
        using var api = portal.Factory.CreateApiClient();
        var rows = await api.GetFromJsonAsync<List<KpiLaneRow>>($"/api/v1/kpis/lanes?from=2026-10-05&to=2026-10-05&carrier=KPA&destinationProvince={Uri.EscapeDataString(KpiFixture.LaneY)}", Json);
        var lane = Assert.Single(rows!);
        Assert.Equal((KpiFixture.Origin, KpiFixture.LaneY, 4, 0.75, 0.5, 0.5), (lane.OriginProvince, lane.DestinationProvince, lane.Shipments, lane.DeliveredRate, lane.OnTimeRate, lane.ReturnRate));
    }

    [Fact]
    public async Task The_recommendation_picks_the_best_score_among_carriers_with_enough_shipments()
    {
        const string destination = "海南省";
        var yesterday = DateTime.UtcNow.AddDays(-1);
        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        int account;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            // KPR1: 30 delivered, all on time. KPR2: 30 delivered, 15 late. KPR3: 5 perfect ones, too few to count.
            foreach (var (carrier, count, late) in new[] { ("KPR1", 30, 0), ("KPR2", 30, 15), ("KPR3", 5, 0) })
            {
                for (var i = 0; i < count; i++)
                {
                    var s = KpiFixture.NewShipment(account, carrier, $"{carrier}-{i:00}", destination, ShipmentStatus.Delivered, yesterday.AddHours(-30), yesterday, 1);
                    s.PromisedByUtc = i < late ? yesterday.AddHours(-1) : yesterday.AddHours(1);
                    db.Add(s);
                }
            }
            // The waybill batch gets an enabled account of the winner.
            db.Add(new CarrierAccount
            {
                Name = "KPR1 account", EBusinessId = "kpr1", AppKeyProtected = "-", ShipperCode = "KPR1", Version = Guid.NewGuid(),
                CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await portal.Factory.GetService<KpiRollup>().RunAsync(default);

        using var api = portal.Factory.CreateApiClient();
        var answer = await api.GetFromJsonAsync<Recommendation>($"/api/v1/kpis/recommendation?destinationProvince={Uri.EscapeDataString("海南")}", Json);
        Assert.Equal(destination, answer!.DestinationProvince);
        Assert.Equal("KPR1", answer.RecommendedCarrier);
        // The demo shipments of the portal may add carriers of their own to 海南; the fixture's three keep their order.
        var fixture = answer.Carriers.Where(c => c.Carrier.StartsWith("KPR", StringComparison.Ordinal)).ToList();
        Assert.Equal(["KPR1", "KPR2", "KPR3"], fixture.Select(c => c.Carrier));
        Assert.Equal(1.0, fixture[0].Score!.Value, 6);
        // KPR2: 0.40 × 0.5 + 0.35 × 1 + 0.25 × 1.
        Assert.Equal(0.80, fixture[1].Score!.Value, 6);
        Assert.False(fixture[2].Eligible);
        var accountId = await portal.Factory.GetService<IRecommendedCarrier>().ForDestinationAsync(destination);
        await using var check = await dbFactory.CreateDbContextAsync();
        Assert.Equal("KPR1", await check.Set<CarrierAccount>().Where(a => a.Id == accountId).Select(a => a.ShipperCode).SingleAsync());

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/kpis/recommendation")).StatusCode);
    }

    [Fact]
    public async Task SLA_rules_are_created_and_refused_with_the_field_named()
    {
        using var api = portal.Factory.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/sla-rules/", new SlaRuleInput("kps", "浙江", "广东省", 1));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<SlaRuleView>(Json);
        Assert.Equal(("KPS", "浙江省", "广东省", 1), (rule!.ShipperCode, rule.OriginProvince, rule.DestinationProvince, rule.PromisedDays));

        var duplicate = await api.PostAsJsonAsync("/api/v1/sla-rules/", new SlaRuleInput("KPS", "浙江省", "广东省", 2));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var invalid = await api.PostAsJsonAsync("/api/v1/sla-rules/", new SlaRuleInput("KPS", "Atlantis", null, 0));
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("originProvince", problem, StringComparison.Ordinal);
        Assert.Contains("promisedDays", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/sla-rules/{rule.Id}")).StatusCode);
    }

    [Fact]
    public async Task Ops_see_the_KPI_page_and_a_drill_down_shows_the_cells_count()
    {
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var page = await ops.GetAsync("/kpis");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("kpis-cards", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var late = new KpiDrillDown(new KpiFilter(KpiFixture.Day, KpiFixture.Day, KpiFixture.Carrier), OnTime: false).ToShipmentsUrl();
        var list = await ops.GetStringAsync(late);
        Assert.Contains("data-testid=\"shipments-kpi-count\">2<", list, StringComparison.Ordinal);
        Assert.Contains(KpiFixture.TrackingNo(3), list, StringComparison.Ordinal);
        Assert.DoesNotContain(KpiFixture.TrackingNo(1), list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_holds_the_carriers_lanes_and_trend_of_the_period()
    {
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var response = await ops.GetAsync($"{KpiEndpoints.ExportPath}?from=2026-10-05&to=2026-10-06");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var xlsx = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["carriers", "lanes", "trend"], MiniExcel.GetSheetNames(xlsx));
        var carriers = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "carriers").Cast<IDictionary<string, object?>>().ToList();
        var kpa = Assert.Single(carriers, r => (string?)r["carrier"] == KpiFixture.Carrier);
        Assert.Equal(8.0, Convert.ToDouble(kpa["shipments"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "lanes").Cast<IDictionary<string, object?>>().Count(r => (string?)r["carrier"] == KpiFixture.Carrier));
    }
}
