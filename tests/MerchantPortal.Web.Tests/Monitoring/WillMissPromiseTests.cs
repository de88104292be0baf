using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// The proactive case on the sandbox clock: when the portal's prediction moves past the promise, a "will miss the
/// promise" case opens before the date, with why; it closes by itself when the parcel catches up, and becomes the
/// "promised date missed" case if the date passes. The prediction is written as Tracking's predictor leaves it on the
/// shipment (<see cref="PredictAsync"/>); once the predictor runs in this portal, that step is the predictor's sweep.
/// </summary>
public class WillMissPromiseTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    /// <summary>What Tracking's predictor leaves on the shipment: expected delivery and window, made now.</summary>
    private async Task PredictAsync(long shipmentId, TimeSpan expectedIn, TimeSpan latestIn, DeliveryStage stage = DeliveryStage.InTransit)
    {
        await using var db = await P.DbAsync();
        var now = P.Now;
        await db.Set<Shipment>().Where(s => s.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PredictedDeliveryUtc, now + expectedIn)
            .SetProperty(s => s.PredictedEarliestUtc, now + expectedIn - TimeSpan.FromHours(6))
            .SetProperty(s => s.PredictedLatestUtc, now + latestIn)
            .SetProperty(s => s.PredictedAtUtc, now)
            .SetProperty(s => s.PredictedFromStage, stage));
    }

    private Task<Shipment> InTransitAsync(TimeSpan promisedIn) =>
        P.ShipmentAsync(x => (x.Status, x.FirstScanAtUtc, x.LastEventAtUtc, x.PromisedByUtc) = (ShipmentStatus.InTransit, P.Now, P.Now, P.Now + promisedIn));

    [Fact]
    public async Task A_parcel_stuck_at_a_hub_opens_a_will_miss_case_before_the_promised_date_and_catching_up_closes_it()
    {
        var s = await InTransitAsync(TimeSpan.FromHours(72));
        await PredictAsync(s.Id, TimeSpan.FromHours(48), TimeSpan.FromHours(60));
        await P.ScanAsync();
        Assert.Empty(await P.CasesAsync(s.Id));

        // A day and a half without a scan: the prediction now lands after the promise, which is still 36 hours away.
        P.Advance(TimeSpan.FromHours(36));
        await PredictAsync(s.Id, TimeSpan.FromHours(50), TimeSpan.FromHours(60));
        await P.ScanAsync();
        await P.ScanAsync();

        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((ExceptionType.WillMissPromise, CaseStatus.Open, (LateCause?)LateCause.StuckAtHub), (c.Type, c.Status, c.LateCause));
        Assert.True(c.OpenedAtUtc < s.PromisedByUtc, "opened before the promise is missed");
        Assert.True(c.DueAtUtc <= s.PromisedByUtc, "to be handled before the promise falls due");
        Assert.False(c.CustomerVisible, "the customer cannot see a forecast yet");

        // A scan and a new prediction back inside the promise: the case closes itself.
        P.Advance(TimeSpan.FromHours(2));
        await PredictAsync(s.Id, TimeSpan.FromHours(20), TimeSpan.FromHours(30));
        await P.ScanAsync();

        var closed = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((CaseStatus.Resolved, CaseWriter.System, MonitoringScanJob.CaughtUp), (closed.Status, closed.ResolvedBy, closed.Resolution));
        Assert.False(await P.OrderFlagAsync(s.Id));
    }

    [Fact]
    public async Task A_parcel_on_a_slow_lane_opens_a_will_miss_case_that_becomes_the_missed_date_case_when_the_date_passes()
    {
        var s = await InTransitAsync(TimeSpan.FromHours(30));
        // Scanned an hour ago: moving, only slower than the promise allowed.
        P.Advance(TimeSpan.FromHours(1));
        await PredictAsync(s.Id, TimeSpan.FromHours(40), TimeSpan.FromHours(50));
        await P.ScanAsync();

        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((ExceptionType.WillMissPromise, (LateCause?)LateCause.LaneSlower), (c.Type, c.LateCause));

        P.Advance(TimeSpan.FromHours(30));
        await P.ScanAsync();

        var missed = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal((c.Id, ExceptionType.PromisedDateMissed, CaseStatus.Open), (missed.Id, missed.Type, missed.Status));
        Assert.True(missed.CustomerVisible);
        await using var db = await P.DbAsync();
        Assert.Contains(await db.Set<ExceptionCaseNote>().Where(n => n.CaseId == c.Id).Select(n => n.Text).ToListAsync(), t => t == "WillMissPromise → PromisedDateMissed");
    }

    [Fact]
    public async Task A_parcel_predicted_inside_its_promise_opens_nothing()
    {
        var s = await InTransitAsync(TimeSpan.FromHours(48));
        await PredictAsync(s.Id, TimeSpan.FromHours(30), TimeSpan.FromHours(47));

        await P.ScanAsync();

        Assert.Empty(await P.CasesAsync(s.Id));
    }
}
