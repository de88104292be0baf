using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

[Collection(SharedPortal.Name)]
public class PushTests(SharedPortal portal)
{
    private static readonly Trace PickedUp = new("2026-11-26 09:00:00", "【杭州市】快件已揽收", "1");
    private static readonly Trace Moving = new("2026-11-26 21:00:00", "【杭州市】快件已发往 上海转运中心", "2");
    private static readonly Trace OutForDelivery = new("2026-11-27 08:30:00", "【上海市】快件派送中", "202", "上海市");
    private static readonly Trace Signed = new("2026-11-27 11:00:00", "【上海市】快件已签收", "301", "上海市");

    [Fact]
    public async Task A_push_with_a_forged_sign_stores_nothing_and_answers_Success_false()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);

        var answer = await PushAsync(portal.Factory, PushJson(number, "2", "2", PickedUp, Moving), sign: KdniaoSigner.Sign("{}", "not-the-app-key"));

        Assert.False(answer.GetProperty("Success").GetBoolean());
        Assert.Equal(EBusinessId, answer.GetProperty("EBusinessID").GetString());
        var (shipment, events) = await LoadAsync(portal.Factory, number);
        Assert.Empty(events);
        Assert.Equal((ShipmentStatus.Pending, (TrackingSource?)null), (shipment.Status, shipment.LastSource));
    }

    [Fact]
    public async Task A_signed_push_stores_its_scans_and_the_status_and_a_replay_stores_nothing_new()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        var push = PushJson(number, "2", "2", PickedUp, Moving);

        var first = await PushAsync(portal.Factory, push);
        var afterFirst = await LoadAsync(portal.Factory, number);
        var replay = await PushAsync(portal.Factory, push);
        var afterReplay = await LoadAsync(portal.Factory, number);

        Assert.True(first.GetProperty("Success").GetBoolean());
        Assert.True(replay.GetProperty("Success").GetBoolean());
        Assert.Equal(2, afterFirst.Events.Count);
        Assert.Equal(afterFirst.Events.Select(e => e.Id), afterReplay.Events.Select(e => e.Id));
        Assert.Equal(ShipmentStatus.InTransit, afterReplay.Shipment.Status);
        Assert.Equal(TrackingSource.Push, afterReplay.Shipment.LastSource);
        Assert.Equal(new DateTime(2026, 11, 26, 13, 0, 0, DateTimeKind.Utc), afterReplay.Shipment.LastEventAtUtc);
        Assert.NotNull(afterReplay.Shipment.NextCheckAtUtc);
    }

    [Fact]
    public async Task A_final_state_is_not_regressed_by_a_late_scan()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        await PushAsync(portal.Factory, PushJson(number, "3", "301", PickedUp, Moving, OutForDelivery, Signed));

        var late = new Trace("2026-11-27 15:00:00", "【上海市】快件到达 上海浦东网点", "2", "上海市");
        await PushAsync(portal.Factory, PushJson(number, "2", "2", PickedUp, Moving, OutForDelivery, Signed, late));

        var (shipment, events) = await LoadAsync(portal.Factory, number);
        Assert.Equal(ShipmentStatus.Delivered, shipment.Status);
        Assert.Null(shipment.NextCheckAtUtc);
        Assert.Equal(5, events.Count);
    }

    [Fact]
    public async Task A_push_older_than_what_is_stored_does_not_move_the_status_backwards()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        await PushAsync(portal.Factory, PushJson(number, "2", "202", PickedUp, Moving, OutForDelivery));

        await PushAsync(portal.Factory, PushJson(number, "1", "1", PickedUp));

        var (shipment, events) = await LoadAsync(portal.Factory, number);
        Assert.Equal(ShipmentStatus.OutForDelivery, shipment.Status);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public async Task A_push_for_an_unknown_number_is_acknowledged_and_creates_nothing()
    {
        var number = NewZtoNumber();

        var answer = await PushAsync(portal.Factory, PushJson(number, "2", "2", PickedUp));

        Assert.True(answer.GetProperty("Success").GetBoolean());
        await Assert.ThrowsAsync<InvalidOperationException>(() => LoadAsync(portal.Factory, number));
    }

    [Fact]
    public async Task A_push_for_a_merchant_no_account_has_is_refused_even_with_a_sign_of_its_own()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        var push = PushJson(number, "2", "2", PickedUp).Replace(EBusinessId, "someone-else", StringComparison.Ordinal);

        var answer = await PushAsync(portal.Factory, push, sign: KdniaoSigner.Sign(push, "someone-elses-key"));

        Assert.False(answer.GetProperty("Success").GetBoolean());
        Assert.Empty((await LoadAsync(portal.Factory, number)).Events);
    }
}
