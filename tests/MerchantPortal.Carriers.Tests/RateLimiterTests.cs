using MerchantPortal.Carriers.Tests.Support;

namespace MerchantPortal.Carriers.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public async Task Sixty_calls_on_a_twenty_per_second_account_are_paced_over_more_than_two_seconds()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        using var host = new TestGateway(o => o.TotalTimeout = TimeSpan.FromSeconds(20));
        var account = TestGateway.Account(server, requestsPerSecond: 20);

        var results = await Task.WhenAll(Enumerable.Range(0, 60)
            .Select(i => host.Gateway.TrackAsync(account, "ZTO", "ZT" + i)));

        Assert.All(results, r => Assert.True(r.Success, r.Reason));
        var times = server.Received.Select(r => r.ReceivedUtc).Order().ToList();
        Assert.Equal(60, times.Count);
        var span = times[^1] - times[0];
        // Paced at one call per 50 ms the 60 calls need ~2.95 s; a bucket that allowed a burst of 20 would finish in
        // ~2.0 s. Arrival jitter on a busy machine only bunches calls, it cannot stretch the first-to-last span.
        Assert.True(span >= TimeSpan.FromSeconds(2.5), $"60 calls arrived within {span.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Two_accounts_do_not_share_a_limit()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        using var host = new TestGateway(o => o.TotalTimeout = TimeSpan.FromSeconds(20));
        var busy = TestGateway.Account(server, requestsPerSecond: 20, accountKey: "busy");
        var quiet = TestGateway.Account(server, requestsPerSecond: 20, accountKey: "quiet");

        // "busy" needs about 2 s for its 40 calls; if "quiet" shared its bucket, its 10 calls would queue behind them.
        var busyCalls = Enumerable.Range(0, 40).Select(i => host.Gateway.TrackAsync(busy, "ZTO", "B" + i)).ToList();
        var quietCalls = Enumerable.Range(0, 10).Select(i => host.Gateway.TrackAsync(quiet, "ZTO", "Q" + i)).ToList();
        await Task.WhenAll(busyCalls.Concat(quietCalls));

        var start = server.Received.Min(r => r.ReceivedUtc);
        var lastQuiet = server.Received.Where(IsQuiet).Max(r => r.ReceivedUtc) - start;
        var lastBusy = server.Received.Where(r => !IsQuiet(r)).Max(r => r.ReceivedUtc) - start;
        Assert.True(lastBusy >= TimeSpan.FromSeconds(1.8), $"busy account finished after {lastBusy.TotalMilliseconds} ms");
        // Measured against "busy" rather than the wall clock: a loaded machine stretches both, but a shared bucket
        // would put quiet's last call after busy's 40 (~2 s), its own bucket lets all 10 through in ~0.45 s.
        Assert.True(lastQuiet < lastBusy / 2, $"quiet account finished after {lastQuiet.TotalMilliseconds} ms, busy after {lastBusy.TotalMilliseconds} ms");

        static bool IsQuiet(ReceivedRequest r) => r.RequestData.Contains("\"Q", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_limiter_queue_is_reported_as_rate_limited_without_reaching_the_server()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        using var host = new TestGateway(o => o.RateLimitQueueSeconds = 1); // 1 call/s → room for one waiting call
        var account = TestGateway.Account(server, requestsPerSecond: 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => host.Gateway.TrackAsync(account, "ZTO", "ZT" + i)));

        var refused = results.Where(r => !r.Success).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r =>
        {
            Assert.Equal(CarrierErrorKind.RateLimited, r.Error);
            Assert.True(r.Retriable);
            Assert.Null(r.HttpStatus);
        });
        Assert.Equal(results.Count(r => r.Success), server.Received.Count);
    }
}
