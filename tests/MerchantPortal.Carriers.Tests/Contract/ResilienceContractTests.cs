using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>The gateway's retries against the sandbox's injected faults (500s, hangs, 429 + Retry-After).</summary>
[Collection(ContractCollection.Name)]
public sealed class ResilienceContractTests(ContractSandbox sandbox, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    // Faults must not leak into the next test class.
    public Task DisposeAsync() => sandbox.ResetAsync();

    [Fact]
    public async Task With_one_call_in_four_failing_a_thousand_tracking_queries_all_end_answered()
    {
        // 20% HTTP 500 and 5% hangs longer than the attempt timeout: one attempt in four fails. Eight retries put the
        // chance that any of the 1,000 queries runs out of attempts near 0.4% (0.25^9 × 1000).
        using var gateway = new ContractGateway(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(40);
            o.MaxRetryAttempts = 8;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        });
        Assert.True(ContractSandbox.TimeoutSeconds > 1, "an injected hang must outlast the attempt timeout");
        // A bulk account: at the usual account's 50/s the ~1,300 attempts alone would take 26 s.
        var account = sandbox.Account(requestsPerSecond: 400);
        var numbers = Enumerable.Range(0, 1000).Select(i => "7" + (3_200_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await sandbox.SetFaultsAsync(errorRate: 0.2, timeoutRate: 0.05);

        var watch = Stopwatch.StartNew();
        var results = new ConcurrentBag<CarrierResult<TrackingSnapshot>>();
        await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (number, ct) =>
            results.Add(await gateway.Gateway.TrackAsync(account, "ZTO", number, ct: ct)));
        watch.Stop();

        var failures = results.Where(r => !r.Success).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} queries failed, e.g. {failures.FirstOrDefault()?.Error} {failures.FirstOrDefault()?.Reason}");
        Assert.Equal(1000, results.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"took {watch.Elapsed}");

        var calls = sandbox.Calls.Where(c => c.RequestType == "8001").ToList();
        var stats = await sandbox.StatsAsync();
        var errors = calls.Count(c => c.Status == 500);
        var hangs = calls.Count(c => c.Aborted);
        output.WriteLine($"1000 queries in {watch.Elapsed.TotalSeconds:F1} s: {calls.Count} attempts on the wire, {calls.Count - 1000} retries " +
            $"({errors} HTTP 500, {hangs} hangs cut by the attempt timeout); sandbox callsByRequestType[8001] = {stats.Calls("8001")}, " +
            $"[1002] = {stats.Calls("1002")}");
        // Every query's number reached the sandbox's handler at least once, and the retries are really there.
        Assert.Equal(1000, calls.Where(c => c.Status == 200).Select(c => c.LogisticCode).Distinct().Count());
        Assert.InRange(calls.Count - 1000, 150, 700);
        Assert.True(hangs > 0 && errors > 0, $"{hangs} hangs, {errors} errors: the faults did not happen");
        // Faults are injected before the sandbox counts a call, so its counter sees each query's answered call only.
        Assert.InRange(stats.Calls("8001"), 1000, 1010);
        Assert.Equal(0, stats.Calls("1002")); // a 500 or a hang is not "8001 not opened": no fallback to 1002
    }

    [Fact]
    public async Task With_429s_injected_queries_still_end_answered_and_each_retry_waits_for_retry_after()
    {
        using var gateway = new ContractGateway(o =>
        {
            o.MaxRetryAttempts = 8;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20); // far below the sandbox's Retry-After of 1 s
        });
        var account = sandbox.Account(requestsPerSecond: 400);
        var numbers = Enumerable.Range(0, 48).Select(i => "7" + (3_300_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await sandbox.SetFaultsAsync(tooManyRequestsRate: 0.3);

        var results = new ConcurrentBag<CarrierResult<TrackingSnapshot>>();
        await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (number, ct) =>
            results.Add(await gateway.Gateway.TrackAsync(account, "ZTO", number, ct: ct)));

        Assert.All(results, r => Assert.True(r.Success, $"{r.Error} {r.Reason}"));
        var gaps = new List<TimeSpan>();
        foreach (var perNumber in sandbox.Calls.GroupBy(c => c.LogisticCode))
        {
            var ordered = perNumber.OrderBy(c => c.StartedUtc).ToList();
            for (var i = 0; i + 1 < ordered.Count; i++)
            {
                Assert.Equal(429, ordered[i].Status); // only a 429 is followed by another attempt here
                gaps.Add(ordered[i + 1].StartedUtc - ordered[i].EndedUtc);
            }
        }

        output.WriteLine($"{gaps.Count} retries after 429; shortest wait {gaps.DefaultIfEmpty().Min().TotalMilliseconds:F0} ms");
        Assert.True(gaps.Count >= 5, $"only {gaps.Count} 429s were injected");
        // Retry-After: 1 (seconds). Allow a little for clock granularity between the two timestamps.
        Assert.All(gaps, g => Assert.True(g >= TimeSpan.FromMilliseconds(900), $"retried after {g.TotalMilliseconds:F0} ms"));
    }

    [Fact]
    public async Task A_pickup_booking_that_meets_a_server_error_is_not_retried()
    {
        // 1801 gets one attempt (a lost answer must not book a second courier); the caller sees a retriable failure.
        using var gateway = new ContractGateway();
        await sandbox.SetFaultsAsync(errorRate: 1);

        var result = await gateway.Gateway.BookPickupAsync(sandbox.Account(), ContractSamples.Pickup());

        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.Equal(500, result.HttpStatus);
        Assert.True(result.Retriable);
        Assert.Single(sandbox.Calls);
    }
}
