namespace MerchantPortal.Web.Data.DemoData;

/// <summary>
/// The portal's clock while the demo run writes its history: the system time plus an offset the run moves from
/// −Days to zero, step by step. It is the portal's <see cref="TimeProvider"/> and the in-process sandbox's real-time
/// source, so every row the real services stamp and every scan the sandbox simulates agree on "now". One per host
/// (tests start several portals in one process), never static. The offset only ever grows, so "now" never runs
/// backwards; after the run it is zero and this is plain system time. Timers and delays are the base class's: real
/// time, so a heartbeat still beats once a second.
/// </summary>
public sealed class DemoTimeline : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    /// <summary>
    /// Moves "now" on to <paramref name="instant"/> (never past the system time, never backwards: an earlier instant is
    /// ignored).
    /// </summary>
    public void MoveTo(DateTimeOffset instant)
    {
        var wanted = Math.Min((instant - System.GetUtcNow()).Ticks, 0);
        long current;
        do
        {
            current = Interlocked.Read(ref offsetTicks);
            if (wanted <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref offsetTicks, wanted, current) != current);
    }

    /// <summary>
    /// The one step back, before anything is written: from zero to −<paramref name="by"/>. Only a fresh timeline can
    /// rewind, so a second call (a restart would build a new host anyway) cannot move a running history backwards.
    /// </summary>
    public bool Rewind(TimeSpan by) => Interlocked.CompareExchange(ref offsetTicks, -by.Ticks, 0) == 0;

    /// <summary>Back to the system clock.</summary>
    public void Finish() => Interlocked.Exchange(ref offsetTicks, 0);
}
