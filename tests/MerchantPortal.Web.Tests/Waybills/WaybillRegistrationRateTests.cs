using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>A portal whose sandbox allows only 20 calls per second per RequestType, below the account's 100/s.</summary>
public sealed class RateLimitedSandboxPortal : IAsyncLifetime
{
    public const int SandboxRequestsPerSecond = 20;

    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?>(WaybillTestData.Settings())
    {
        ["CarrierSandbox:RateLimitPerSecond"] = SandboxRequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // No demo shipments: the poll job's resubscribe of those would add 8008 calls of its own to the counts compared.
        ["DemoData:Orders"] = "0",
    });

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>P3b: the registration after a batch (shipments + 8008) when the carrier answers 429.</summary>
[Collection(WaybillCollection.Name)]
public class WaybillRegistrationRateTests(RateLimitedSandboxPortal portal) : IClassFixture<RateLimitedSandboxPortal>
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task A_registration_over_the_rate_limit_gets_429s_and_still_subscribes_every_shipment_exactly_once()
    {
        const int Count = 60;
        // The account believes it may send 100/s; the sandbox takes 20/s, so most of the first second's calls get 429.
        var accountId = await WaybillTestData.AccountAsync(Factory, requestsPerSecond: 100);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, Count);
        var before = await WaybillTestData.StatsAsync(Factory);

        var batchId = await WaybillTestData.StartAsync(Factory, orders, accountId);
        Assert.Equal(WaybillBatchStatus.Completed, (await WaybillTestData.WaitFinishedAsync(Factory, batchId)).Status);
        await WaybillTestData.WaitUntilAsync(async () => await SubscribedAsync(batchId) == Count, TimeSpan.FromMinutes(2),
            () => $"batch {batchId}: {SubscribedAsync(batchId).GetAwaiter().GetResult()} of {Count} subscribed");
        var after = await WaybillTestData.StatsAsync(Factory);

        Assert.True(after.RateLimited("8008") > before.RateLimited("8008"), "the sandbox answered no 8008 call with 429: the test did not exceed the limit");
        // Every parcel was subscribed by exactly one accepted call: a 429 is not counted, and no parcel was called for twice.
        Assert.Equal(Count, after.Calls("8008") - before.Calls("8008"));
        Assert.Equal(Count, after.Subscriptions - before.Subscriptions);
        await using var db = await WaybillTestData.Db(Factory);
        var shipments = await db.Set<Waybill>().Where(w => w.BatchId == batchId).Select(w => w.ShipmentId).ToListAsync();
        Assert.Equal(Count, shipments.Where(id => id != null).Distinct().Count());
    }

    [Fact]
    public async Task Two_registration_runs_at_once_call_the_carrier_once_per_shipment()
    {
        const int Count = 30;
        var shipments = new List<long>();
        for (var i = 0; i < Count; i++)
        {
            shipments.Add((await Tracking.TrackingTestData.CreateShipmentAsync(Factory, Tracking.TrackingTestData.NewZtoNumber())).Id);
        }
        var before = await WaybillTestData.StatsAsync(Factory);

        // Two runs over the same shipments, as when the batch job and its sweeper's copy overlap (the poll job's
        // resubscribe may take some too: it claims the same way).
        var run = Factory.GetService<ShipmentRegistrationRun>();
        await Task.WhenAll(
            run.SubscribeAsync(new[] { (IReadOnlyList<long>)shipments }.ToAsyncEnumerable(), CancellationToken.None),
            run.SubscribeAsync(new[] { (IReadOnlyList<long>)shipments }.ToAsyncEnumerable(), CancellationToken.None));
        await WaybillTestData.WaitUntilAsync(async () =>
        {
            await using var db = await WaybillTestData.Db(Factory);
            return await db.Set<Shipment>().CountAsync(s => shipments.Contains(s.Id) && s.SubscribedAtUtc != null) == Count;
        }, TimeSpan.FromMinutes(1));
        var after = await WaybillTestData.StatsAsync(Factory);

        Assert.Equal(Count, after.Calls("8008") - before.Calls("8008"));
        Assert.Equal(Count, after.Subscriptions - before.Subscriptions);
    }

    private async Task<int> SubscribedAsync(long batchId)
    {
        await using var db = await WaybillTestData.Db(Factory);
        return await db.Set<Waybill>().Where(w => w.BatchId == batchId && w.ShipmentId != null)
            .CountAsync(w => db.Set<Shipment>().Any(s => s.Id == w.ShipmentId && s.SubscribedAtUtc != null));
    }
}
