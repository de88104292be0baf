namespace MerchantPortal.CarrierSandbox.Simulation;

/// <summary>
/// Simulated time: real time × SpeedFactor from an anchor, plus hours added by <c>admin/advance</c>. The anchor is
/// the later of "now" and the last simulated instant saved in the store, so simulated time never runs backwards
/// across a restart and journeys already under way stay consistent.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly double _speed;
    private readonly Lock _gate = new();
    private DateTimeOffset _anchorReal;
    private DateTimeOffset _anchorSimulated;

    public SandboxClock(double speedFactor, TimeProvider? real = null)
    {
        _real = real ?? System;
        _speed = speedFactor > 0 ? speedFactor : 1;
        _anchorReal = _real.GetUtcNow();
        _anchorSimulated = _anchorReal;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            var elapsed = _real.GetUtcNow() - _anchorReal;
            return _anchorSimulated + TimeSpan.FromTicks((long)(elapsed.Ticks * _speed));
        }
    }

    /// <summary>Real wall-clock time, for things that are not simulated (push retry back-off, rate limits).</summary>
    public DateTimeOffset RealUtcNow => _real.GetUtcNow();

    /// <summary>Starts simulated time no earlier than <paramref name="simulatedUtc"/> (restored from the store).</summary>
    public void ResumeFrom(DateTimeOffset simulatedUtc)
    {
        lock (_gate)
        {
            var now = GetUtcNowUnlocked();
            _anchorReal = _real.GetUtcNow();
            _anchorSimulated = simulatedUtc > now ? simulatedUtc : now;
        }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            var now = GetUtcNowUnlocked();
            _anchorReal = _real.GetUtcNow();
            _anchorSimulated = now + by;
            return _anchorSimulated;
        }
    }

    /// <summary>Back to real time (admin/reset).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _anchorReal = _real.GetUtcNow();
            _anchorSimulated = _anchorReal;
        }
    }

    private DateTimeOffset GetUtcNowUnlocked() =>
        _anchorSimulated + TimeSpan.FromTicks((long)((_real.GetUtcNow() - _anchorReal).Ticks * _speed));
}
