using System.Globalization;
using System.Resources;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// The portal's own delivery-date prediction for a parcel, as pages, the API and messages show it. The window is where
/// few of the lane's parcels fall outside (<see cref="Shipment.PredictedEarliestUtc"/>, <see cref="Shipment.PredictedLatestUtc"/>).
/// </summary>
/// <param name="MadeAt">When the prediction was made (portal time).</param>
public sealed record ExpectedDelivery(DateTime Expected, DateTime Earliest, DateTime Latest, DeliveryStage Stage, LaneLevel Lane, DateTime? MadeAt = null)
{
    /// <summary>The shipment's current prediction, or null when none was made (not picked up yet, or no predictor).</summary>
    public static ExpectedDelivery? Of(DateTime? expected, DateTime? earliest, DateTime? latest, DeliveryStage? stage, LaneLevel? lane, DateTime? madeAt) =>
        expected is { } e && stage is { } s && lane is { } l
            ? new(Utc(e), Utc(earliest ?? e), Utc(latest ?? e), s, l, madeAt is { } m ? Utc(m) : null)
            : null;

    /// <summary>The dates alone, without how they were predicted: what a customer may see.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DeliveryWindow Window => new(Expected, Earliest, Latest);

    /// <summary>
    /// "Will be late": the window's end is after the promise to the customer. A parcel already final is late or not, no
    /// longer "will be"; without a promise nothing can be broken.
    /// </summary>
    public bool WillBeLate(DateTime? promisedByUtc, ShipmentStatus status) =>
        promisedByUtc is { } promise && !status.IsFinal() && Latest > promise;

    // SQLite hands DateTimes back unspecified; they are stored as UTC, and JSON must say so (a trailing Z).
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <summary>The predicted day and window without the stage and lane behind them: customer-safe (/track, messages).</summary>
public sealed record DeliveryWindow(DateTime Expected, DateTime Earliest, DateTime Latest);

/// <summary>
/// The one place a delivery date becomes words, for every page, the customer-service answer and messages: Beijing dates
/// (the customer's calendar, UTC+8), "预计 12月6日 周六 送达" / "Expected Sat 6 Dec", a window "预计 12月6日–12月7日 送达" /
/// "Expected 6–7 Dec". The sentences are TrackingResources' (Estimate.*); the language is passed in, not taken from the
/// thread, because a customer-service agent reading English may copy an answer in Chinese.
/// </summary>
public static class DeliveryDateWords
{
    private static readonly ResourceManager Words = new(typeof(TrackingResources));

    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public static bool IsChinese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh";

    /// <summary>"12月6日 周六" / "Sat 6 Dec": the Beijing date of <paramref name="utc"/>.</summary>
    public static string Day(DateTime utc, CultureInfo culture)
    {
        var d = BusinessCalendar.ToBusinessTime(utc);
        return IsChinese(culture)
            ? $"{d.Month}月{d.Day}日 {Chinese.DateTimeFormat.GetAbbreviatedDayName(d.DayOfWeek)}"
            : d.ToString("ddd d MMM", English);
    }

    /// <summary>"12月6日–12月7日" / "6–7 Dec" ("30 Nov – 1 Dec" across months); one day when both fall on the same date.</summary>
    public static string Span(DateTime earliestUtc, DateTime latestUtc, CultureInfo culture)
    {
        var a = BusinessCalendar.ToBusinessTime(earliestUtc).Date;
        var b = BusinessCalendar.ToBusinessTime(latestUtc).Date;
        if (a == b)
        {
            return Day(earliestUtc, culture);
        }
        if (IsChinese(culture))
        {
            return $"{a.Month}月{a.Day}日–{b.Month}月{b.Day}日";
        }
        return a.Month == b.Month && a.Year == b.Year
            ? $"{a.Day}–{b.ToString("d MMM", English)}"
            : $"{a.ToString("d MMM", English)} – {b.ToString("d MMM", English)}";
    }

    /// <summary>"预计 12月6日 周六 送达" / "Expected Sat 6 Dec"; "No estimate yet" without a prediction.</summary>
    public static string Expected(DeliveryWindow? expected, CultureInfo culture) =>
        expected is null ? None(culture) : Format("Estimate.Expected", culture, Day(expected.Expected, culture));

    /// <summary>"预计 12月6日–12月7日 送达" / "Expected 6–7 Dec": the window, or the day when the window is one day.</summary>
    public static string Window(DeliveryWindow? expected, CultureInfo culture) =>
        expected is null ? None(culture) : Format("Estimate.Expected", culture, Span(expected.Earliest, expected.Latest, culture));

    /// <summary>
    /// What the customer reads (/track, the customer-service answer, messages): the most likely day, and the window
    /// beside it when it spans several days ("预计 12月6日 周六 送达（12月6日–12月7日）").
    /// </summary>
    public static string ForCustomer(DeliveryWindow? expected, CultureInfo culture)
    {
        if (expected is null)
        {
            return None(culture);
        }
        var day = Format("Estimate.Expected", culture, Day(expected.Expected, culture));
        return SameDay(expected.Earliest, expected.Latest) ? day : Format("Estimate.WithWindow", culture, day, Span(expected.Earliest, expected.Latest, culture));
    }

    /// <summary>"快递公司预计：12月6日 周六" / "Carrier's estimate: Sat 6 Dec", or that the carrier gave none.</summary>
    public static string Carrier(DateTime? carrierEstimateUtc, CultureInfo culture) =>
        carrierEstimateUtc is { } eta ? Format("Estimate.Carrier", culture, Day(eta, culture)) : Text("Estimate.CarrierNone", culture);

    public static string None(CultureInfo culture) => Text("Estimate.None", culture);

    /// <summary>True when two times fall on the same Beijing date.</summary>
    public static bool SameDay(DateTime aUtc, DateTime bUtc) =>
        BusinessCalendar.ToBusinessTime(aUtc).Date == BusinessCalendar.ToBusinessTime(bUtc).Date;

    /// <summary>Whole Beijing days from <paramref name="fromUtc"/>'s date to <paramref name="toUtc"/>'s (negative when earlier).</summary>
    public static int DaysBetween(DateTime fromUtc, DateTime toUtc) =>
        (BusinessCalendar.ToBusinessTime(toUtc).Date - BusinessCalendar.ToBusinessTime(fromUtc).Date).Days;

    public static string Text(string key, CultureInfo culture) => Words.GetString(key, culture) ?? key;

    private static string Format(string key, CultureInfo culture, params object[] args) => string.Format(culture, Text(key, culture), args);
}
