using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using Scan = MerchantPortal.Carriers.TrackingEvent;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>What one snapshot does to one shipment, decided from records alone: no portal, no database.</summary>
public class SnapshotRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime FutureAfter = Now.AddMinutes(10);

    private static ShipmentState Shipment(ShipmentStatus status = ShipmentStatus.Pending) =>
        new(status, null, null, null, null, null, 0, null, null, null, null, null, null, "浙江省", Subscribed: true);

    private static TrackingSnapshot Snapshot(ShipmentStatus status, params Scan[] scans) =>
        new("ZTO", "T1", status, "2", null, "杭州", null, scans);

    private static Scan At(int hoursAgo, ShipmentStatus status, string text = "scan") => new(Now.AddHours(-hoursAgo), text + hoursAgo, "杭州", null, status);

    private static SnapshotDecision Decide(ShipmentState state, TrackingSnapshot snapshot, IReadOnlySet<string>? known = null, NewestScan? newest = null) =>
        SnapshotRules.Decide(state, snapshot, known ?? new HashSet<string>(), newest, Now, FutureAfter);

    [Fact]
    public void A_first_scan_ships_the_parcel_and_the_newest_scan_decides_the_transition()
    {
        var decision = Decide(Shipment(), Snapshot(ShipmentStatus.InTransit, At(5, ShipmentStatus.PickedUp), At(2, ShipmentStatus.InTransit)));

        Assert.Equal(2, decision.Scans.Count);
        Assert.Equal(ShipmentStatus.InTransit, decision.After.Status);
        Assert.Equal(Now.AddHours(-5), decision.After.FirstScanAtUtc);
        Assert.Equal(Now.AddHours(-2), decision.After.LastEventAtUtc);
        Assert.Equal((ShipmentStatus.Pending, ShipmentStatus.InTransit, Now.AddHours(-2)), (decision.Transition!.Value.From, decision.Transition.Value.To, decision.Transition.Value.Scan!.TimeUtc));
        Assert.Equal("2", decision.After.RawState);
        Assert.Equal(Now, decision.After.StatusChangedAtUtc);
    }

    [Fact]
    public void A_replayed_snapshot_adds_no_scan_and_changes_no_status()
    {
        var snapshot = Snapshot(ShipmentStatus.InTransit, At(5, ShipmentStatus.PickedUp), At(2, ShipmentStatus.InTransit));
        var first = Decide(Shipment(), snapshot);

        var again = Decide(first.After, snapshot, first.Scans.Select(s => s.DedupeKey).ToHashSet(), first.Newest);

        Assert.Empty(again.Scans);
        Assert.Null(again.Transition);
        Assert.Equal(ShipmentStatus.InTransit, again.After.Status);
    }

    [Fact]
    public void A_stale_snapshot_cannot_move_the_status_back_the_newest_stored_scan_decides()
    {
        var stored = new NewestScan(Now.AddHours(-1), ShipmentStatus.OutForDelivery, "派送中", "杭州");

        var decision = Decide(Shipment(ShipmentStatus.OutForDelivery), Snapshot(ShipmentStatus.InTransit, At(3, ShipmentStatus.InTransit)), newest: stored);

        Assert.Single(decision.Scans);
        Assert.Null(decision.Transition);
        Assert.Equal(ShipmentStatus.OutForDelivery, decision.After.Status);
        Assert.Null(decision.After.RawState);
    }

    [Fact]
    public void A_late_scan_never_reopens_a_delivered_shipment()
    {
        var delivered = Shipment(ShipmentStatus.Delivered) with { FinalAtUtc = Now.AddHours(-4), DeliveredAtUtc = Now.AddHours(-4) };

        var decision = Decide(delivered, Snapshot(ShipmentStatus.InTransit, At(1, ShipmentStatus.InTransit)));

        Assert.Equal(ShipmentStatus.Delivered, decision.After.Status);
        Assert.Equal(ShipmentStatus.InTransit, decision.RefusedReopening);
        Assert.Null(decision.Transition);
    }

    [Fact]
    public void A_scan_dated_in_the_future_is_stored_flagged_and_decides_nothing()
    {
        var future = new Scan(Now.AddHours(3), "签收", "杭州", null, ShipmentStatus.Delivered);

        var decision = Decide(Shipment(ShipmentStatus.InTransit), Snapshot(ShipmentStatus.Delivered, At(2, ShipmentStatus.InTransit), future));

        Assert.Equal([false, true], decision.Scans.Select(s => s.DatedInFuture));
        Assert.Equal(ShipmentStatus.InTransit, decision.After.Status);
        Assert.Equal(Now.AddHours(-2), decision.After.FirstScanAtUtc);
        Assert.Equal(Now.AddHours(-2), decision.After.LastEventAtUtc);
    }

    [Fact]
    public void Delivery_sets_final_and_delivered_times_from_the_deciding_scan_and_counts_the_delivery_attempt()
    {
        var decision = Decide(Shipment(ShipmentStatus.InTransit),
            Snapshot(ShipmentStatus.Delivered, At(3, ShipmentStatus.OutForDelivery), At(1, ShipmentStatus.Delivered)));

        Assert.Equal(ShipmentStatus.Delivered, decision.After.Status);
        Assert.Equal((Now.AddHours(-1), Now, Now.AddHours(-3), 1), (decision.After.DeliveredAtUtc, decision.After.FinalAtUtc, decision.After.OutForDeliveryAtUtc, decision.After.DeliveryAttempts));
    }
}
