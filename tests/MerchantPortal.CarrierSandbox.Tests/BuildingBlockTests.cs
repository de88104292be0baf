using MerchantPortal.CarrierSandbox.Protocol;
using MerchantPortal.CarrierSandbox.Simulation;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class BuildingBlockTests
{
    [Fact]
    public void Single_quoted_JSON_with_inner_double_quotes_and_escaped_single_quotes_parses()
    {
        Assert.True(LenientJson.TryParse("{'Name':'He said \"hi\"','Other':'it\\'s','N':12,'S':'34'}", out var root));
        Assert.Equal("He said \"hi\"", root.Str("name"));
        Assert.Equal("it's", root.Str("OTHER"));
        Assert.Equal("12", root.Str("n"));
        Assert.Equal(34, root.Int("s"));
        Assert.False(LenientJson.TryParse("{'Name':", out _));
    }

    [Fact]
    public void Beijing_time_strings_are_UTC_plus_eight()
    {
        var utc = new DateTimeOffset(2026, 1, 31, 20, 30, 0, TimeSpan.Zero);
        Assert.Equal("2026-02-01 04:30:00", BeijingTime.Format(utc));
        Assert.True(BeijingTime.TryParse("2026-02-01 04:30:00", out var back));
        Assert.Equal(utc, back);
    }

    [Fact]
    public void The_sandbox_clock_runs_at_its_speed_advances_and_never_resumes_backwards()
    {
        var real = new ManualTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new SandboxClock(60, real);
        real.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(real.Now.AddMinutes(59), clock.GetUtcNow());

        var advanced = clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero), advanced);

        var restarted = new SandboxClock(60, real);
        restarted.ResumeFrom(advanced);
        Assert.Equal(advanced, restarted.GetUtcNow());
        restarted.ResumeFrom(advanced.AddDays(-3));
        Assert.Equal(advanced, restarted.GetUtcNow());
    }

    [Fact]
    public void A_journey_is_a_pure_function_of_its_input()
    {
        var regions = Regions.LoadEmbedded();
        var carrier = new Carriers().Find("ZTO")!;
        var input = new JourneyInput("73100000000001", carrier, regions.ByName("杭州")!, "西湖区", regions.ByName("北京")!, "朝阳区",
            new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));

        var a = JourneyBuilder.Build(input, regions);
        var b = JourneyBuilder.Build(input, regions);
        var other = JourneyBuilder.Build(input with { TrackingNumber = "73100000000002" }, regions);

        Assert.Equal(a.Events, b.Events);
        Assert.NotEqual(a.Events, other.Events);
        Assert.Equal(a.Events.OrderBy(e => e.TimeUtc), a.Events);
        Assert.Contains(a.Events, e => e.Station.Contains("上海转运中心", StringComparison.Ordinal) || e.Station.Contains("北京转运中心", StringComparison.Ordinal));
    }

    [Fact]
    public void A_door_pickup_to_the_warehouse_is_never_refused_sent_back_left_in_a_locker_or_signed_by_another()
    {
        var regions = Regions.LoadEmbedded();
        var carrier = new Carriers().Find("YD")!;
        var start = new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);
        JourneyOutcome[] never = [JourneyOutcome.Rejected, JourneyOutcome.ReturnedToSender, JourneyOutcome.Locker, JourneyOutcome.LockerTimeout, JourneyOutcome.SignedByOther];

        var outcomes = Enumerable.Range(0, 2000).Select(i => new JourneyInput($"4300{i:D9}", carrier, regions.ByName("乌鲁木齐")!, null, regions.ByName("杭州")!, "西湖区", start,
            new PickupWindow(start.AddHours(20), start.AddHours(23)))).Select(input => JourneyBuilder.Build(input, regions).Outcome).ToList();
        var forward = Enumerable.Range(0, 2000).Select(i => new JourneyInput($"4300{i:D9}", carrier, regions.ByName("杭州")!, "西湖区", regions.ByName("乌鲁木齐")!, null, start))
            .Select(input => JourneyBuilder.Build(input, regions).Outcome).ToList();

        Assert.DoesNotContain(outcomes, never.Contains);
        Assert.Contains(JourneyOutcome.Delivered, outcomes);
        // Forward parcels on the same long, remote lane still meet every fate.
        Assert.Contains(forward, never.Contains);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
