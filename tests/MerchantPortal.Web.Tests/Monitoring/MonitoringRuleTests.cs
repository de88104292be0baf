using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

public sealed class ClockedPortalFixture : IAsyncLifetime
{
    public ClockedPortal Portal { get; } = new();

    public Task InitializeAsync()
    {
        Portal.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

/// <summary>
/// Every built-in rule on a simulated clock: just before its threshold nothing opens, at the threshold exactly one
/// case opens, and scanning again opens no second one. Tests share one portal and only move its clock forward; each
/// asserts on its own shipments.
/// </summary>
public class MonitoringRuleTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private async Task AssertOpensAtThresholdAsync(long shipmentId, ExceptionType type, TimeSpan threshold)
    {
        P.Advance(threshold - TimeSpan.FromMinutes(1));
        await P.ScanAsync();
        Assert.DoesNotContain(await P.CasesAsync(shipmentId), c => c.Type == type);

        P.Advance(TimeSpan.FromMinutes(1));
        await P.ScanAsync();
        await P.ScanAsync();

        var cases = (await P.CasesAsync(shipmentId)).Where(c => c.Type == type).ToList();
        var only = Assert.Single(cases);
        Assert.Equal(CaseStatus.Open, only.Status);
        Assert.True(await P.OrderFlagAsync(shipmentId), "the order is flagged as having an open exception");
    }

    [Fact]
    public async Task A_parcel_without_a_first_scan_24_hours_after_registration_opens_a_case()
    {
        var s = await P.ShipmentAsync();
        await AssertOpensAtThresholdAsync(s.Id, ExceptionType.NoFirstScan, TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task A_moving_parcel_without_an_update_for_48_hours_opens_a_case()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now, P.Now));
        await AssertOpensAtThresholdAsync(s.Id, ExceptionType.NoUpdate, TimeSpan.FromHours(48));
    }

    [Fact]
    public async Task A_parcel_out_for_delivery_for_12_hours_opens_a_case()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.OutForDeliveryAtUtc) = (ShipmentStatus.OutForDelivery, P.Now, P.Now, P.Now));
        await AssertOpensAtThresholdAsync(s.Id, ExceptionType.OutForDeliveryStalled, TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task A_parcel_left_in_a_locker_for_48_hours_opens_a_case()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.StatusChangedAtUtc) = (ShipmentStatus.AvailableForPickup, P.Now, P.Now, P.Now));
        await AssertOpensAtThresholdAsync(s.Id, ExceptionType.LockerNotCollected, TimeSpan.FromHours(48));
    }

    [Fact]
    public async Task A_parcel_past_its_promised_date_opens_a_case_and_the_carrier_estimate_stands_in_for_a_missing_promise()
    {
        var promised = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.PromisedByUtc, x.EstimatedDeliveryUtc)
            = (ShipmentStatus.InTransit, P.Now, P.Now, P.Now.AddHours(30), P.Now.AddHours(60)));
        var estimated = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.EstimatedDeliveryUtc)
            = (ShipmentStatus.InTransit, P.Now, P.Now, P.Now.AddHours(30)));

        await AssertOpensAtThresholdAsync(promised.Id, ExceptionType.PromisedDateMissed, TimeSpan.FromHours(30));

        Assert.Single(await P.CasesAsync(estimated.Id), c => c.Type == ExceptionType.PromisedDateMissed);
    }

    [Theory]
    [InlineData(ShipmentStatus.Exception, "405", ExceptionType.FailedDelivery)]
    [InlineData(ShipmentStatus.Exception, "404", ExceptionType.Rejected)]
    [InlineData(ShipmentStatus.Exception, "412", ExceptionType.LockerNotCollected)]
    [InlineData(ShipmentStatus.Returning, "407", ExceptionType.ReturningToSender)]
    public async Task A_status_change_opens_its_case_at_once_in_the_same_commit(ShipmentStatus to, string stateEx, ExceptionType expected)
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.OutForDelivery, P.Now, P.Now));

        await P.TransitionAsync(s.Id, to, stateEx);

        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((expected, CaseStatus.Open), (c.Type, c.Status));
        Assert.Equal(P.Now, c.OpenedAtUtc);
        Assert.True(await P.OrderFlagAsync(s.Id));
    }

    [Fact]
    public async Task A_delivered_shipment_closes_its_open_case_with_the_delivered_code_and_clears_the_order_flag()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.OutForDelivery, P.Now, P.Now));
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");
        // A failed delivery with no news for two days stays a failed delivery: one case for the parcel, not a silence too.
        P.Advance(TimeSpan.FromHours(48));
        await P.ScanAsync();
        var open = Assert.Single(await P.CasesAsync(s.Id), c => c.Status != CaseStatus.Resolved);
        Assert.Equal(ExceptionType.FailedDelivery, open.Type);

        await P.TransitionAsync(s.Id, ShipmentStatus.Delivered, "301");

        var cases = await P.CasesAsync(s.Id);
        Assert.All(cases, c => Assert.Equal((CaseStatus.Resolved, CaseWriter.System, (ResolutionCode?)ResolutionCode.Delivered), (c.Status, c.ResolvedBy, c.ResolutionCode)));
        Assert.False(await P.OrderFlagAsync(s.Id));
    }

    [Fact]
    public async Task A_resolved_case_is_not_reopened_for_the_same_silence_but_a_new_silence_opens_a_new_case()
    {
        var s = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now, P.Now));
        P.Advance(TimeSpan.FromHours(48));
        await P.ScanAsync();
        var first = Assert.Single(await P.CasesAsync(s.Id), c => c.Type == ExceptionType.NoUpdate);
        await P.GetService<ExceptionService>().ResolveAsync(first.Id, "carrier says it moves today", "ops@demo.local");

        P.Advance(TimeSpan.FromHours(1));
        await P.ScanAsync();
        Assert.Single(await P.CasesAsync(s.Id), c => c.Type == ExceptionType.NoUpdate);

        await P.TransitionAsync(s.Id, ShipmentStatus.OutForDelivery);
        await P.TransitionAsync(s.Id, ShipmentStatus.InTransit);
        P.Advance(TimeSpan.FromHours(48));
        await P.ScanAsync();
        Assert.Equal(2, (await P.CasesAsync(s.Id)).Count(c => c.Type == ExceptionType.NoUpdate));
    }

    [Fact]
    public async Task A_carrier_specific_rule_outranks_the_default_and_switched_off_it_silences_that_carrier()
    {
        var rules = P.GetService<MonitoringRuleService>();
        var sf = await rules.SaveAsync(new MonitoringRuleInput(0, ExceptionType.NoUpdate, "SF", null, null, 96, ExceptionSeverity.High, 4, true), "admin");
        var jd = await rules.SaveAsync(new MonitoringRuleInput(0, ExceptionType.NoUpdate, "JD", null, null, 1, ExceptionSeverity.Low, 4, false), "admin");
        Assert.True(sf.Ok && jd.Ok);
        var slow = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now, P.Now), "SF");
        var off = await P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc) = (ShipmentStatus.InTransit, P.Now, P.Now), "JD");

        P.Advance(TimeSpan.FromHours(72));
        await P.ScanAsync();
        Assert.Empty(await P.CasesAsync(slow.Id));
        Assert.Empty(await P.CasesAsync(off.Id));

        P.Advance(TimeSpan.FromHours(24));
        await P.ScanAsync();
        var c = Assert.Single(await P.CasesAsync(slow.Id));
        Assert.Equal((ExceptionType.NoUpdate, ExceptionSeverity.High, sf.Id), (c.Type, c.Severity, c.RuleId));
        Assert.Empty(await P.CasesAsync(off.Id));
    }

    [Fact]
    public async Task A_second_open_case_for_a_shipment_of_any_type_is_refused_by_the_database()
    {
        var s = await P.ShipmentAsync(x => x.Status = ShipmentStatus.OutForDelivery);
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");
        await using var db = await P.DbAsync();
        var existing = await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(c => c.ShipmentId == s.Id);
        existing.Id = 0;
        existing.Type = ExceptionType.NoUpdate;
        existing.Notes = [];
        db.Add(existing);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}

public class MonitoringCapTests
{
    [Fact]
    public async Task A_backlog_opens_at_most_the_cap_per_scan_oldest_first_and_the_rest_at_the_next_scans()
    {
        await using var p = new ClockedPortal(overrides: new Dictionary<string, string?> { ["Monitoring:MaxNewCasesPerScan"] = "2" });
        var oldest = await p.ShipmentAsync();
        p.Advance(TimeSpan.FromMinutes(1));
        var middle = await p.ShipmentAsync();
        p.Advance(TimeSpan.FromMinutes(1));
        var newest = await p.ShipmentAsync();
        p.Advance(TimeSpan.FromHours(25));

        var first = await p.ScanAsync();
        Assert.Equal(2, first);
        Assert.Single(await p.CasesAsync(oldest.Id));
        Assert.Single(await p.CasesAsync(middle.Id));
        Assert.Empty(await p.CasesAsync(newest.Id));

        await p.ScanAsync();
        Assert.Single(await p.CasesAsync(newest.Id));
    }
}
