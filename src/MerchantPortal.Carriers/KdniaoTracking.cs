using System.Text.Json;

namespace MerchantPortal.Carriers;

/// <summary>Reads a tracking answer (1002/8001, §2.2–2.3) or one push Data item (§2.5) into a snapshot.</summary>
internal static class KdniaoTracking
{
    public static TrackingSnapshot ToSnapshot(JsonElement item, string? fallbackShipper, string? fallbackTrackingNo)
    {
        var state = item.Str("State");
        var stateEx = item.Str("StateEx");
        var status = KdniaoStatusMap.Map(state, stateEx);

        var raw = new List<(DateTime? Time, string Description, string? Location, string? Action)>();
        foreach (var t in item.Arr("Traces"))
        {
            raw.Add((
                KdniaoTime.ParseBeijing(t.Str("AcceptTime")),
                t.Str("AcceptStation") ?? t.Str("Remark") ?? string.Empty,
                t.Str("Location"),
                t.Str("Action")));
        }

        // A trace whose time cannot be read is kept (never lose data), stamped with its predecessor's time so that
        // it stays in place; traces come oldest first by default (§3.3).
        var events = new List<TrackingEvent>(raw.Count);
        var previous = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        foreach (var r in raw)
        {
            var time = r.Time ?? previous;
            previous = time;
            events.Add(new TrackingEvent(time, r.Description, r.Location, r.Action, ShipmentStatus.InTransit));
        }

        var ordered = events.OrderBy(e => e.TimeUtc).ToList(); // stable: equal times keep their order
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            // 8001/102 traces carry their own StateEx as Action (§3.3); plain 1002 traces do not, so the newest one
            // takes the parcel's status and earlier ones are "moving" (a timeline still reads correctly).
            var eventStatus = e.RawAction is not null
                ? KdniaoStatusMap.MapAction(e.RawAction)
                : i == ordered.Count - 1 ? status : ShipmentStatus.InTransit;
            ordered[i] = e with { Status = eventStatus };
        }

        var eta = KdniaoTime.ParseBeijing(item.Str("EstimatedDeliveryTime"));
        return new TrackingSnapshot(
            item.Str("ShipperCode") ?? fallbackShipper ?? string.Empty,
            item.Str("LogisticCode") ?? fallbackTrackingNo ?? string.Empty,
            status,
            state,
            stateEx,
            item.Str("Location"),
            eta is null ? null : new DateTimeOffset(eta.Value, TimeSpan.Zero),
            ordered);
    }
}
