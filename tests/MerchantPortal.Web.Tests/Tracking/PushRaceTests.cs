using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>
/// The aggregator delivers a push twice at once to two instances (it retried while the first delivery was still
/// being stored): each scan is stored once and the shipment moves once. On SQLite and again on PostgreSQL.
/// </summary>
[Trait("Database", TestDatabase.ServerTrait)]
public sealed class PushRaceTests(TwoInstances portals) : IClassFixture<TwoInstances>
{
    [Fact]
    public async Task The_same_push_delivered_to_two_instances_at_once_stores_each_scan_once()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portals.First, number);
        var push = PushJson(number, "2", "2",
            new Trace("2026-11-26 09:00:00", "【杭州市】快件已揽收", "1"),
            new Trace("2026-11-26 21:00:00", "【杭州市】快件已发往 上海转运中心", "2"));

        var answers = await AtOnce.RunAsync(
            () => PushAsync(portals.First, push),
            () => PushAsync(portals.Second, push),
            () => PushAsync(portals.Second, push),
            () => PushAsync(portals.First, push));

        Assert.All(answers, a => Assert.True(a.GetProperty("Success").GetBoolean(), a.ToString()));
        var (shipment, events) = await LoadAsync(portals.First, number);
        Assert.Equal(2, events.Count);
        Assert.Equal(ShipmentStatus.InTransit, shipment.Status);
    }
}
