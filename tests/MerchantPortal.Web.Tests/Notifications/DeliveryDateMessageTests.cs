using System.Collections.Concurrent;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// "Your parcel is expected on …" after pickup, and a new message when the expected Beijing date moves by a day or
/// more, at most once a day (docs/product.md "Expected delivery date"). The predictor is another part's work:
/// the test writes the shipment's predicted fields as it does at a scan.
/// </summary>
public class DeliveryDateMessageTests
{
    private sealed class CapturingSms : ISmsSender
    {
        public ConcurrentQueue<OutgoingMessage> Sent { get; } = new();

        public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
        {
            Sent.Enqueue(message);
            return Task.FromResult(new SendResult(true, "capture"));
        }
    }

    [Fact]
    public async Task The_customer_hears_the_expected_date_once_after_pickup_and_again_only_when_it_moves_a_day_at_most_once_a_day()
    {
        var sms = new CapturingSms();
        await using var portal = new ClockedPortal(services: s => s.AddSingleton<ISmsSender>(sms));
        // 08:00 on Sunday 1 Nov in Beijing; expected Tuesday 3 Nov 14:00.
        var tuesday = portal.Now.AddDays(2).AddHours(6);
        var s = await portal.ShipmentAsync(x => x.Status = ShipmentStatus.InTransit);
        var pending = await portal.ShipmentAsync(x => x.Status = ShipmentStatus.Pending);
        await PredictAsync(portal, s.Id, tuesday);
        await PredictAsync(portal, pending.Id, tuesday);

        await RunAsync(portal);
        await RunAsync(portal);
        await OutboxTestData.DispatchAsync(portal);

        var told = Assert.Single(await DateMessagesAsync(portal, s.Id));
        Assert.Equal(NotificationMilestone.DeliveryDateExpected, told.Milestone);
        Assert.Empty(await DateMessagesAsync(portal, pending.Id));
        var sent = Assert.Single(sms.Sent);
        Assert.Contains("预计 11月3日 周二 送达", sent.Body, StringComparison.Ordinal);
        Assert.Contains(s.TrackingNo, sent.Body, StringComparison.Ordinal);

        // A few hours later the same day: not a move. A day later, but still the day of the last message: held.
        await PredictAsync(portal, s.Id, tuesday.AddHours(3));
        await RunAsync(portal);
        await PredictAsync(portal, s.Id, tuesday.AddDays(1));
        await RunAsync(portal);
        Assert.Single(await DateMessagesAsync(portal, s.Id));

        // The next Beijing day the move is told, once, naming the day told before.
        portal.Advance(TimeSpan.FromHours(17));
        await PredictAsync(portal, s.Id, tuesday.AddDays(1));
        await RunAsync(portal);
        await RunAsync(portal);
        await OutboxTestData.DispatchAsync(portal);

        var messages = await DateMessagesAsync(portal, s.Id);
        Assert.Equal([NotificationMilestone.DeliveryDateExpected, NotificationMilestone.DeliveryDateMoved], messages.Select(m => m.Milestone!.Value));
        var moved = sms.Sent.Last();
        Assert.Contains("预计 11月4日 周三 送达", moved.Body, StringComparison.Ordinal);
        Assert.Contains("此前预计11月3日 周二", moved.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parcel_without_a_prediction_or_already_out_for_delivery_gets_no_date_message()
    {
        await using var portal = new ClockedPortal();
        var unpredicted = await portal.ShipmentAsync(x => x.Status = ShipmentStatus.InTransit);
        var outForDelivery = await portal.ShipmentAsync(x => x.Status = ShipmentStatus.OutForDelivery);
        await PredictAsync(portal, outForDelivery.Id, portal.Now.AddHours(6));

        await RunAsync(portal);

        Assert.Empty(await DateMessagesAsync(portal, unpredicted.Id));
        Assert.Empty(await DateMessagesAsync(portal, outForDelivery.Id));
    }

    private static Task RunAsync(ClockedPortal portal) => portal.GetService<DeliveryDateMessages>().RunAsync(CancellationToken.None);

    private static async Task<List<OutboxMessage>> DateMessagesAsync(ClockedPortal portal, long shipmentId)
    {
        await using var db = await portal.DbAsync();
        return await db.Set<OutboxMessage>().AsNoTracking()
            .Where(o => o.ShipmentId == shipmentId && (o.Milestone == NotificationMilestone.DeliveryDateExpected || o.Milestone == NotificationMilestone.DeliveryDateMoved))
            .OrderBy(o => o.Id).ToListAsync();
    }

    /// <summary>What the predictor writes at a scan: the expected time in a window of ±6 hours, made now.</summary>
    private static async Task PredictAsync(ClockedPortal portal, long shipmentId, DateTime expectedUtc)
    {
        await using var db = await portal.DbAsync();
        await db.Set<Shipment>().Where(s => s.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PredictedDeliveryUtc, expectedUtc)
            .SetProperty(s => s.PredictedEarliestUtc, expectedUtc.AddHours(-6))
            .SetProperty(s => s.PredictedLatestUtc, expectedUtc.AddHours(6))
            .SetProperty(s => s.PredictedAtUtc, portal.Now)
            .SetProperty(s => s.PredictedFromStage, DeliveryStage.InTransit)
            .SetProperty(s => s.PredictedFromLane, LaneLevel.CarrierLane));
    }
}
