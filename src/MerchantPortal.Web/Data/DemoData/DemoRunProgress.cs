namespace MerchantPortal.Web.Data.DemoData;

/// <summary>
/// Where the demo run is, for the note in the layout ("demo data being generated, N %") and for tests that wait for it.
/// One per host; idle (never started) unless the run has work to do.
/// </summary>
public sealed class DemoRunProgress
{
    private volatile int percent;
    private volatile DemoRunState state;
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DemoRunState State => state;

    public int Percent => percent;

    /// <summary>Why the run stopped, when it failed (the log has the whole exception).</summary>
    public string? Failure { get; private set; }

    public bool IsRunning => state == DemoRunState.Running;

    /// <summary>Completes when the run has finished, failed, or was never needed.</summary>
    public Task Finished => done.Task;

    public event Action? Changed;

    public void Start()
    {
        state = DemoRunState.Running;
        Changed?.Invoke();
    }

    public void Report(int value)
    {
        var clamped = Math.Clamp(value, 0, 99);
        if (clamped != percent)
        {
            percent = clamped;
            Changed?.Invoke();
        }
    }

    public void Complete()
    {
        percent = 100;
        state = DemoRunState.Completed;
        done.TrySetResult();
        Changed?.Invoke();
    }

    public void Skip()
    {
        state = DemoRunState.NotNeeded;
        done.TrySetResult();
        Changed?.Invoke();
    }

    public void Fail(string reason)
    {
        Failure = reason;
        state = DemoRunState.Failed;
        done.TrySetResult();
        Changed?.Invoke();
    }
}

public enum DemoRunState
{
    NotNeeded,
    Running,
    Completed,
    Failed,
}
