using System.Globalization;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>A trend chart's points, its x-axis labels and the period still running (drawn apart, never as a fall).</summary>
public sealed record TrendAxisView(IReadOnlyList<DateOnly> Periods, IReadOnlyList<string> Labels, DateOnly? PartialPeriod);

/// <summary>
/// The x axis of the KPI trend charts. A chart has room for a handful of dates whatever its width (half a 1440 px page,
/// or a 390 px phone, where the SVG scales down): the rest are left blank so labels never run into one string. The
/// period that has not ended yet (today, this week) holds only the shipments finished so far; drawn beside complete
/// periods it looks like a collapse, so it is left out of the line and named in a note instead.
/// </summary>
public static class TrendAxis
{
    /// <summary>Labels that fit side by side at the narrowest chart (a phone), short dates in either language.</summary>
    public const int MaxLabels = 6;

    public static TrendAxisView For(IEnumerable<DateOnly> periods, bool weekly, DateOnly today, CultureInfo culture, int maxLabels = MaxLabels)
    {
        var all = periods.Order().ToList();
        DateOnly? partial = all.Count > 0 && IsPartial(all[^1], weekly, today) ? all[^1] : null;
        var complete = partial is null ? all : all[..^1];
        return new(complete, Thin(complete, maxLabels, culture), partial);
    }

    /// <summary>True while the period (a day, or a week from its Monday) still contains today or lies ahead.</summary>
    public static bool IsPartial(DateOnly periodStart, bool weekly, DateOnly today) =>
        periodStart.AddDays(weekly ? 7 : 1) > today;

    /// <summary>Every n-th date labelled (n so that at most <paramref name="maxLabels"/> show, the first always), the others blank.</summary>
    public static string[] Thin(IReadOnlyList<DateOnly> periods, int maxLabels, CultureInfo culture)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLabels, 1);
        var step = Math.Max(1, (int)Math.Ceiling(periods.Count / (double)maxLabels));
        return [.. periods.Select((p, i) => i % step == 0 ? Short(p, culture) : "")];
    }

    /// <summary>"12/01" in English, "12月1日" in Chinese.</summary>
    public static string Short(DateOnly day, CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh"
            ? string.Create(CultureInfo.InvariantCulture, $"{day.Month}月{day.Day}日")
            : day.ToString("MM/dd", CultureInfo.InvariantCulture);
}
