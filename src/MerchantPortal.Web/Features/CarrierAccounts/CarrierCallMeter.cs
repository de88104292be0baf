using System.Collections.Concurrent;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>
/// Counts carrier calls per account and hour in memory and writes them in one small transaction every few
/// seconds: a batch of 10,000 waybills must not add 10,000 writes to the database it is already busy with. A
/// crash loses at most the last seconds of counts — health numbers, not business data.
/// </summary>
public sealed class CarrierCallMeter(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<CarrierCallMeter> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<(int AccountId, DateTime Hour), Counter> pending = new();
    private readonly ConcurrentDictionary<int, LastOutcome> outcomes = new();

    private sealed class Counter
    {
        public int Calls;
        public int Failures;
    }

    private sealed record LastOutcome(DateTime? SuccessUtc, DateTime? FailureUtc, string? FailureReason);

    public void Record(int accountId, CarrierResult result)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var counter = pending.GetOrAdd((accountId, hour), _ => new Counter());
        Interlocked.Increment(ref counter.Calls);
        // A business refusal (bad address, duplicate) is the carrier working; only transport-level trouble and
        // authentication refusals count against the account's health.
        var failed = !result.Success && (result.Retriable || result.ResultCode is "102" or "104");
        if (failed)
        {
            Interlocked.Increment(ref counter.Failures);
        }
        outcomes.AddOrUpdate(accountId,
            _ => failed ? new LastOutcome(null, now, result.Reason) : new LastOutcome(now, null, null),
            (_, last) => failed ? last with { FailureUtc = now, FailureReason = result.Reason } : last with { SuccessUtc = now });
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<((int AccountId, DateTime Hour) Key, int Calls, int Failures)>();
        foreach (var key in pending.Keys)
        {
            if (pending.TryRemove(key, out var counter))
            {
                batch.Add((key, counter.Calls, counter.Failures));
            }
        }
        var lastOutcomes = outcomes.ToArray();
        outcomes.Clear();
        if (batch.Count == 0 && lastOutcomes.Length == 0)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var ((accountId, hour), calls, failures) in batch)
        {
            var row = await db.Set<CarrierCallStat>().FindAsync([accountId, hour], ct);
            if (row is null)
            {
                db.Add(new CarrierCallStat { CarrierAccountId = accountId, HourUtc = hour, Calls = calls, Failures = failures });
            }
            else
            {
                row.Calls += calls;
                row.Failures += failures;
            }
        }
        foreach (var (accountId, outcome) in lastOutcomes)
        {
            var account = await db.Set<CarrierAccount>().FindAsync([accountId], ct);
            if (account is null)
            {
                continue;
            }
            if (outcome.SuccessUtc is { } success)
            {
                account.LastSuccessAtUtc = success;
            }
            if (outcome.FailureUtc is { } failure)
            {
                account.LastFailureAtUtc = failure;
                account.LastFailureReason = outcome.FailureReason is { Length: > 500 } r ? r[..500] : outcome.FailureReason;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not write carrier call statistics; they are retried with the next flush");
        }
    }
}

/// <summary>
/// How features call a carrier: by account id. It builds the account's context (secrets decrypted), calls the
/// gateway and counts the outcome for the account's health.
/// </summary>
public sealed class CarrierClient(ICarrierGateway gateway, CarrierAccountContexts contexts, CarrierCallMeter meter)
{
    public async Task<TResult> CallAsync<TResult>(int accountId, Func<ICarrierGateway, CarrierAccountContext, CancellationToken, Task<TResult>> call, CancellationToken ct = default)
        where TResult : CarrierResult
    {
        var context = await contexts.GetAsync(accountId, ct);
        var result = await call(gateway, context, ct);
        meter.Record(accountId, result);
        return result;
    }
}
