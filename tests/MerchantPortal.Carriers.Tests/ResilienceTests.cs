using MerchantPortal.Carriers.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Carriers.Tests;

public sealed class ResilienceTests
{
    private const string TrackOk = """{"Success":true,"State":"2","StateEx":"2","Traces":[]}""";

    [Fact]
    public async Task A_query_succeeds_after_the_server_fails_twice()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(r => r.Number <= 2 ? ServerReply.Http(500) : ServerReply.Json(TrackOk));
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.True(result.Success);
        Assert.Equal(3, server.Received.Count);
        Assert.All(server.Received, r => Assert.Equal("8001", r.RequestType));
    }

    [Fact]
    public async Task A_waybill_create_is_retried_because_its_order_code_makes_it_idempotent()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(r => r.Number == 1
            ? ServerReply.Http(503)
            : ServerReply.Json("""{"Success":true,"ResultCode":"106","Order":{"LogisticCode":"ZT1"}}"""));
        using var host = new TestGateway();

        var result = await host.Gateway.CreateWaybillAsync(TestGateway.Account(server), Samples.Waybill());

        Assert.True(result.Success);
        Assert.Equal(2, server.Received.Count);
        Assert.Equal(server.Received[0].RequestData, server.Received[1].RequestData); // same OrderCode, same body
    }

    [Fact]
    public async Task Retry_after_on_a_429_is_honoured_before_the_next_attempt()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(r => r.Number == 1
            ? new ServerReply(429, string.Empty, new Dictionary<string, string> { ["Retry-After"] = "1" })
            : ServerReply.Json(TrackOk));
        using var host = new TestGateway(); // base backoff is 20 ms: only Retry-After can explain a 1 s gap

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.True(result.Success);
        Assert.Equal(2, server.Received.Count);
        var gap = server.Received[1].ReceivedUtc - server.Received[0].ReceivedUtc;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_persistent_429_ends_as_rate_limited_and_retriable()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Http(429));
        using var host = new TestGateway(o => o.MaxRetryAttempts = 1);

        var result = await host.Gateway.RecogniseCarrierAsync(TestGateway.Account(server), "ZT1");

        Assert.Equal(CarrierErrorKind.RateLimited, result.Error);
        Assert.True(result.Retriable);
        Assert.Equal(429, result.HttpStatus);
        Assert.Equal(2, server.Received.Count);
    }

    [Fact]
    public async Task A_query_gives_up_after_four_attempts_with_a_retriable_transport_error()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Http(503));
        using var host = new TestGateway();

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.True(result.Retriable);
        Assert.Equal(503, result.HttpStatus);
        Assert.Equal(4, server.Received.Count);
    }

    [Fact]
    public async Task A_pickup_booking_is_not_retried_after_a_server_error()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Http(500));
        using var host = new TestGateway();

        var result = await host.Gateway.BookPickupAsync(TestGateway.Account(server), Samples.Pickup());

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.True(result.Retriable); // the caller may repeat it with the same OrderCode
        Assert.Equal(500, result.HttpStatus);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_host_wide_standard_resilience_handler_does_not_make_pickup_booking_retry()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Http(500));
        using var host = new TestGateway(hostSetup: s => s.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));

        var result = await host.Gateway.BookPickupAsync(TestGateway.Account(server), Samples.Pickup());

        Assert.Equal(500, result.HttpStatus);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_pickup_cancel_is_not_retried_after_a_server_error()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Http(502));
        using var host = new TestGateway();

        var result = await host.Gateway.CancelPickupAsync(TestGateway.Account(server), "SF", "RT-1", null, null);

        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_hanging_server_ends_in_a_timeout_result_not_an_exception()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Hanging());
        using var host = new TestGateway(o =>
        {
            // Long enough for a request to reach the server on a busy machine, so the attempt count means something.
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(3.5);
        });

        var result = await host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1");

        Assert.False(result.Success);
        Assert.Equal(CarrierErrorKind.Timeout, result.Error);
        Assert.True(result.Retriable);
        Assert.True(server.Received.Count > 1, "a timed-out query attempt is retried");
    }

    [Fact]
    public async Task A_hanging_server_times_out_a_pickup_booking_after_a_single_attempt()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Hanging());
        using var host = new TestGateway(o => o.AttemptTimeout = TimeSpan.FromSeconds(1));

        var result = await host.Gateway.BookPickupAsync(TestGateway.Account(server), Samples.Pickup());

        Assert.Equal(CarrierErrorKind.Timeout, result.Error);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_retriable_transport_error()
    {
        Uri deadUrl;
        await using (var server = await ScriptedKdniaoServer.StartAsync())
        {
            deadUrl = server.BaseUrl;
        }

        using var host = new TestGateway(o => o.MaxRetryAttempts = 1);
        var account = new CarrierAccountContext("dead", TestGateway.EBusinessId, TestGateway.AppKey, KdniaoEndpoints.Sandbox(deadUrl), "ZTO", null);

        var result = await host.Gateway.TrackAsync(account, "ZTO", "ZT1");

        Assert.Equal(CarrierErrorKind.Transport, result.Error);
        Assert.True(result.Retriable);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_an_exception_not_a_result()
    {
        await using var server = await ScriptedKdniaoServer.StartAsync();
        server.Answer(_ => ServerReply.Hanging());
        using var host = new TestGateway();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Gateway.TrackAsync(TestGateway.Account(server), "ZTO", "ZT1", ct: cts.Token));
    }
}
