using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MerchantPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Honours the Idempotency-Key header on every POST under /api/v1 (docs/engineering.md: idempotent writes). The first request with a key
/// reserves it (a unique index makes two concurrent firsts impossible), runs, and stores its answer; a repeat gets
/// the stored answer with "Idempotent-Replayed: true"; a repeat while the first still runs gets 409; the same key
/// with a different body gets 422. Server errors (5xx) are not stored, so the client may retry them.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxStoredBody = 1024 * 1024;

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
        var clientId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var fingerprint = await FingerprintAsync(context.Request);

        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var record = new IdempotencyRecord { ClientId = clientId, Key = key, Fingerprint = fingerprint, CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
        db.Add(record);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var existing = await db.Set<IdempotencyRecord>().AsNoTracking()
                .SingleOrDefaultAsync(r => r.ClientId == clientId && r.Key == key, context.RequestAborted);
            await ReplayAsync(context, problems, existing, fingerprint);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            db.Remove(record);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.StatusCode >= 500 || buffer.Length > MaxStoredBody)
        {
            db.Remove(record);
        }
        else
        {
            record.Completed = true;
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
            record.Body = buffer.ToArray();
        }
        await db.SaveChangesAsync(CancellationToken.None);
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IProblemDetailsService problems, IdempotencyRecord? existing, string fingerprint)
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
            await Problem(context, problems, StatusCodes.Status409Conflict, "Request in progress",
                "A request with this Idempotency-Key is still being processed. Retry shortly to get its answer.");
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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
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
}
