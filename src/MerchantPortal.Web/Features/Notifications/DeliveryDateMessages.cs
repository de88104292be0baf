using System.Globalization;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// The customer's expected delivery date (docs/product.md "Expected delivery date"): once the parcel is picked
/// up and the portal has predicted its delivery, "your parcel is expected on …" (<see cref="NotificationMilestone.DeliveryDateExpected"/>);
/// afterwards, when the predicted Beijing date moves by a day or more from the one last told, a new message
/// (<see cref="NotificationMilestone.DeliveryDateMoved"/>), at most one a Beijing day per parcel.
/// <para>
/// A recurring sweep rather than a shipment observer: the prediction is re-made at scans that change no status, and the
/// observers see status changes only. What was last told is the outbox's own record — the last of these two messages
/// for the parcel carries the Beijing date it told (<see cref="ToldDayKey"/>) — so nothing else keeps it, and a run
/// repeated (or two at once, kept apart by the gate) finds the message already written and writes none.
/// </para>
/// </summary>
public sealed class DeliveryDateMessages(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IOptions<NotificationOptions> options, JobGate gate)
{
    public const string JobId = "notifications:delivery-dates";

    /// <summary>The payload value holding the Beijing date told (yyyy-MM-dd), read back by the next run.</summary>
    public const string ToldDayKey = "expectedDay";

    /// <summary>Only predictions re-made lately are looked at: an older one has been seen by earlier runs already.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(3);

    private static readonly NotificationMilestone[] DateMilestones = [NotificationMilestone.DeliveryDateExpected, NotificationMilestone.DeliveryDateMoved];

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter(JobId);
        if (held is null)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - Lookback;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Picked up and on its way: out for delivery has its own message ("today"), and a final or returning parcel
        // has no date to tell.
        var parcels = await db.Set<Shipment>().AsNoTracking()
            .Where(s => (s.Status == ShipmentStatus.PickedUp || s.Status == ShipmentStatus.InTransit)
                && s.Direction == ShipmentDirection.Forward && s.OrderId != null
                && s.PredictedDeliveryUtc != null && s.PredictedFromStage != null && s.PredictedFromLane != null
                && s.PredictedAtUtc != null && s.PredictedAtUtc >= since)
            .ToListAsync(ct);
        if (parcels.Count == 0)
        {
            return;
        }
        var ids = parcels.Select(p => p.Id).ToList();
        var told = (await db.Set<OutboxMessage>().AsNoTracking()
                .Where(o => o.ShipmentId != null && ids.Contains(o.ShipmentId.Value) && o.Kind == OutboxKind.Customer
                    && (o.Milestone == NotificationMilestone.DeliveryDateExpected || o.Milestone == NotificationMilestone.DeliveryDateMoved))
                .Select(o => new { o.Id, ShipmentId = o.ShipmentId!.Value, o.CreatedAtUtc, o.PayloadJson })
                .ToListAsync(ct))
            .GroupBy(o => o.ShipmentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(o => o.Id).First());
        var orderIds = parcels.Select(p => p.OrderId!.Value).Distinct().ToList();
        var cultures = await db.Set<Order>().AsNoTracking().Where(o => orderIds.Contains(o.Id))
            .Select(o => new { o.Id, o.CustomerCulture }).ToDictionaryAsync(o => o.Id, o => o.CustomerCulture, ct);
        var today = DayOf(now);
        foreach (var s in parcels)
        {
            var expected = ExpectedDelivery.Of(s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc)!;
            var day = DayOf(expected.Expected);
            NotificationMilestone milestone;
            DateOnly? previous = null;
            if (!told.TryGetValue(s.Id, out var last))
            {
                milestone = NotificationMilestone.DeliveryDateExpected;
            }
            else
            {
                previous = ToldDay(last.PayloadJson);
                // A day or more from what the customer was told, and nothing told yet today.
                if (previous is null || previous == day || DayOf(last.CreatedAtUtc) >= today)
                {
                    continue;
                }
                milestone = NotificationMilestone.DeliveryDateMoved;
            }
            // The template is chosen by the order's language when sent (as the dispatcher does); the words are made now.
            var culture = CultureInfo.GetCultureInfo(cultures.GetValueOrDefault(s.OrderId!.Value) ?? options.Value.Culture);
            var values = await CustomerValues.ForAsync(db, s, ct);
            values["expectedDate"] = DeliveryDateWords.ForCustomer(expected.Window, culture);
            values[ToldDayKey] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (previous is { } before)
            {
                values["previousDate"] = DeliveryDateWords.Day(DateTime.SpecifyKind(before.ToDateTime(new TimeOnly(12, 0)) - BusinessCalendar.Offset, DateTimeKind.Utc), culture);
            }
            Outbox.EnqueueCustomer(db, milestone, s.OrderId, s.Id, null, values, now);
        }
        await db.SaveChangesAsync(ct);
    }

    private static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(BusinessCalendar.ToBusinessTime(utc));

    private static DateOnly? ToldDay(string payloadJson)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(payloadJson);
        return values is not null && values.TryGetValue(ToldDayKey, out var day)
            && DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
    }
}
