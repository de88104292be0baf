using System.Globalization;

namespace MerchantPortal.CarrierSandbox.Simulation;

/// <summary>Everything a journey depends on. Same input, same journey — nothing about traces is stored.</summary>
public sealed record JourneyInput(
    string TrackingNumber,
    CarrierProfile Carrier,
    RegionCity Origin,
    string? OriginArea,
    RegionCity Destination,
    string? DestinationArea,
    DateTimeOffset StartUtc,
    PickupWindow? Pickup = null);

/// <summary>A door pickup (1801/1001): booked at the journey start, collected inside the window.</summary>
public sealed record PickupWindow(DateTimeOffset StartUtc, DateTimeOffset EndUtc);

/// <summary>One scan. <see cref="Action"/> is the StateEx of that trace (carrier-protocol.md §3.2/§3.3).</summary>
public sealed record TraceEvent(DateTimeOffset TimeUtc, string Action, string Station, string Location);

public enum JourneyOutcome
{
    Delivered,
    SignedByOther,
    Locker,
    LockerTimeout,
    FailedThenSigned,
    Rejected,
    ReturnedToSender,
    Stuck,
    Lost,
}

public sealed record PickerInfo(string PersonName, string PersonTel);

public sealed record Journey(
    JourneyInput Input,
    IReadOnlyList<TraceEvent> Events,
    JourneyOutcome Outcome,
    DateTimeOffset FirstScanUtc,
    DateTimeOffset EstimatedDeliveryUtc,
    PickerInfo Picker,
    DateTimeOffset PickerAssignedUtc);

/// <summary>A journey seen at one simulated instant.</summary>
public sealed record TrackingSnapshot(
    string State,
    string StateEx,
    string? Location,
    IReadOnlyList<(TraceEvent Event, string State)> Traces,
    bool IsFinal);

/// <summary>
/// Builds a parcel's whole journey as a pure function of its input, from a Random seeded with a stable hash.
/// Steps follow carrier-protocol.md §3: (10 waiting pickup) → 1 picked up → 2/204 hubs → 201 destination city →
/// 202 out for delivery → 3xx signed, with the exits 405/404/211→412/407→406/403/lost.
/// </summary>
public static class JourneyBuilder
{
    /// <summary>StateEx values after which nothing more happens (§3.2: signed 3xx and returned-and-signed 406).</summary>
    public static readonly IReadOnlySet<string> FinalActions = new HashSet<string>(StringComparer.Ordinal) { "3", "301", "302", "304", "311", "406" };

    /// <summary>Days without a new trace before a moving parcel counts as 403 超时未更新 (our choice: 3 days).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromDays(3);

    private static readonly string[] Surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
    private static readonly string[] FailReasons = ["电话无人接听", "收件人不在家,已预约明日派送", "地址门牌号不详,联系收件人中"];
    private static readonly string[] RejectReasons = ["收件人拒收,原因:商品与描述不符", "收件人拒收,原因:未购买此商品", "收件人拒收,原因:外包装破损"];
    private static readonly string[] OtherSigners = ["门卫代收", "家人代收", "前台代收", "同事代收"];

    public static Journey Build(JourneyInput input, Regions regions)
    {
        var seed = StableHash.Seed(string.Join('|', input.TrackingNumber, input.Carrier.Code, input.Origin.CityZh, input.Destination.CityZh,
            input.StartUtc.UtcTicks.ToString(CultureInfo.InvariantCulture), input.Pickup?.StartUtc.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-"));
        var rng = new Random(seed);
        var carrier = input.Carrier;
        var o = input.Origin;
        var d = input.Destination;
        var originOutlet = $"{o.CityZh}{Area(input.OriginArea, rng)}营业部";
        var destOutlet = $"{d.CityZh}{Area(input.DestinationArea, rng)}营业部";
        var events = new List<TraceEvent>();
        var picker = new PickerInfo(Courier(rng), Phone(rng));

        var pickerAssigned = input.StartUtc + Hours(rng, 0.5, 1.5);
        var pickedUp = PickUp(input, rng, picker, pickerAssigned, events);

        var outcome = PickOutcome(carrier, o, d, rng, toWarehouse: input.Pickup is not null);
        events.Add(new(pickedUp, "1", $"【{o.CityFull}】【{originOutlet}】已揽收,揽投员: {picker.PersonName} {picker.PersonTel}", o.CityFull));

        var route = regions.Route(o, d);
        var laneFactor = 1.0 + (route.Count - 1) * 0.35 + (IsRemote(o) || IsRemote(d) ? 0.6 : 0);
        var legHours = carrier.HoursPerLeg * laneFactor;
        var eta = CarrierEstimate(pickedUp, legHours * (route.Count + 1) + 10);
        // Hub delays (a missed line haul, a sorting backlog) come from their own stream, so the outcome and every other
        // draw of the journey stay what they were for the same input.
        var delays = new Random(seed ^ 0x5D1A7);

        var t = Departure(pickedUp) + Hours(rng, 1, 3);
        events.Add(new(t, "2", $"【{o.CityFull}】快件已从【{originOutlet}】发出,准备发往【{route[0].CityZh}转运中心】", o.CityFull));
        var stuckAt = rng.Next(route.Count);
        for (var i = 0; i < route.Count; i++)
        {
            var hub = route[i];
            t += Hours(rng, legHours * 0.7, legHours * 1.4);
            events.Add(new(t, "204", $"【{hub.CityFull}】快件已到达【{hub.CityZh}转运中心】", hub.CityFull));
            if (delays.NextDouble() < HubDelayChance)
            {
                // The parcel misses its line haul at this hub: it leaves with a later one, the scans just come later.
                t += Hours(delays, 6, 26);
            }
            if (i == stuckAt && outcome == JourneyOutcome.Stuck)
            {
                // The parcel simply stops being scanned; 403 is derived from silence, like the aggregator does.
                return new(input, events, outcome, pickedUp, eta, picker, pickerAssigned);
            }

            if (i == stuckAt && outcome == JourneyOutcome.Lost)
            {
                t += Hours(rng, 30, 60);
                events.Add(new(t, "4", $"【{hub.CityFull}】快件在【{hub.CityZh}转运中心】遗失,已登记理赔,请联系客服 95{rng.Next(100, 999)}", hub.CityFull));
                return new(input, events, outcome, pickedUp, eta, picker, pickerAssigned);
            }

            t += Hours(rng, 1, 4);
            var next = i + 1 < route.Count ? $"{route[i + 1].CityZh}转运中心" : destOutlet;
            events.Add(new(t, "2", $"【{hub.CityFull}】快件已从【{hub.CityZh}转运中心】发出,准备发往【{next}】", hub.CityFull));
        }

        t += Hours(rng, legHours * 0.4, legHours * 0.9);
        events.Add(new(t, "201", $"【{d.CityFull}】快件已到达【{destOutlet}】", d.CityFull));
        var courier = Courier(rng);
        var courierTel = Phone(rng);
        t = DeliveryRound(t + Hours(rng, 2, 9), delays);
        events.Add(new(t, "202", $"【{d.CityFull}】派件员 {courier} {courierTel} 正在为您派件", d.CityFull));
        LastMile(outcome, t, rng, input, events, courier, courierTel, legHours, route);
        return new(input, events, outcome, pickedUp, eta, picker, pickerAssigned);
    }

    /// <summary>Until the first scan: a booked pickup's acceptance and courier, or an e-waybill's wait to be collected.</summary>
    private static DateTimeOffset PickUp(JourneyInput input, Random rng, PickerInfo picker, DateTimeOffset pickerAssigned, List<TraceEvent> events)
    {
        var o = input.Origin;
        if (input.Pickup is { } window)
        {
            events.Add(new(input.StartUtc, "10", $"【{o.CityFull}】您的上门取件预约已受理,等待分配快递员", o.CityFull));
            events.Add(new(pickerAssigned, "10", $"【{o.CityFull}】快递员 {picker.PersonName} {picker.PersonTel} 已接单,将在预约时段内上门取件", o.CityFull));
            var earliest = pickerAssigned + Hours(rng, 0.5, 1.0);
            var span = window.EndUtc - window.StartUtc;
            var planned = window.StartUtc + TimeSpan.FromTicks((long)(span.Ticks * rng.NextDouble() * 0.8));
            return planned > earliest ? planned : earliest;
        }

        // Like a real carrier: an issued e-waybill gets its first scan 1–8 simulated hours after it was issued.
        return input.StartUtc + Hours(rng, 1, 8);
    }

    /// <summary>From the courier's delivery attempt to the outcome: signed, locker, failed, rejected or sent back.</summary>
    private static void LastMile(JourneyOutcome outcome, DateTimeOffset t, Random rng, JourneyInput input, List<TraceEvent> events,
        string courier, string courierTel, double legHours, IReadOnlyList<RegionCity> route)
    {
        var carrier = input.Carrier;
        var d = input.Destination;
        var courierLine = $"如有疑问请联系派件员 {courier} {courierTel}";
        switch (outcome)
        {
            case JourneyOutcome.Delivered:
                t += Hours(rng, 0.5, 4);
                events.Add(new(t, "301", $"【{d.CityFull}】已签收,签收人: 本人。{courierLine}", d.CityFull));
                break;
            case JourneyOutcome.SignedByOther:
                t += Hours(rng, 0.5, 4);
                events.Add(new(t, "304", $"【{d.CityFull}】已签收,签收人: {OtherSigners[rng.Next(OtherSigners.Length)]}。{courierLine}", d.CityFull));
                break;
            case JourneyOutcome.Locker:
            case JourneyOutcome.LockerTimeout:
                t += Hours(rng, 0.5, 3);
                var pickupCode = rng.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
                events.Add(new(t, "211", $"【{d.CityFull}】快件已放入【{carrier.LockerBrand}】,取件码 {pickupCode},请及时取件。{courierLine}", d.CityFull));
                if (outcome == JourneyOutcome.Locker)
                {
                    t += Hours(rng, 1, 17);
                    events.Add(new(t, "311", $"【{d.CityFull}】已签收,快件已从【{carrier.LockerBrand}】取出", d.CityFull));
                }
                else
                {
                    // §3.2 412: more than 18 h in the locker; the courier takes it back and delivers by hand.
                    t += Hours(rng, 18.5, 30);
                    events.Add(new(t, "412", $"【{d.CityFull}】快件在【{carrier.LockerBrand}】超时未取,已由派件员取出", d.CityFull));
                    t += Hours(rng, 10, 24);
                    events.Add(new(t, "202", $"【{d.CityFull}】派件员 {courier} {courierTel} 正在为您再次派件", d.CityFull));
                    t += Hours(rng, 0.5, 4);
                    events.Add(new(t, "302", $"【{d.CityFull}】已签收,签收人: 本人。{courierLine}", d.CityFull));
                }

                break;
            case JourneyOutcome.FailedThenSigned:
                t += Hours(rng, 1, 4);
                events.Add(new(t, "405", $"【{d.CityFull}】派件异常,原因: {FailReasons[rng.Next(FailReasons.Length)]}", d.CityFull));
                t += Hours(rng, 14, 26);
                events.Add(new(t, "202", $"【{d.CityFull}】派件员 {courier} {courierTel} 正在为您再次派件", d.CityFull));
                t += Hours(rng, 0.5, 4);
                events.Add(new(t, "302", $"【{d.CityFull}】已签收,签收人: 本人。{courierLine}", d.CityFull));
                break;
            case JourneyOutcome.Rejected:
                t += Hours(rng, 0.5, 3);
                events.Add(new(t, "404", $"【{d.CityFull}】{RejectReasons[rng.Next(RejectReasons.Length)]},快件将退回寄件人", d.CityFull));
                t = ReturnLeg(events, t, rng, input, legHours, route);
                break;
            case JourneyOutcome.ReturnedToSender:
                t += Hours(rng, 1, 4);
                events.Add(new(t, "405", $"【{d.CityFull}】派件异常,原因: 收件地址不详,无法联系收件人", d.CityFull));
                t += Hours(rng, 20, 40);
                events.Add(new(t, "405", $"【{d.CityFull}】多次派送失败,快件将退回寄件人", d.CityFull));
                t = ReturnLeg(events, t, rng, input, legHours, route);
                break;
        }
    }

    /// <summary>The journey as it looks at <paramref name="nowUtc"/>: only traces already in the past count.</summary>
    public static TrackingSnapshot Snapshot(Journey? journey, DateTimeOffset nowUtc, bool awaitingPickup)
    {
        if (journey is null)
        {
            return new("0", awaitingPickup ? "10" : "0", null, [], false);
        }

        var traces = new List<(TraceEvent, string)>();
        var problem = false;
        foreach (var e in journey.Events)
        {
            if (e.TimeUtc > nowUtc)
            {
                break;
            }

            var state = StateOf(e.Action);
            // §3.1: State 4 is sticky — once a problem, later traces keep 4.
            problem |= state == "4";
            traces.Add((e, problem ? "4" : state));
        }

        if (traces.Count == 0)
        {
            return new("0", awaitingPickup || journey.Input.Pickup is not null ? "10" : "0", null, [], false);
        }

        var last = traces[^1];
        var isFinal = FinalActions.Contains(last.Item1.Action) || (journey.Outcome == JourneyOutcome.Lost && last.Item1.Action == "4");
        var stateEx = last.Item1.Action;
        var overall = last.Item2;
        if (!isFinal && nowUtc - last.Item1.TimeUtc > StuckAfter)
        {
            // §3.2 403 超时未更新 is computed from silence, not a scan.
            stateEx = "403";
            overall = "4";
        }

        return new(overall, stateEx, last.Item1.Location, traces, isFinal);
    }

    public static string StateOf(string action) => action switch
    {
        "10" => "0",
        "1" => "1",
        "3" or "301" or "302" or "304" or "311" => "3",
        _ when action.StartsWith('4') => "4",
        _ => "2",
    };

    private static DateTimeOffset ReturnLeg(List<TraceEvent> events, DateTimeOffset t, Random rng, JourneyInput input, double legHours, IReadOnlyList<RegionCity> route)
    {
        var d = input.Destination;
        var o = input.Origin;
        t += Hours(rng, 4, 12);
        events.Add(new(t, "407", $"【{d.CityFull}】退回件已发出,正在退回寄件人", d.CityFull));
        for (var i = route.Count - 1; i >= 0; i--)
        {
            t += Hours(rng, legHours * 0.7, legHours * 1.4);
            events.Add(new(t, "407", $"【{route[i].CityFull}】退回件已到达【{route[i].CityZh}转运中心】", route[i].CityFull));
        }

        t += Hours(rng, legHours * 0.5, legHours);
        events.Add(new(t, "407", $"【{o.CityFull}】退回件派送中", o.CityFull));
        t += Hours(rng, 1, 5);
        events.Add(new(t, "406", $"【{o.CityFull}】退件已签收,签收人: 寄件人本人", o.CityFull));
        return t;
    }

    private static bool IsRemote(RegionCity city) => city.Region is "Northwest" or "Southwest" && !city.IsCapital || city.ProvinceCode is "54" or "65" or "63";

    /// <param name="toWarehouse">A door pickup's parcel goes to the merchant's own warehouse, which signs for it itself: it is
    /// never refused, sent back, left in a locker or signed by someone else; it can still be delayed, stuck or lost.</param>
    private static JourneyOutcome PickOutcome(CarrierProfile carrier, RegionCity o, RegionCity d, Random rng, bool toWarehouse = false)
    {
        var m = toWarehouse ? carrier.Mix with { SignedByOther = 0, Locker = 0, LockerTimeout = 0, Rejected = 0, ReturnedToSender = 0 } : carrier.Mix;
        // Exceptions are more frequent on long and remote lanes, less within one province.
        var lane = o.ProvinceCode == d.ProvinceCode ? 0.7 : o.Region == d.Region ? 1.0 : 1.3;
        if (IsRemote(d))
        {
            lane *= 1.5;
        }

        (JourneyOutcome Outcome, double Weight)[] weights =
        [
            (JourneyOutcome.Delivered, m.Delivered),
            (JourneyOutcome.SignedByOther, m.SignedByOther),
            (JourneyOutcome.Locker, m.Locker),
            (JourneyOutcome.LockerTimeout, m.LockerTimeout * lane),
            (JourneyOutcome.FailedThenSigned, m.FailedThenSigned * lane),
            (JourneyOutcome.Rejected, m.Rejected * lane),
            (JourneyOutcome.ReturnedToSender, m.ReturnedToSender * lane),
            (JourneyOutcome.Stuck, m.Stuck * lane),
            (JourneyOutcome.Lost, m.Lost * lane),
        ];
        var total = weights.Sum(w => w.Weight);
        var pick = rng.NextDouble() * total;
        foreach (var (outcome, weight) in weights)
        {
            pick -= weight;
            if (pick <= 0)
            {
                return outcome;
            }
        }

        return JourneyOutcome.Delivered;
    }

    /// <summary>Share of hub arrivals after which the parcel misses its line haul (6–26 hours later).</summary>
    public const double HubDelayChance = 0.08;

    /// <summary>Beijing-time hour after which a picked-up parcel leaves only the next morning (the daily cut-off).</summary>
    public const int CutOffHour = 18;

    /// <summary>Beijing-time hours of the couriers' delivery rounds: out-for-delivery scans fall inside them.</summary>
    public const int RoundsStartHour = 8;

    public const int RoundsEndHour = 19;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>
    /// When a picked-up parcel leaves its outlet: the same day before the cut-off, else with the first departure
    /// (06:00 Beijing) the next morning — a parcel collected at 20:00 does not move before the morning.
    /// </summary>
    private static DateTimeOffset Departure(DateTimeOffset pickedUp)
    {
        var local = pickedUp.ToOffset(Beijing);
        if (local.Hour >= CutOffHour)
        {
            return new DateTimeOffset(local.Date.AddDays(1).AddHours(6), Beijing).ToUniversalTime();
        }
        return local.Hour < 6 ? new DateTimeOffset(local.Date.AddHours(6), Beijing).ToUniversalTime() : pickedUp;
    }

    /// <summary>Couriers go out only in the day: a parcel ready at night goes out in the next morning's first round.</summary>
    private static DateTimeOffset DeliveryRound(DateTimeOffset ready, Random delays)
    {
        var local = ready.ToOffset(Beijing);
        if (local.Hour >= RoundsStartHour && local.Hour < RoundsEndHour)
        {
            return ready;
        }
        var day = local.Hour >= RoundsEndHour ? local.Date.AddDays(1) : local.Date;
        return new DateTimeOffset(day.AddHours(RoundsStartHour), Beijing).ToUniversalTime() + Hours(delays, 0, 2.5);
    }

    /// <summary>
    /// The carrier's own estimate, as rough as a real one: a whole day, "by 18:00 of day N" Beijing time, N counted from
    /// the pickup day by the lane's nominal hours — it knows nothing of the cut-off, hub delays or the journey drawn.
    /// </summary>
    private static DateTimeOffset CarrierEstimate(DateTimeOffset pickedUp, double nominalHours)
    {
        var day = pickedUp.ToOffset(Beijing).Date.AddDays(Math.Max(1, Math.Ceiling(nominalHours / 24)));
        return new DateTimeOffset(day.AddHours(18), Beijing).ToUniversalTime();
    }

    private static TimeSpan Hours(Random rng, double min, double max) => TimeSpan.FromSeconds(Math.Round((min + (rng.NextDouble() * (max - min))) * 3600));

    private static string Area(string? area, Random rng) =>
        string.IsNullOrWhiteSpace(area) ? (rng.Next(3) switch { 0 => "城东", 1 => "城西", _ => "城南" }) : Strip(area.Trim());

    private static string Strip(string area) => area.Length > 1 && (area.EndsWith('区') || area.EndsWith('县')) ? area[..^1] : area;

    private static string Courier(Random rng) => $"{Surnames[rng.Next(Surnames.Length)]}师傅";

    private static string Phone(Random rng) => $"1{rng.Next(3, 10)}{rng.Next(100000000, 999999999)}";
}
