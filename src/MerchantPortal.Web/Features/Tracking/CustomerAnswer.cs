using System.Globalization;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Tracking;

public enum AnswerLanguage
{
    Chinese,
    English,
}

/// <summary>
/// A ready-to-send answer to "where is my parcel?" for customer service (/lookup), from the newest scan
/// and the carrier's ETA: "Your parcel left the Hangzhou hub at 14:02 and is expected tomorrow." Customer-safe: the
/// scan wording is masked (<see cref="CustomerSafe"/>), and times are Beijing time as the customer reads them.
/// </summary>
public static class CustomerAnswer
{
    public static string Build(ShipmentView shipment, AnswerLanguage language, DateTime nowUtc)
    {
        var zh = language == AnswerLanguage.Chinese;
        // Only what the customer may be told: never a scan dated in the future or one contradicting the journey.
        var latest = CustomerSafe.Timeline(shipment.Events).FirstOrDefault();
        if (latest is null)
        {
            return zh
                ? $"您的包裹（{Components.Shared.CarrierNames.Of(shipment.ShipperCode, CultureInfo.GetCultureInfo("zh-CN"))} {shipment.TrackingNo}）已交给快递公司，正在等待揽收。"
                : $"Your parcel ({Components.Shared.CarrierNames.Of(shipment.ShipperCode, CultureInfo.InvariantCulture)} {shipment.TrackingNo}) has been handed to the carrier and is waiting to be picked up.";
        }
        var at = When(latest.Time, nowUtc, zh, since: false);
        var since = When(latest.Time, nowUtc, zh, since: true);
        var city = City(latest.Location ?? latest.Description, zh);
        var expected = shipment.ExpectedDelivery is { } ours ? Ours(ours.Window, zh) : Expected(shipment.EstimatedDelivery, nowUtc, zh);
        var kind = PollSchedule.KindOf(null, latest.Description, latest.Status);
        return shipment.Status switch
        {
            ShipmentStatus.Delivered => zh ? $"您的包裹已于{at}签收。" : $"Your parcel was delivered {at}.",
            ShipmentStatus.OutForDelivery => zh ? $"您的包裹已于{at}在{city}开始派送，预计今天送达。" : $"Your parcel has been out for delivery in {city} {since} and should arrive today.",
            ShipmentStatus.AvailableForPickup => zh ? $"您的包裹已于{at}放入{city}的快递柜或驿站，请凭取件码取件。" : $"Your parcel has been waiting for you at a parcel locker or pickup point in {city} {since}.",
            ShipmentStatus.Exception => zh
                ? $"您的包裹在{city}出现异常（{at}：{CustomerSafe.Describe(latest.Description)}），我们正在与快递公司跟进。"
                : $"There is a problem with your parcel in {city} ({at}: {CustomerSafe.Describe(latest.Description)}). We are following it up with the carrier.",
            ShipmentStatus.Returning => zh ? "您的包裹正在退回我们的仓库，到达后我们会尽快处理。" : "Your parcel is on its way back to us; we will take care of it as soon as it arrives.",
            ShipmentStatus.Returned => zh ? "您的包裹已退回我们的仓库。" : "Your parcel has come back to our warehouse.",
            ShipmentStatus.Expired => zh ? "快递公司已有多日没有更新这个包裹的信息，我们正在向快递公司查询。" : "The carrier has not updated this parcel for several days; we are asking them about it.",
            _ => zh ? $"您的包裹{ZhMove(kind, city)}（{at}）{expected}。" : $"Your parcel {EnMove(kind, city)} {at}{expected}.",
        };
    }

    private static string EnMove(ScanKind kind, string city) => kind switch
    {
        ScanKind.LeftHub => $"left the {city} hub",
        ScanKind.ArrivedHub => $"arrived at the {city} hub",
        ScanKind.ArrivedOutlet => $"reached the delivery station in {city}",
        ScanKind.LeftOutlet => $"left the collection point in {city}",
        ScanKind.PickedUp => $"was picked up in {city}",
        _ => $"was scanned in {city}",
    };

    private static string ZhMove(ScanKind kind, string city) => kind switch
    {
        ScanKind.LeftHub => $"已离开{city}转运中心",
        ScanKind.ArrivedHub => $"已到达{city}转运中心",
        ScanKind.ArrivedOutlet => $"已到达{city}的派件网点",
        ScanKind.LeftOutlet => $"已从{city}发出",
        ScanKind.PickedUp => $"已在{city}揽收",
        _ => $"正在运输途中，最新位置{city}",
    };

    /// <summary>
    /// "at 14:02" today, "yesterday at 14:02", "on 26 Nov at 14:02" (with <paramref name="since"/>: "since 14:02",
    /// "since yesterday 14:02", "since 26 Nov 14:02"); 今天14:02 / 昨天14:02 / 11月26日14:02.
    /// </summary>
    private static string When(DateTime utc, DateTime nowUtc, bool zh, bool since)
    {
        var local = BusinessCalendar.ToBusinessTime(utc);
        var days = (BusinessCalendar.ToBusinessTime(nowUtc).Date - local.Date).Days;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return (days, zh) switch
        {
            (0, true) => $"今天{time}",
            (1, true) => $"昨天{time}",
            (_, true) => $"{local.Month}月{local.Day}日{time}",
            (0, false) => since ? $"since {time}" : $"at {time}",
            (1, false) => since ? $"since yesterday {time}" : $"yesterday at {time}",
            _ => since ? $"since {local.ToString("d MMM", CultureInfo.InvariantCulture)} {time}" : $"on {local.ToString("d MMM", CultureInfo.InvariantCulture)} at {time}",
        };
    }

    /// <summary>
    /// The portal's own prediction, worded as everywhere else (DeliveryDateWords): "，预计 12月6日 周六 送达" /
    /// " and is expected Sat 6 Dec", with the window when it spans days. Preferred to the carrier's estimate.
    /// </summary>
    private static string Ours(DeliveryWindow window, bool zh)
    {
        var words = DeliveryDateWords.ForCustomer(window, zh ? DeliveryDateWords.Chinese : DeliveryDateWords.English);
        // "Expected Sat 6 Dec" continues the English sentence in lower case.
        return zh ? $"，{words}" : $" and is {char.ToLowerInvariant(words[0])}{words[1..]}";
    }

    /// <summary>The carrier's own estimate, when the portal has no prediction of its own.</summary>
    private static string Expected(DateTime? etaUtc, DateTime nowUtc, bool zh)
    {
        if (etaUtc is not { } eta)
        {
            return "";
        }
        var days = (BusinessCalendar.ToBusinessTime(eta).Date - BusinessCalendar.ToBusinessTime(nowUtc).Date).Days;
        var local = BusinessCalendar.ToBusinessTime(eta);
        return (days, zh) switch
        {
            ( <= 0, true) => "，预计今天送达",
            (1, true) => "，预计明天送达",
            (_, true) => $"，预计{local.Month}月{local.Day}日送达",
            ( <= 0, false) => " and is expected today",
            (1, false) => " and is expected tomorrow",
            _ => $" and is expected on {local.ToString("dddd d MMM", CultureInfo.InvariantCulture)}",
        };
    }

    private static string City(string? place, bool zh)
    {
        if (ChinaProvinces.Locate(place) is { } p)
        {
            return zh ? p.NameZh : p.NameEn;
        }
        return string.IsNullOrWhiteSpace(place) ? (zh ? "途中" : "transit") : place.Trim();
    }
}
