using MerchantPortal.Web.Features.Kpis;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>The arithmetic of docs/kpis.md on hand-computed values (no database).</summary>
public class KpiDefinitionsTests
{
    private static int[] Histogram(params (int Bucket, int Count)[] entries)
    {
        var h = new int[KpiDefinitions.Buckets + 1];
        foreach (var (bucket, count) in entries)
        {
            h[bucket] = count;
        }
        return h;
    }

    [Fact]
    public void A_single_value_sits_at_the_middle_of_its_two_hour_bucket()
    {
        var h = Histogram((KpiDefinitions.BucketOf(21.5), 1));
        Assert.Equal(10, KpiDefinitions.BucketOf(21.5));
        Assert.Equal(21.0, KpiDefinitions.Percentile(h, 0.5));
    }

    [Fact]
    public void Percentiles_interpolate_inside_the_bucket_that_holds_the_rank()
    {
        // Six transit times: 20.5, 20.9 (bucket 10), 25 (12), 30 (15), 70 (35), 100 (50).
        var h = Histogram((10, 2), (12, 1), (15, 1), (35, 1), (50, 1));
        // p50: 3 of 6 → bucket 12 holds the 3rd value, 2 before it: 24 + 2 × (3 − 2) / 1.
        Assert.Equal(26.0, KpiDefinitions.Percentile(h, 0.5));
        // p90: 5.4 of 6 → bucket 50, 5 before it: 100 + 2 × 0.4 / 1.
        Assert.Equal(100.8, KpiDefinitions.Percentile(h, 0.9)!.Value, 6);
    }

    [Fact]
    public void The_overflow_bucket_answers_fifteen_days_and_an_empty_histogram_answers_nothing()
    {
        Assert.Equal(KpiDefinitions.OverflowBucket, KpiDefinitions.BucketOf(400));
        Assert.Equal(360.0, KpiDefinitions.Percentile(Histogram((10, 1), (KpiDefinitions.OverflowBucket, 9)), 0.9));
        Assert.Null(KpiDefinitions.Percentile(Histogram(), 0.5));
    }

    [Fact]
    public void The_sparse_histogram_text_round_trips_and_summed_rows_give_the_percentile_of_all_values()
    {
        var dayOne = KpiDefinitions.EncodeHistogram(Histogram((10, 2), (12, 1)));
        var dayTwo = KpiDefinitions.EncodeHistogram(Histogram((15, 1), (35, 1), (50, 1)));
        Assert.Equal("10:2,12:1", dayOne);
        var sum = new int[KpiDefinitions.Buckets + 1];
        var pairs = new List<(int Bucket, int Count)>();
        foreach (var text in new[] { dayOne, dayTwo })
        {
            KpiDefinitions.ParseHistogram(text, pairs);
            foreach (var (bucket, count) in pairs)
            {
                sum[bucket] += count;
            }
        }
        Assert.Equal(26.0, KpiDefinitions.Percentile(sum, 0.5));
        Assert.Equal("", KpiDefinitions.EncodeHistogram(Histogram()));
    }

    [Fact]
    public void A_shipment_belongs_to_the_Beijing_date_it_became_final()
    {
        Assert.Equal(new DateOnly(2026, 10, 5), KpiDefinitions.DayOf(new DateTime(2026, 10, 5, 15, 59, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateOnly(2026, 10, 6), KpiDefinitions.DayOf(new DateTime(2026, 10, 5, 16, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 10, 4, 16, 0, 0, DateTimeKind.Utc), KpiDefinitions.DayStartUtc(new DateOnly(2026, 10, 5)));
    }

    [Fact]
    public void An_SLA_promise_ends_at_midnight_Beijing_after_the_promised_calendar_days()
    {
        // Registered 2026-11-02 15:00 Beijing (a Monday), 2 days → Wednesday 23:59:59 Beijing; weekends are not skipped.
        Assert.Equal(new DateTime(2026, 11, 4, 15, 59, 59, DateTimeKind.Utc), SlaRuleService.PromisedBy(new DateTime(2026, 11, 2, 7, 0, 0, DateTimeKind.Utc), 2));
        // Friday 20:00 Beijing + 2 days → Sunday 23:59:59 Beijing.
        Assert.Equal(new DateTime(2026, 11, 8, 15, 59, 59, DateTimeKind.Utc), SlaRuleService.PromisedBy(new DateTime(2026, 11, 6, 12, 0, 0, DateTimeKind.Utc), 2));
    }

    [Fact]
    public void The_most_specific_SLA_rule_wins_with_destination_before_origin()
    {
        SlaRule Rule(string origin, string destination, int days) => new() { ShipperCode = "ZTO", OriginProvince = origin, DestinationProvince = destination, PromisedDays = days };
        var rules = new[] { Rule("", "", 3), Rule("浙江省", "", 4), Rule("", "广东省", 2), Rule("浙江省", "广东省", 1), Rule("", "北京市", 5) };
        Assert.Equal(1, SlaRuleService.Match(rules, "ZTO", "浙江省", "广东省")!.PromisedDays);
        Assert.Equal(2, SlaRuleService.Match(rules, "ZTO", "江苏省", "广东省")!.PromisedDays);
        Assert.Equal(5, SlaRuleService.Match(rules, "ZTO", "浙江省", "北京市")!.PromisedDays);
        Assert.Equal(4, SlaRuleService.Match(rules, "ZTO", "浙江省", "四川省")!.PromisedDays);
        Assert.Equal(3, SlaRuleService.Match(rules, "ZTO", null, null)!.PromisedDays);
        Assert.Null(SlaRuleService.Match(rules, "SF", "浙江省", "广东省"));
    }
}
