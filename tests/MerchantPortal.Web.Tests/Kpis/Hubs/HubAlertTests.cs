using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis.Hubs;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Kpis.Freight;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Kpis.Hubs;

/// <summary>
/// Hand-built hubs, all scanned in 2031 (far from any demo data), evaluated at <see cref="Now"/> with the default
/// settings (3 recent days against the 28 before; z ≥ 3, lift ≥ 3 points, ≥ 30 recent and ≥ 100 baseline shipments):
///
/// | hub      | baseline (exceptions / shipments) | recent            | z      | alert |
/// |----------|-----------------------------------|-------------------|--------|-------|
/// | Jump     | 10 / 200 (5 %)                    | 15 / 60 (25 %)    | ≈ 4.6  | yes   |
/// | Steady   | 10 / 200 (5 %)                    | 3 / 60 (5 %)      | 0      | no    |
/// | Tiny     | 10 / 200 (5 %)                    | 5 / 10 (50 %)     | ≈ 5.9  | no: 10 &lt; 30 recent shipments |
/// </summary>
[Collection(FreightPortal.Name)]
public class HubAlertTests(FreightPortal portal)
{
    private static readonly DateTime Now = new(2031, 6, 15, 12, 0, 0, DateTimeKind.Utc);
    private const string Jump = "测试省跃升市", Steady = "测试省平稳市", Tiny = "测试省小样本市";

    [Fact]
    public async Task A_hub_whose_exception_rate_jumps_raises_exactly_one_alert_and_a_steady_or_tiny_sample_hub_raises_none()
    {
        await SeedAsync();
        var clock = new FakeTimeProvider(Now);
        var job = Job(clock);

        Assert.Equal(1, await job.EvaluateAsync());
        // Safe to run twice: the second run (and the recurring entry point behind the gate) updates the open alert.
        Assert.Equal(0, await job.EvaluateAsync());
        await job.RunAsync(CancellationToken.None);

        var alerts = (await portal.Factory.GetService<HubAlertQueries>().ListAsync()).Where(a => a.Hub.StartsWith("测试省", StringComparison.Ordinal)).ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal((Jump, true, 60, 15, 200, 10), (alert.Hub, alert.IsOpen, alert.RecentShipments, alert.RecentExceptions, alert.BaselineShipments, alert.BaselineExceptions));
        Assert.InRange(alert.Z, 4.5, 4.7);

        // The shipments involved are exactly the hub's recent exception shipments.
        var shipments = await portal.Factory.GetService<HubAlertQueries>().ShipmentsAsync(alert.Id);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"HUBJ-R{i:000}"), shipments.Select(s => s.TrackingNo));

        // The alerts page lists it for Ops, and its shipments-list link narrows /shipments to exactly those numbers.
        using var ops = await MerchantPortal.Web.Tests.Infrastructure.PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        Assert.Contains(Jump, System.Net.WebUtility.HtmlDecode(await ops.GetStringAsync("/kpis/hub-alerts")), StringComparison.Ordinal);
        var list = await ops.GetStringAsync("/shipments?trackingNos=" + Uri.EscapeDataString(string.Join(',', shipments.Select(x => x.TrackingNo))));
        Assert.Equal(15, System.Text.RegularExpressions.Regex.Matches(list, "HUBJ-R0\\d\\d</a>").Count);
        Assert.DoesNotContain("HUBJ-S0", list, StringComparison.Ordinal);

        // A week later the jump is in the baseline and the recent days are quiet: the episode closes.
        clock.SetUtcNow(Now.AddDays(7));
        await job.EvaluateAsync();
        var closed = Assert.Single(await portal.Factory.GetService<HubAlertQueries>().ListAsync(), a => a.Hub == Jump);
        Assert.False(closed.IsOpen);
    }

    [Theory]
    [InlineData(15, 60, 10, 200, 4.6)]
    [InlineData(3, 60, 10, 200, 0.0)]
    [InlineData(0, 60, 0, 200, 0.0)]
    public void The_z_statistic_is_the_pooled_two_proportion_test(int x1, int n1, int x0, int n0, double z) =>
        Assert.Equal(z, Math.Round(HubAlertTest.Z(new HubCounts(n1, x1), new HubCounts(n0, x0)), 1));

    private HubAlertJob Job(TimeProvider clock) =>
        new(portal.Factory.GetService<IDbContextFactory<PortalDbContext>>(), portal.Factory.GetService<JobGate>(),
            Options.Create(new HubAlertOptions()), clock, NullLogger<HubAlertJob>.Instance);

    private static string Tag(string hub) => hub switch { Jump => "HUBJ", Steady => "HUBS", _ => "HUBT" };

    private async Task SeedAsync()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var account = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var recentStart = Now.AddDays(-2.5);
        var baselineStart = Now.AddDays(-30);
        var scans = new List<(Shipment Shipment, string Hub, DateTime At, bool Exception)>();
        foreach (var (hub, recentExceptions, recentShipments) in new[] { (Jump, 15, 60), (Steady, 3, 60), (Tiny, 5, 10) })
        {
            // Baseline: 10 of 200 with an exception, every 3 hours from 30 days before now (the last one 5 days before).
            for (var i = 0; i < 200; i++)
            {
                scans.Add((NewShipment(account, $"{Tag(hub)}-B{i:000}"), hub, baselineStart.AddHours(i * 3), i % 20 == 0));
            }
            // Recent: the first N with an exception, every 50 minutes over the last 2.5 days.
            for (var i = 0; i < recentShipments; i++)
            {
                scans.Add((NewShipment(account, $"{Tag(hub)}-{(i < recentExceptions ? "R" : "S")}{i:000}"), hub, recentStart.AddMinutes(i * 50), i < recentExceptions));
            }
        }
        db.AddRange(scans.Select(s => s.Shipment));
        await db.SaveChangesAsync();
        foreach (var (shipment, hub, at, exception) in scans)
        {
            db.Add(Event(shipment.Id, at, hub, ShipmentStatus.InTransit, "到达" + hub));
            if (exception)
            {
                shipment.Status = ShipmentStatus.Exception;
                db.Add(Event(shipment.Id, at.AddMinutes(5), hub, ShipmentStatus.Exception, "异常：" + hub));
            }
        }
        await db.SaveChangesAsync();
    }

    private static Shipment NewShipment(int account, string trackingNo) => new()
    {
        CarrierAccountId = account,
        ShipperCode = "HUBT",
        TrackingNo = trackingNo,
        Status = ShipmentStatus.InTransit,
        CreatedAtUtc = Now.AddDays(-31),
        Version = Guid.NewGuid(),
    };

    private static TrackingEvent Event(long shipmentId, DateTime at, string hub, ShipmentStatus status, string description) =>
        new() { ShipmentId = shipmentId, TimeUtc = at, Location = hub, Description = description, Status = status, Source = TrackingSource.Poll, DedupeKey = TrackingEvent.KeyOf(at, description) };
}
