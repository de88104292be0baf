using System.Collections.Concurrent;
using System.Security.Claims;
using MerchantPortal.Web.Components.Shared;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Exports stream every matching row and are the heaviest request a signed-in user can start: 20 at once by one user
/// once held /health/live for 16 s. So each user runs one export at a time and the process at most
/// <c>Exports:MaxConcurrent</c> (default 2); a refused export gets 429 with a message in the reader's language.
/// A lease ends with the request, also when the download is cancelled (the response's token aborts the stream).
/// </summary>
public sealed class ExportGate(IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim slots = new(Math.Max(1, configuration.GetValue("Exports:MaxConcurrent", 2)));

    /// <summary>Runs <paramref name="export"/> when the user has no export running and a slot is free; otherwise answers 429.</summary>
    public async Task RunAsync(HttpContext http, Func<Task> export)
    {
        var user = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.Identity?.Name ?? "";
        if (!running.TryAdd(user, 0))
        {
            await RefuseAsync(http, "Export.AlreadyRunning");
            return;
        }
        try
        {
            if (!slots.Wait(0))
            {
                await RefuseAsync(http, "Export.Busy");
                return;
            }
            try
            {
                await export();
            }
            finally
            {
                slots.Release();
            }
        }
        finally
        {
            running.TryRemove(user, out _);
        }
    }

    private static async Task RefuseAsync(HttpContext http, string key)
    {
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResources>>()[key];
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "30";
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(text, http.RequestAborted);
    }
}
