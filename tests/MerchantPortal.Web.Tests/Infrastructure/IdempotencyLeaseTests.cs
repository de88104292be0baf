using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// Idempotency-Key leases over real HTTP (POST /api/v1/orders): a key left by a request that died is taken over once its
/// lease lapses, a live lease answers 409 with Retry-After, concurrent repeats run the endpoint once, and a long request
/// keeps its key by renewing. The portal's clock is a fake one the tests move; a <see cref="CommandGate"/> keeps a
/// request inside the endpoint while the test sends the repeats.
/// </summary>
[Trait("Database", "Server")]
public class IdempotencyLeaseTests(IdempotencyLeaseTests.Portal fixture) : IClassFixture<IdempotencyLeaseTests.Portal>
{
    private static readonly TimeSpan Lease = new ApiOptions().IdempotencyLease;

    public sealed class Portal : IAsyncLifetime
    {
        private string? clientId;

        public Portal() => Factory = new ClockedPortal(services: Gate.AddTo);

        public CommandGate Gate { get; } = new();

        public ClockedPortal Factory { get; }

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();

        /// <summary>Whom the demo API key's keys belong to, as the middleware records it (from a 400 it stored).</summary>
        public async Task<string> ClientIdAsync()
        {
            if (clientId is null)
            {
                var key = Guid.NewGuid().ToString();
                using var api = Factory.CreateApiClient();
                var invalid = await api.SendAsync(Post(key, OrderJson("CID-" + Guid.NewGuid().ToString("N")[..8], quantity: 0)));
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
                await using var db = await Factory.DbAsync();
                clientId = await db.Set<IdempotencyRecord>().Where(r => r.Key == key).Select(r => r.ClientId).SingleAsync();
            }
            return clientId;
        }
    }

    private ClockedPortal P => fixture.Factory;

    private static string OrderJson(string orderNo, string address = "文三路 100 号", int quantity = 2) => JsonSerializer.Serialize(new
    {
        orderNo,
        channel = "Tmall",
        receiver = new { name = "李雷", mobile = "+86 138 0013 8000", province = "浙江", city = "杭州市", district = "西湖区", address, postcode = "310012" },
        lines = new[] { new { sku = "SKU-1", name = "龙井", quantity, unitPrice = 128.0m, weightKg = 0.3m } },
        remark = "idempotency lease",
    });

    private static HttpRequestMessage Post(string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return request;
    }

    private static (string OrderNo, string Key, string Json) NewOrder()
    {
        var orderNo = "LEASE-" + Guid.NewGuid().ToString("N")[..10];
        return (orderNo, Guid.NewGuid().ToString(), OrderJson(orderNo));
    }

    /// <summary>What a request that died mid-way leaves behind: its reservation, never answered, with its last lease.</summary>
    private async Task LeaveReservationAsync(string key, string json, DateTime leaseUntilUtc)
    {
        var reservation = new IdempotencyRecord
        {
            ClientId = await fixture.ClientIdAsync(),
            Key = key,
            Fingerprint = IdempotencyMiddleware.Fingerprint("POST", "/api/v1/orders", Encoding.UTF8.GetBytes(json)),
            CreatedAtUtc = P.Now - TimeSpan.FromMinutes(2),
            LeaseToken = Guid.NewGuid(),
            LeaseUntilUtc = leaseUntilUtc,
        };
        await using var db = await P.DbAsync();
        db.Add(reservation);
        await db.SaveChangesAsync();
    }

    private async Task<int> OrdersAsync(string orderNo)
    {
        await using var db = await P.DbAsync();
        return await db.Set<Order>().CountAsync(o => o.OrderNo == orderNo);
    }

    private async Task<DateTime?> LeaseUntilAsync(string key)
    {
        await using var db = await P.DbAsync();
        return await db.Set<IdempotencyRecord>().Where(r => r.Key == key).Select(r => r.LeaseUntilUtc).SingleAsync();
    }

    private static async Task AssertReplaysAsync(HttpClient api, string key, string json, string firstBody)
    {
        var replay = await api.SendAsync(Post(key, json));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until all the requests sent but one have answered while that one is inside the endpoint (or until they all answered, or a second got in).</summary>
    private static Task<(int Held, int Answered)> OneInsideAndTheRestAnsweredAsync(CommandGate.Hold hold, IReadOnlyCollection<Task<HttpResponseMessage>> sends) =>
        Waits.ForAsync(
            () => Task.FromResult((Held: hold.Held, Answered: sends.Count(s => s.IsCompleted))),
            v => v.Held > 1 || v.Answered == sends.Count || (v.Held == 1 && v.Answered == sends.Count - 1),
            TimeSpan.FromSeconds(20),
            v => $"{v.Held} request(s) inside the endpoint, {v.Answered} of {sends.Count} answered");

    [Fact]
    public async Task A_key_left_by_a_request_that_died_is_taken_over_after_its_lease_lapsed_and_the_order_is_created_once()
    {
        var (orderNo, key, json) = NewOrder();
        await LeaveReservationAsync(key, json, leaseUntilUtc: P.Now - TimeSpan.FromSeconds(1));
        using var api = P.CreateApiClient();

        var otherBody = await api.SendAsync(Post(key, OrderJson(orderNo, address: "另一个地址")));
        var first = await api.SendAsync(Post(key, json));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, $"{(int)first.StatusCode}: {firstBody}");
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        await AssertReplaysAsync(api, key, json, firstBody);
        Assert.Equal(1, await OrdersAsync(orderNo));
    }

    [Fact]
    public async Task While_the_lease_of_a_key_left_behind_is_live_a_repeat_gets_409_with_the_seconds_left_and_runs_nothing()
    {
        var (orderNo, key, json) = NewOrder();
        await LeaveReservationAsync(key, json, leaseUntilUtc: P.Now + TimeSpan.FromSeconds(45));
        using var api = P.CreateApiClient();

        var busy = await api.SendAsync(Post(key, json));

        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), busy.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await OrdersAsync(orderNo));

        P.Advance(TimeSpan.FromSeconds(46));
        var afterLapse = await api.SendAsync(Post(key, json));
        Assert.Equal(HttpStatusCode.Created, afterLapse.StatusCode);
        Assert.Equal(1, await OrdersAsync(orderNo));
    }

    [Fact]
    public async Task Eight_requests_with_one_key_at_once_run_the_endpoint_once_the_others_get_409_and_every_repeat_then_replays()
    {
        var (orderNo, key, json) = NewOrder();
        var hold = fixture.Gate.Close(orderNo);
        var clients = Enumerable.Range(0, 8).Select(_ => P.CreateApiClient()).ToList();
        try
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sends = clients.Select(async c =>
            {
                await go.Task;
                return await c.SendAsync(Post(key, json));
            }).ToList();
            go.SetResult();

            var (inside, _) = await OneInsideAndTheRestAnsweredAsync(hold, sends);

            Assert.Equal(1, inside);
            foreach (var answered in sends.Where(s => s.IsCompleted))
            {
                var busy = await answered;
                Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
                Assert.Equal(Lease, busy.Headers.RetryAfter?.Delta);
            }
            hold.Open();
            var responses = await Task.WhenAll(sends);
            var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            Assert.False(created.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(1, await OrdersAsync(orderNo));
            var body = await created.Content.ReadAsStringAsync();
            foreach (var client in clients)
            {
                await AssertReplaysAsync(client, key, json, body);
            }
        }
        finally
        {
            hold.Open();
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Of_two_requests_taking_over_one_lapsed_lease_at_once_only_one_runs()
    {
        var (orderNo, key, json) = NewOrder();
        await LeaveReservationAsync(key, json, leaseUntilUtc: P.Now - TimeSpan.FromSeconds(1));
        var hold = fixture.Gate.Close(orderNo);
        using var a = P.CreateApiClient();
        using var b = P.CreateApiClient();
        try
        {
            var sends = new[] { a.SendAsync(Post(key, json)), b.SendAsync(Post(key, json)) };

            var (inside, _) = await OneInsideAndTheRestAnsweredAsync(hold, sends);

            Assert.Equal(1, inside);
            var answered = sends.Single(s => s.IsCompleted);
            var loser = await answered;
            Assert.Equal(HttpStatusCode.Conflict, loser.StatusCode);
            Assert.Equal(Lease, loser.Headers.RetryAfter?.Delta);
            hold.Open();
            var winner = await sends.Single(s => s != answered);
            Assert.Equal(HttpStatusCode.Created, winner.StatusCode);
            Assert.Equal(1, await OrdersAsync(orderNo));
        }
        finally
        {
            hold.Open();
        }
    }

    [Fact]
    public async Task A_request_running_longer_than_its_lease_renews_it_and_a_repeat_after_the_first_lease_still_gets_409()
    {
        var (orderNo, key, json) = NewOrder();
        var hold = fixture.Gate.Close(orderNo);
        using var a = P.CreateApiClient();
        using var b = P.CreateApiClient();
        try
        {
            var first = a.SendAsync(Post(key, json));
            await Waits.ForAsync(() => Task.FromResult(hold.Held), held => held == 1);
            var firstLease = await LeaseUntilAsync(key);

            P.Advance(Lease / 3);
            await Waits.ForAsync(() => LeaseUntilAsync(key), until => until > firstLease, TimeSpan.FromSeconds(10), until => $"lease until {until:O}, first {firstLease:O}");
            P.Advance(Lease - (Lease / 3) + TimeSpan.FromSeconds(5));
            var repeat = b.SendAsync(Post(key, json));
            var (inside, _) = await OneInsideAndTheRestAnsweredAsync(hold, [first, repeat]);

            Assert.Equal(1, inside);
            Assert.Equal(HttpStatusCode.Conflict, (await repeat).StatusCode);
            hold.Open();
            Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
            Assert.Equal(1, await OrdersAsync(orderNo));
        }
        finally
        {
            hold.Open();
        }
    }
}
