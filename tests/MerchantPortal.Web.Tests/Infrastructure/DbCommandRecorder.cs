using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// EF Core's diagnostic events for commands executed by this async flow only (other tests share the process).
/// </summary>
public sealed class DbCommandRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<DbCommandRecorder?> Current = new();
    private readonly List<IDisposable> subscriptions = [];

    public DbCommandRecorder() => subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public List<string> Commands { get; } = [];

    public async Task<T> RecordAsync<T>(Func<Task<T>> work)
    {
        Current.Value = this;
        try
        {
            return await work();
        }
        finally
        {
            Current.Value = null;
        }
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData data && Current.Value == this)
        {
            lock (Commands)
            {
                Commands.Add(data.Command.CommandText);
            }
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
