using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>Which event ids the live-update notifier still waits for, from ids and a clock alone: no portal, no database.</summary>
public class EventIdGapsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static EventIdGaps StartedAt(long high)
    {
        var gaps = new EventIdGaps(Window, maxGaps: 10);
        gaps.Start([high], TimeSpan.Zero);
        return gaps;
    }

    [Fact]
    public void An_id_that_commits_after_a_higher_one_is_reported_once()
    {
        var gaps = StartedAt(9);

        Assert.Equal([11], gaps.Accept([11], TimeSpan.FromSeconds(1), out _));
        Assert.Equal([10], gaps.Accept([10], TimeSpan.FromSeconds(2), out _));
        Assert.Empty(gaps.Accept([10, 11], TimeSpan.FromSeconds(3), out _));
        Assert.Empty(gaps.Open);
    }

    [Fact]
    public void A_gap_shrinks_as_its_ids_turn_up_in_any_order()
    {
        var gaps = StartedAt(0);
        gaps.Accept([10], TimeSpan.Zero, out _);

        Assert.Equal([5], gaps.Accept([5], TimeSpan.Zero, out _));
        Assert.Equal([1, 9], gaps.Accept([1, 9], TimeSpan.Zero, out _));

        Assert.Equal([(2L, 4L), (6L, 8L)], gaps.Open.Select(g => (g.From, g.To)));
    }

    [Fact]
    public void Holes_among_the_ids_stored_before_the_start_are_waited_for()
    {
        var gaps = new EventIdGaps(Window, maxGaps: 10);
        gaps.Start([20, 17, 18], TimeSpan.Zero);

        Assert.Equal(20, gaps.High);
        Assert.Equal([19], gaps.Accept([19], TimeSpan.FromSeconds(1), out _));
        Assert.Empty(gaps.Accept([17, 18, 20], TimeSpan.FromSeconds(1), out _));
    }

    [Fact]
    public void A_gap_is_given_up_after_the_window()
    {
        var gaps = StartedAt(0);
        gaps.Accept([3], TimeSpan.Zero, out _);

        gaps.Expire(Window);
        Assert.Single(gaps.Open);
        gaps.Expire(Window + TimeSpan.FromMilliseconds(1));
        Assert.Empty(gaps.Open);
    }

    [Fact]
    public void Over_the_limit_the_oldest_gaps_are_given_up()
    {
        var gaps = new EventIdGaps(Window, maxGaps: 2);
        gaps.Start([0], TimeSpan.Zero);

        gaps.Accept([2, 4, 6], TimeSpan.Zero, out var givenUp);

        Assert.Equal(1, givenUp);
        Assert.Equal([3L, 5L], gaps.Open.Select(g => g.From));
    }
}
