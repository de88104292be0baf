using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// Keeps a request "running" inside its endpoint for as long as a test needs: while a <see cref="Hold"/> is closed,
/// every database command that carries its marker (an order number, as a parameter value) waits, and the hold counts
/// how many commands it stopped — one per request that reached the endpoint's first query. Works with any provider:
/// it is added to whichever portal context the portal registered.
/// </summary>
public sealed class CommandGate : DbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, Hold> holds = new(StringComparer.Ordinal);

    public Hold Close(string marker) => holds[marker] = new Hold();

    /// <summary>For a portal factory's ConfigureTestServices: adds the gate to the context type the portal registered.</summary>
    public void AddTo(IServiceCollection services)
    {
        var contexts = services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(DbContextOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.IsAssignableTo(typeof(Data.PortalDbContext)))
            .Distinct()
            .ToList();
        Assert.NotEmpty(contexts);
        var configure = typeof(EntityFrameworkServiceCollectionExtensions).GetMethods()
            .Single(m => m.Name == nameof(EntityFrameworkServiceCollectionExtensions.ConfigureDbContext)
                && m.GetParameters()[1].ParameterType == typeof(Action<DbContextOptionsBuilder>));
        foreach (var context in contexts)
        {
            configure.MakeGenericMethod(context).Invoke(null, [services, (Action<DbContextOptionsBuilder>)(o => o.AddInterceptors(this)), ServiceLifetime.Singleton]);
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await WaitAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await WaitAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await WaitAsync(command, cancellationToken);
        return result;
    }

    private Task WaitAsync(DbCommand command, CancellationToken ct)
    {
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is string value && holds.TryGetValue(value, out var hold))
            {
                return hold.WaitAsync(ct);
            }
        }
        return Task.CompletedTask;
    }

    public sealed class Hold
    {
        private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int held;

        /// <summary>Commands stopped so far (while closed).</summary>
        public int Held => Volatile.Read(ref held);

        public void Open() => opened.TrySetResult();

        internal Task WaitAsync(CancellationToken ct)
        {
            if (opened.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }
            Interlocked.Increment(ref held);
            return opened.Task.WaitAsync(ct);
        }
    }
}
