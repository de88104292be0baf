using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MerchantPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Honours the Idempotency-Key header on every POST under /api/v1 (docs/engineering.md: idempotent writes). The first request with a key
/// reserves it (a unique index makes two concurrent firsts impossible), runs, and stores its answer; a repeat gets
/// the stored answer with "Idempotent-Replayed: true" (until the purge, seven days later); the same key with a
/// different body gets 422. Server errors (5xx) are not stored, so the client may retry them.
/// <para>
/// A reservation is held under a lease (<see cref="ApiOptions.IdempotencyLease"/>, 60 s by default). While it is live
/// a repeat gets 409 with Retry-After (the lease's seconds left). A request that died before storing its answer
/// (process killed, host lost) stops renewing, and once its lease lapses the next repeat takes the reservation over
/// and runs. The takeover is one conditional UPDATE (… WHERE the lease has lapsed): when two repeats race for a dead
/// key, the database re-checks the row the first one has just renewed, the second updates nothing and gets 409.
/// </para>
/// <para>
/// The holder renews its lease every third of it while the request runs (one UPDATE, and only for requests slower
/// than that). The simpler-looking alternative, a lease longer than any request, needs a bound on request time the
/// portal does not have (file imports, carrier calls with retries) and would keep a dead key answering 409 for that
/// long. Renewing keeps the lease short and never lets a slow but live request be run a second time. A holder that
/// stalls past its whole lease (a frozen VM) can be overtaken: every write of the holder matches its
/// <see cref="IdempotencyRecord.LeaseToken"/>, so it still answers its own client but can neither overwrite nor
/// release the new holder's reservation.
/// </para>
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<ApiOptions> options, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    private const int MaxStoredBody = 1024 * 1024;
    private readonly TimeSpan lease = options.Value.IdempotencyLease;

    public async Task InvokeAsync(HttpContext context, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IProblemDetailsService problems)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/api/v1")
            || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var key = values.ToString().Trim();
        if (key.Length is 0 or > 128)
        {
            await Problem(context, problems, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key", "The Idempotency-Key header must be 1 to 128 characters.");
            return;
        }
        var held = new Holder(context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown", key, Guid.NewGuid());
        var fingerprint = await FingerprintAsync(context.Request);

        if (await ReserveAsync(dbFactory, clock, held, fingerprint, context.RequestAborted))
        {
            await RunAndStoreAsync(context, dbFactory, clock, held);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var existing = await db.Set<IdempotencyRecord>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.ClientId == held.ClientId && r.Key == key, context.RequestAborted);
        await ReplayAsync(context, problems, existing, fingerprint, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>The request's own reservation: a new one, or one taken over from a holder that stopped renewing it.</summary>
    private async Task<bool> ReserveAsync(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, Holder held, string fingerprint, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + lease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Add(new IdempotencyRecord
        {
            ClientId = held.ClientId, Key = held.Key, Fingerprint = fingerprint, CreatedAtUtc = now, LeaseToken = held.Token, LeaseUntilUtc = until,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // The key exists: answered, held by a running request, or left behind by one that died.
        }
        // Check and take in one statement: of two repeats racing for a dead key, the second finds the lease renewed.
        var taken = await db.Set<IdempotencyRecord>()
            .Where(r => r.ClientId == held.ClientId && r.Key == held.Key && r.Fingerprint == fingerprint && !r.Completed
                && (r.LeaseUntilUtc == null || r.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.LeaseToken, held.Token)
                .SetProperty(r => r.LeaseUntilUtc, until)
                .SetProperty(r => r.CreatedAtUtc, now), ct);
        if (taken == 1)
        {
            logger.LogInformation("Idempotency-Key {Key} of {Client} taken over: its previous request stopped renewing its lease", held.Key, held.ClientId);
        }
        return taken == 1;
    }

    private async Task RunAndStoreAsync(HttpContext context, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, Holder held)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await using (new LeaseRenewal(ct => RenewAsync(dbFactory, clock, held, ct)))
            {
                await next(context);
            }
        }
        catch
        {
            await ReleaseAsync(dbFactory, held);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.StatusCode >= 500 || buffer.Length > MaxStoredBody)
        {
            await ReleaseAsync(dbFactory, held);
        }
        else
        {
            await StoreAsync(dbFactory, held, context.Response, buffer.ToArray());
        }
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>Extends the lease every third of it until the request ends, so a live request is never taken over.</summary>
    private async Task RenewAsync(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, Holder held, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease / 3, clock, stop);
                var until = clock.GetUtcNow().UtcDateTime + lease;
                await using var db = await dbFactory.CreateDbContextAsync(stop);
                if (await Holding(db, held).ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseUntilUtc, until), stop) == 0)
                {
                    logger.LogWarning("Idempotency-Key {Key} of {Client} was taken over while its request still ran (stalled past the lease); its answer will not be stored", held.Key, held.ClientId);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed renewal leaves two more tries before the lease can lapse; keep going.
                logger.LogWarning(ex, "Renewing the lease of Idempotency-Key {Key} failed", held.Key);
            }
        }
    }

    private async Task StoreAsync(IDbContextFactory<PortalDbContext> dbFactory, Holder held, HttpResponse response, byte[] body)
    {
        var status = response.StatusCode;
        var contentType = response.ContentType;
        var location = response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var stored = await Holding(db, held).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.Completed, true)
            .SetProperty(r => r.StatusCode, status)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location)
            .SetProperty(r => r.Body, body), CancellationToken.None);
        if (stored == 0)
        {
            logger.LogWarning("The answer to Idempotency-Key {Key} of {Client} was not stored: another request took the key over", held.Key, held.ClientId);
        }
    }

    /// <summary>Frees the key for a retry (a server error, an exception), unless another request holds it by now.</summary>
    private static async Task ReleaseAsync(IDbContextFactory<PortalDbContext> dbFactory, Holder held)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await Holding(db, held).ExecuteDeleteAsync(CancellationToken.None);
    }

    private static IQueryable<IdempotencyRecord> Holding(PortalDbContext db, Holder held) =>
        db.Set<IdempotencyRecord>().Where(r => r.ClientId == held.ClientId && r.Key == held.Key && r.LeaseToken == held.Token && !r.Completed);

    private static async Task ReplayAsync(HttpContext context, IProblemDetailsService problems, IdempotencyRecord? existing, string fingerprint, DateTime now)
    {
        if (existing is null)
        {
            await Problem(context, problems, StatusCodes.Status409Conflict, "Idempotency-Key conflict", "The key was taken by a request that has just finished; send it again.");
        }
        else if (existing.Fingerprint != fingerprint)
        {
            await Problem(context, problems, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request. Use a new key for a new request.");
        }
        else if (!existing.Completed)
        {
            // The holder's lease says when to come back: by then it has answered, or it died and the key can be taken over.
            var left = (existing.LeaseUntilUtc ?? now) - now;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problem(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                "A request with this Idempotency-Key is still being processed. Retry after the seconds in Retry-After to get its answer.");
        }
        else
        {
            context.Response.StatusCode = existing.StatusCode;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            if (existing.ContentType is not null)
            {
                context.Response.ContentType = existing.ContentType;
            }
            if (existing.Location is not null)
            {
                context.Response.Headers.Location = existing.Location;
            }
            if (existing.Body is { Length: > 0 })
            {
                await context.Response.Body.WriteAsync(existing.Body, context.RequestAborted);
            }
        }
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = StartFingerprint(request.Method, $"{request.Path}{request.QueryString}");
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The fingerprint of a whole request in hand (what <see cref="FingerprintAsync"/> computes while streaming).</summary>
    internal static string Fingerprint(string method, string pathAndQuery, byte[] body)
    {
        using var sha = StartFingerprint(method, pathAndQuery);
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static IncrementalHash StartFingerprint(string method, string pathAndQuery)
    {
        var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n"));
        return sha;
    }

    private static Task Problem(HttpContext context, IProblemDetailsService problems, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    private sealed record Holder(string ClientId, string Key, Guid Token);

    /// <summary>Runs the renewal beside the request; disposing stops it and waits, so no renewal races the final write.</summary>
    private sealed class LeaseRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        public LeaseRenewal(Func<CancellationToken, Task> renew) => running = renew(stop.Token);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running;
            stop.Dispose();
        }
    }
}
