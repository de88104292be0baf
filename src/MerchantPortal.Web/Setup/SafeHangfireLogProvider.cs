using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// Hangfire's log provider is process-global, while the ILoggerFactory it writes to belongs to one host. When a
/// process holds more than one host (the sandbox-only host, the test suite's many portals) and one of them stops,
/// its disposed factory would throw inside the others' Hangfire workers and stall their jobs. Logging must never
/// stop work, so a disposed factory turns into silence.
/// </summary>
internal sealed class SafeHangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new SafeLog(null);
        }
    }

    private sealed class SafeLog(ILog? inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (inner is null)
            {
                return false;
            }
            try
            {
                return inner.Log(logLevel, messageFunc!, exception!);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
