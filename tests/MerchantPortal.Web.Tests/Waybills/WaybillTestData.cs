using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>Approved orders ready for waybills, a carrier account of the tests' own, and the sandbox's counters.</summary>
internal static class WaybillTestData
{
    public const string EBusinessId = "test1617571";
    public const string AppKey = "sandbox-appkey-0001-demo";

    /// <summary>The sandbox allows more than the account asks for, so only injected faults produce 429s.</summary>
    public static Dictionary<string, string?> Settings(int leaseSeconds = 60) => new()
    {
        ["CarrierSandbox:RateLimitPerSecond"] = "1000",
        ["Waybills:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Waybills:Parallelism"] = "16",
        // Under injected faults the every-minute tracking:poll occurrences wait on each other's lock
        // (DisableConcurrentExecution) and can hold all 4 default test workers; the batch job needs one free.
        ["Jobs:WorkerCount"] = "12",
    };

    public static async Task<int> AccountAsync(PortalFactory factory, int requestsPerSecond = 100)
    {
        var name = $"waybill tests ZTO {requestsPerSecond}/s";
        await using (var db = await Db(factory))
        {
            if (await db.Set<CarrierAccount>().Where(a => a.Name == name).Select(a => (int?)a.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }
        }
        var created = await factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Sandbox, null, EBusinessId, AppKey, "ZTO", "acct", "pwd", "7550001", null, null,
                RequestsPerSecond: requestsPerSecond), "test");
        return created.Id;
    }

    /// <summary>Approved orders with complete addresses and weights; SKUs given per order (cycled) decide the pick order.</summary>
    public static async Task<string[]> CreateOrdersAsync(PortalFactory factory, int count, string[]? skus = null, OrderStatus status = OrderStatus.Approved, decimal weightKg = 1.2m)
    {
        var prefix = "WB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var now = DateTime.UtcNow;
        var orders = Enumerable.Range(1, count).Select(i => new Order
        {
            OrderNo = $"{prefix}-{i:D5}",
            Channel = OrderChannel.OwnStore,
            Status = status,
            ReceiverName = "王晓明",
            ReceiverPhone = "13800138000",
            PhoneLast4 = "8000",
            Province = "浙江省",
            City = "杭州市",
            District = "西湖区",
            AddressDetail = "文三路 478 号华星时代广场 A 座 1203 室",
            WarehouseId = 1,
            TotalWeightKg = weightKg,
            TotalAmount = 59,
            LineCount = 1,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            Lines = [new OrderLine { LineNo = 1, Sku = skus is null ? "SKU-1" : skus[(i - 1) % skus.Length], Name = "T恤", Quantity = 2, UnitPrice = 29.5m, WeightKg = weightKg }],
        }).ToList();
        await using var db = await Db(factory);
        db.AddRange(orders);
        await db.SaveChangesAsync();
        return [.. orders.Select(o => o.OrderNo)];
    }

    public static async Task<PortalDbContext> Db(PortalFactory factory) =>
        await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public static async Task<long> StartAsync(PortalFactory factory, IReadOnlyCollection<string> orderNos, int accountId)
    {
        var result = await factory.GetService<WaybillBatchService>().CreateAsync(orderNos, accountId, null, "tests");
        Assert.Equal(CreateBatchOutcome.Created, result.Outcome);
        return result.BatchId!.Value;
    }

    public static async Task<BatchSummary> WaitFinishedAsync(PortalFactory factory, long batchId, TimeSpan? timeout = null)
    {
        BatchSummary? summary = null;
        await WaitUntilAsync(async () =>
        {
            summary = await factory.GetService<WaybillBatchService>().GetAsync(batchId);
            return summary!.Status is WaybillBatchStatus.Completed or WaybillBatchStatus.CompletedWithErrors or WaybillBatchStatus.Cancelled;
        }, timeout ?? TimeSpan.FromMinutes(3), () => $"batch {batchId}: {summary}{JobsSnapshot.Describe(factory)}");
        return summary!;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? describe = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (cts.IsCancellationRequested)
            {
                Assert.Fail("Timed out waiting: " + (describe?.Invoke() ?? "condition"));
            }
            await Task.Delay(200);
        }
    }

    public sealed record SandboxStats(int WaybillsIssued, int WaybillsCancelled, Dictionary<string, int> CallsByRequestType, int Subscriptions = 0, Dictionary<string, int>? RateLimitedByRequestType = null)
    {
        public int Calls(string requestType) => CallsByRequestType.GetValueOrDefault(requestType);

        public int RateLimited(string requestType) => RateLimitedByRequestType?.GetValueOrDefault(requestType) ?? 0;
    }

    public static async Task<SandboxStats> StatsAsync(PortalFactory factory)
    {
        using var client = factory.CreateApiClient(apiKey: null);
        return (await client.GetFromJsonAsync<SandboxStats>("/sandbox/kdniao/admin/stats", new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    public static async Task SetFaultsAsync(PortalFactory factory, double errorRate, double timeoutRate, double tooManyRequestsRate)
    {
        using var client = factory.CreateApiClient(apiKey: null);
        var response = await client.PostAsJsonAsync("/sandbox/kdniao/admin/faults", new { errorRate, timeoutRate, tooManyRequestsRate });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every order's waybills (live and voided) as (OrderNo, TrackingNo, Live).</summary>
    public static async Task<List<(string OrderNo, string TrackingNo, bool Live, string OrderCode)>> WaybillsAsync(PortalFactory factory, IReadOnlyCollection<string> orderNos)
    {
        await using var db = await Db(factory);
        return [.. (await db.Set<Waybill>().AsNoTracking().Where(w => orderNos.Contains(w.OrderNo)).ToListAsync())
            .Select(w => (w.OrderNo, w.TrackingNo, w.LiveOrderId != null, w.OrderCode))];
    }
}
