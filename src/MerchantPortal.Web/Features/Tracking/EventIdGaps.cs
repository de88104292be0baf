namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// The tracking event ids <see cref="ShipmentChangeNotifier"/> has not seen yet: every id above <see cref="High"/>,
/// and the gaps below it. A gap is a run of ids missing when a higher id was read: taken by a transaction that had not
/// committed yet, or never to appear (a rolled-back insert, a sequence that skipped ahead). Each gap stays open for
/// the window after it was first seen and shrinks as its ids turn up, so each id is reported once. Time is passed in
/// (a monotonic clock, never the portal's <see cref="TimeProvider"/>, which a demo or a test can move): pure, tested
/// without a database.
/// </summary>
internal sealed class EventIdGaps(TimeSpan window, int maxGaps)
{
    /// <summary>Ascending by <see cref="Gap.From"/>, disjoint, all below <see cref="High"/>; so also oldest first.</summary>
    private readonly List<Gap> gaps = [];

    public sealed record Gap(long From, long To, TimeSpan OpenedAt);

    /// <summary>The highest id seen; 0 before any.</summary>
    public long High { get; private set; }

    public IReadOnlyList<Gap> Open => gaps;

    /// <summary>
    /// The starting point: the most recent stored ids (any order) count as seen, and the holes among them are open
    /// gaps, since a transaction in flight at start may still commit into one.
    /// </summary>
    public void Start(IEnumerable<long> recentIds, TimeSpan now)
    {
        var ids = recentIds.Order().ToList();
        gaps.Clear();
        High = ids.Count == 0 ? 0 : ids[0] - 1;
        Accept(ids, now, out _);
    }

    /// <summary>Forgets the gaps opened more than the window ago: see the bound in <see cref="ShipmentChangeNotifier"/>.</summary>
    public void Expire(TimeSpan now) => gaps.RemoveAll(g => now - g.OpenedAt > window);

    /// <summary>
    /// Takes the ids one read returned (ascending) and returns those not seen before. Over <c>maxGaps</c> gaps the
    /// oldest are given up (<paramref name="givenUp"/>): they are almost always ids that will never appear.
    /// </summary>
    public List<long> Accept(IReadOnlyList<long> ascendingIds, TimeSpan now, out int givenUp)
    {
        var fresh = new List<long>();
        foreach (var id in ascendingIds)
        {
            if (id > High)
            {
                if (id > High + 1)
                {
                    gaps.Add(new Gap(High + 1, id - 1, now));
                }
                High = id;
                fresh.Add(id);
            }
            else if (Close(id))
            {
                fresh.Add(id);
            }
        }
        givenUp = Math.Max(0, gaps.Count - maxGaps);
        gaps.RemoveRange(0, givenUp);
        return fresh;
    }

    /// <summary>Removes <paramref name="id"/> from the gap holding it, if any (an id outside every gap was seen before).</summary>
    private bool Close(long id)
    {
        var i = gaps.FindIndex(g => g.From <= id && id <= g.To);
        if (i < 0)
        {
            return false;
        }
        var gap = gaps[i];
        gaps.RemoveAt(i);
        if (id < gap.To)
        {
            gaps.Insert(i, gap with { From = id + 1 });
        }
        if (id > gap.From)
        {
            gaps.Insert(i, gap with { To = id - 1 });
        }
        return true;
    }
}
