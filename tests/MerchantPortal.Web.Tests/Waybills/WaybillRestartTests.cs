using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Waybills;

[Collection(WaybillCollection.Name)]
public class WaybillRestartTests
{
    /// <summary>
    /// R1 in CI: the host running a 300-order batch is stopped midway; a new host on the same database (and the
    /// same sandbox file) takes the batch over by itself once the lease lapses, and the sandbox has issued exactly
    /// one waybill per order.
    /// </summary>
    [Fact]
    public async Task R1_a_batch_whose_host_stops_midway_finishes_after_a_restart_with_exactly_one_waybill_per_order()
    {
        const int Count = 300;
        var directory = TempDirectory.Create("waybills-r1");
        var settings = WaybillTestData.Settings(leaseSeconds: 3);
        string[] orders;
        long batchId;
        await using (var first = new PortalFactory(directory, settings))
        {
            first.Start();
            // 50/s: the batch takes ~6 s, so the host is stopped well inside it.
            var accountId = await WaybillTestData.AccountAsync(first, requestsPerSecond: 50);
            orders = await WaybillTestData.CreateOrdersAsync(first, Count);
            batchId = await WaybillTestData.StartAsync(first, orders, accountId);
            BatchSummary? progress = null;
            await WaybillTestData.WaitUntilAsync(async () => (progress = await first.GetService<WaybillBatchService>().GetAsync(batchId))!.Succeeded >= 40,
                TimeSpan.FromMinutes(4), () => $"first host: {progress}{JobsSnapshot.Describe(first)}");
        }

        var stopped = await ReadBatchAsync(directory, batchId);
        Assert.Equal(WaybillBatchStatus.Running, stopped.Status);
        Assert.InRange(stopped.Succeeded, 40, Count - 1);

        await using var second = new PortalFactory(directory, settings);
        second.Start();
        var service = second.GetService<WaybillBatchService>();
        // The sweeper (every 2 minutes, and once at start) picks the batch up once its lease has lapsed.
        await WaybillTestData.WaitUntilAsync(async () => (await service.GetAsync(batchId))!.Status != WaybillBatchStatus.Running
            || await service.RequeueUnfinishedAsync(CancellationToken.None) > 0, TimeSpan.FromMinutes(2), () => "the sweeper never took the batch over" + JobsSnapshot.Describe(second));
        var summary = await WaybillTestData.WaitFinishedAsync(second, batchId);

        Assert.Equal(WaybillBatchStatus.Completed, summary.Status);
        Assert.Equal(Count, summary.Succeeded);
        var stats = await WaybillTestData.StatsAsync(second);
        Assert.Equal(Count, stats.WaybillsIssued);
        var waybills = await WaybillTestData.WaybillsAsync(second, orders);
        Assert.Equal(Count, waybills.Count);
        Assert.Equal(Count, waybills.Select(w => w.OrderNo).Distinct().Count());
        Assert.Equal(Count, waybills.Select(w => w.TrackingNo).Distinct().Count());
    }

    private static async Task<(WaybillBatchStatus Status, int Succeeded)> ReadBatchAsync(string directory, long batchId)
    {
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={Path.Combine(directory, "portal.db")};Pooling=False").Options;
        await using var db = new SqlitePortalDbContext(options);
        var status = await db.Set<WaybillBatch>().Where(b => b.Id == batchId).Select(b => b.Status).SingleAsync();
        var succeeded = await db.Set<WaybillBatchItem>().CountAsync(i => i.BatchId == batchId && i.Status == WaybillItemStatus.Succeeded);
        return (status, succeeded);
    }
}
