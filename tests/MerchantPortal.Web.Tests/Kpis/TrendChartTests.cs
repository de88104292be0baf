using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Tests.Components;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>The KPI trend charts' x axis (thinned short dates) and the period still running (left out, named in a note).</summary>
public class TrendChartTests : BunitTestBase
{
    private static readonly DateOnly Today = new(2026, 12, 5);

    [Fact]
    public void Thirty_days_label_at_most_six_dates_at_an_even_step_and_leave_the_others_blank()
    {
        var days = Enumerable.Range(0, 30).Select(i => new DateOnly(2026, 11, 1).AddDays(i)).ToList();

        var labels = TrendAxis.Thin(days, 6, CultureInfo.GetCultureInfo("en"));

        Assert.Equal(30, labels.Length);
        Assert.Equal(["11/01", "11/06", "11/11", "11/16", "11/21", "11/26"], labels.Where(l => l.Length > 0));
        Assert.All(labels.Where((_, i) => i % 5 != 0), l => Assert.Equal("", l));
    }

    [Fact]
    public void A_few_days_keep_every_label()
    {
        var days = Enumerable.Range(0, 4).Select(i => new DateOnly(2026, 12, 1).AddDays(i)).ToList();

        Assert.Equal(["12/01", "12/02", "12/03", "12/04"], TrendAxis.Thin(days, 6, CultureInfo.GetCultureInfo("en")));
    }

    [Theory]
    [InlineData("en", "12/01")]
    [InlineData("zh-CN", "12月1日")]
    public void Dates_are_written_short_in_each_language(string culture, string expected) =>
        Assert.Equal(expected, TrendAxis.Short(new DateOnly(2026, 12, 1), CultureInfo.GetCultureInfo(culture)));

    [Theory]
    [InlineData("2026-12-05", false, true)]
    [InlineData("2026-12-04", false, false)]
    [InlineData("2026-11-30", true, true)]
    [InlineData("2026-11-23", true, false)]
    public void Today_and_this_week_are_still_running_and_earlier_periods_are_not(string start, bool weekly, bool partial) =>
        Assert.Equal(partial, TrendAxis.IsPartial(DateOnly.Parse(start, CultureInfo.InvariantCulture), weekly, Today));

    [Fact]
    public void The_running_day_is_left_out_of_the_points_and_named_apart()
    {
        var days = Enumerable.Range(0, 10).Select(i => Today.AddDays(-9 + i)).ToList();

        var axis = TrendAxis.For(days, weekly: false, Today, CultureInfo.GetCultureInfo("en"));

        Assert.Equal(Today, axis.PartialPeriod);
        Assert.Equal(days[..^1], axis.Periods);
        Assert.Equal(9, axis.Labels.Count);
        Assert.Null(TrendAxis.For(days[..^1], weekly: false, Today, CultureInfo.GetCultureInfo("en")).PartialPeriod);
    }

    [Theory]
    [InlineData("en", "12/05 (today) is not over yet")]
    [InlineData("zh-CN", "12月5日（今天）尚未结束")]
    public void The_charts_show_thinned_dates_and_a_note_for_today_instead_of_a_fall_to_zero(string culture, string note)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var report = ThirtyDays();

        var charts = Context.Render<KpiTrendCharts>(p => p.Add(c => c.Report, report).Add(c => c.Today, Today));

        var onTime = charts.Find("[data-testid=kpis-trend-ontime]");
        var dates = onTime.QuerySelectorAll("svg text").Select(t => t.TextContent.Trim())
            .Where(t => t.Contains('/', StringComparison.Ordinal) || t.Contains('月', StringComparison.Ordinal)).ToList();
        Assert.InRange(dates.Count, 2, TrendAxis.MaxLabels);
        // Each label is one short date: nothing ran together.
        Assert.All(dates, d => Assert.True(d.Length <= 6, d));
        Assert.DoesNotContain(TrendAxis.Short(Today, CultureInfo.CurrentUICulture), dates);
        Assert.Contains(note, charts.Find("[data-testid=kpis-trend-partial]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, charts.FindAll("[data-testid=kpis-trend-partial]").Count);
    }

    /// <summary>Thirty days of one carrier, today included with only a few parcels finished so far.</summary>
    private static KpiReport ThirtyDays()
    {
        var report = new KpiReport(KpiFilter.LastDays(30, Today));
        report.Carriers["ZTO"] = new KpiCell();
        for (var day = Today.AddDays(-29); day <= Today; day = day.AddDays(1))
        {
            var final = day == Today ? 2 : 40;
            report.AddTrendRow(new KpiSlice(day, "ZTO", "浙江省", "北京市", final, final, final, day == Today ? 0 : 36, final, 0, 0, 0, 0, ""));
        }
        return report;
    }
}
