using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills.Labels;
using Microsoft.EntityFrameworkCore;
using ZXing;
using ZXing.Common;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>One portal for the batch tests (they run one after another); sandbox counters are compared as deltas.</summary>
public sealed class WaybillPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new(overrides: WaybillTestData.Settings());

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class WaybillCollection
{
    /// <summary>The waybill test classes run one after another: each starts portals that issue hundreds of waybills.</summary>
    public const string Name = "waybill portals";
}

[Collection(WaybillCollection.Name)]
public class WaybillBatchTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task R2_with_carrier_faults_a_batch_completes_and_issues_each_waybill_once()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 80);
        var before = await WaybillTestData.StatsAsync(Factory);
        await WaybillTestData.SetFaultsAsync(Factory, errorRate: 0.2, timeoutRate: 0.05, tooManyRequestsRate: 0.1);
        BatchSummary summary;
        try
        {
            var batchId = await WaybillTestData.StartAsync(Factory, orders, accountId);
            summary = await WaybillTestData.WaitFinishedAsync(Factory, batchId, TimeSpan.FromMinutes(5));
        }
        finally
        {
            await WaybillTestData.SetFaultsAsync(Factory, 0, 0, 0);
        }
        var after = await WaybillTestData.StatsAsync(Factory);

        Assert.Equal(WaybillBatchStatus.Completed, summary.Status);
        Assert.Equal(80, summary.Succeeded);
        Assert.Equal(80, after.WaybillsIssued - before.WaybillsIssued);
        var waybills = await WaybillTestData.WaybillsAsync(Factory, orders);
        Assert.Equal(80, waybills.Count);
        Assert.Equal(80, waybills.Select(w => w.OrderNo).Distinct().Count());
        Assert.Equal(80, waybills.Select(w => w.TrackingNo).Distinct().Count());
    }

    [Trait("Database", TestDatabase.ServerTrait)]
    [Fact]
    public async Task R8_two_batches_at_once_over_overlapping_orders_give_one_waybill_per_order_and_the_other_says_why()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 40);
        var before = await WaybillTestData.StatsAsync(Factory);
        var service = Factory.GetService<WaybillBatchService>();

        var started = await Task.WhenAll(
            service.CreateAsync(orders[..30], accountId, null, "ops-1"),
            service.CreateAsync(orders[10..], accountId, null, "ops-2"));
        var first = await WaybillTestData.WaitFinishedAsync(Factory, started[0].BatchId!.Value);
        var second = await WaybillTestData.WaitFinishedAsync(Factory, started[1].BatchId!.Value);

        var after = await WaybillTestData.StatsAsync(Factory);
        Assert.Equal(40, after.WaybillsIssued - before.WaybillsIssued);
        var waybills = await WaybillTestData.WaybillsAsync(Factory, orders);
        Assert.Equal(40, waybills.Count);
        Assert.All(orders, o => Assert.Single(waybills, w => w.OrderNo == o && w.Live));
        Assert.Equal(40, first.Succeeded + second.Succeeded);

        var items = (await service.ItemsAsync(first.Id)).Concat(await service.ItemsAsync(second.Id)).ToList();
        foreach (var orderNo in orders[10..30])
        {
            var pair = items.Where(i => i.OrderNo == orderNo).ToList();
            Assert.Equal(2, pair.Count);
            var won = Assert.Single(pair, i => i.Status == WaybillItemStatus.Succeeded);
            var lost = Assert.Single(pair, i => i.Status == WaybillItemStatus.Skipped);
            Assert.Equal(WaybillReasons.LiveWaybill, lost.ErrorCode);
            Assert.Equal(won.TrackingNo, lost.Error);
        }
    }

    [Fact]
    public async Task A_paused_batch_stops_issuing_and_a_resumed_one_finishes_without_duplicates()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory, requestsPerSecond: 20);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 120);
        var before = await WaybillTestData.StatsAsync(Factory);
        var service = Factory.GetService<WaybillBatchService>();
        var batchId = await WaybillTestData.StartAsync(Factory, orders, accountId);
        await WaybillTestData.WaitUntilAsync(async () => (await service.GetAsync(batchId))!.Succeeded >= 10, TimeSpan.FromMinutes(2));

        Assert.True(await service.ControlAsync(batchId, BatchControl.Pause, "tests"));
        // Calls in flight finish; then nothing is claimed any more.
        await WaybillTestData.WaitUntilAsync(async () => !(await service.ItemsAsync(batchId)).Any(i => i.Status == WaybillItemStatus.InProgress), TimeSpan.FromMinutes(1));
        var paused = (await service.GetAsync(batchId))!;
        Assert.Equal(WaybillBatchStatus.Paused, paused.Status);
        Assert.InRange(paused.Succeeded, 10, 119);
        Assert.Equal(paused.Succeeded, (await WaybillTestData.StatsAsync(Factory)).WaybillsIssued - before.WaybillsIssued);

        Assert.True(await service.ControlAsync(batchId, BatchControl.Resume, "tests"));
        var done = await WaybillTestData.WaitFinishedAsync(Factory, batchId);

        Assert.Equal((WaybillBatchStatus.Completed, 120), (done.Status, done.Succeeded));
        Assert.Equal(120, (await WaybillTestData.StatsAsync(Factory)).WaybillsIssued - before.WaybillsIssued);
    }

    [Fact]
    public async Task A_cancelled_batch_keeps_the_waybills_already_issued_and_issues_no_more()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory, requestsPerSecond: 20);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 120);
        var before = await WaybillTestData.StatsAsync(Factory);
        var service = Factory.GetService<WaybillBatchService>();
        var batchId = await WaybillTestData.StartAsync(Factory, orders, accountId);
        await WaybillTestData.WaitUntilAsync(async () => (await service.GetAsync(batchId))!.Succeeded >= 5, TimeSpan.FromMinutes(2));

        Assert.True(await service.ControlAsync(batchId, BatchControl.Cancel, "tests"));
        await WaybillTestData.WaitUntilAsync(async () => !(await service.ItemsAsync(batchId)).Any(i => i.Status is WaybillItemStatus.InProgress or WaybillItemStatus.Pending), TimeSpan.FromMinutes(1));
        var cancelled = (await service.GetAsync(batchId))!;

        Assert.Equal(WaybillBatchStatus.Cancelled, cancelled.Status);
        Assert.True(cancelled.Cancelled > 0);
        Assert.Equal(120, cancelled.Succeeded + cancelled.Cancelled);
        Assert.Equal(cancelled.Succeeded, (await WaybillTestData.StatsAsync(Factory)).WaybillsIssued - before.WaybillsIssued);
        Assert.False(await service.ControlAsync(batchId, BatchControl.Resume, "tests"));
    }

    [Fact]
    public async Task A_voided_waybill_stays_in_the_history_and_the_order_gets_a_new_one()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 1);
        await WaybillTestData.WaitFinishedAsync(Factory, await WaybillTestData.StartAsync(Factory, orders, accountId));
        var original = Assert.Single(await WaybillTestData.WaybillsAsync(Factory, orders));
        var before = await WaybillTestData.StatsAsync(Factory);

        using var api = Factory.CreateApiClient();
        var voided = await api.PostAsync($"/api/v1/waybills/{original.TrackingNo}/void", null);
        Assert.Equal(HttpStatusCode.NoContent, voided.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/waybills/{original.TrackingNo}/void", null)).StatusCode);
        await using (var db = await WaybillTestData.Db(Factory))
        {
            var order = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.OrderNo == orders[0]);
            Assert.Equal(OrderStatus.Approved, order.Status);
            Assert.Null(order.TrackingNo);
        }

        var again = await WaybillTestData.WaitFinishedAsync(Factory, await WaybillTestData.StartAsync(Factory, orders, accountId));

        Assert.Equal(1, again.Succeeded);
        var after = await WaybillTestData.StatsAsync(Factory);
        Assert.Equal(1, after.WaybillsCancelled - before.WaybillsCancelled);
        Assert.Equal(1, after.WaybillsIssued - before.WaybillsIssued);
        var history = await WaybillTestData.WaybillsAsync(Factory, orders);
        Assert.Equal(2, history.Count);
        Assert.Contains(history, w => !w.Live && w.TrackingNo == original.TrackingNo && w.OrderCode == orders[0] + "-1");
        var live = Assert.Single(history, w => w.Live);
        Assert.NotEqual(original.TrackingNo, live.TrackingNo);
        Assert.Equal(orders[0] + "-2", live.OrderCode);
    }

    [Fact]
    public async Task Orders_with_problems_are_skipped_with_their_reason_and_a_fixed_one_succeeds_on_retry()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var ready = await WaybillTestData.CreateOrdersAsync(Factory, 1);
        var noWeight = await WaybillTestData.CreateOrdersAsync(Factory, 1, weightKg: 0);
        var pending = await WaybillTestData.CreateOrdersAsync(Factory, 1, status: OrderStatus.PendingReview);
        var service = Factory.GetService<WaybillBatchService>();

        var batchId = await WaybillTestData.StartAsync(Factory, [.. ready, .. noWeight, .. pending], accountId);
        var summary = await WaybillTestData.WaitFinishedAsync(Factory, batchId);

        Assert.Equal(WaybillBatchStatus.CompletedWithErrors, summary.Status);
        Assert.Equal((1, 2), (summary.Succeeded, summary.Skipped));
        var items = await service.ItemsAsync(batchId);
        Assert.Equal(WaybillReasons.MissingWeight, items.Single(i => i.OrderNo == noWeight[0]).ErrorCode);
        Assert.Equal(WaybillReasons.NotApproved, items.Single(i => i.OrderNo == pending[0]).ErrorCode);

        await using (var db = await WaybillTestData.Db(Factory))
        {
            await db.Set<Order>().Where(o => o.OrderNo == noWeight[0]).ExecuteUpdateAsync(u => u.SetProperty(o => o.TotalWeightKg, 2.5m));
        }
        var item = items.Single(i => i.OrderNo == noWeight[0]);
        Assert.True(await service.ControlAsync(batchId, BatchControl.RetryFailed, "tests", item.Id));
        var retried = await WaybillTestData.WaitFinishedAsync(Factory, batchId);

        Assert.Equal((2, 1), (retried.Succeeded, retried.Skipped));
    }

    [Fact]
    public async Task The_API_starts_a_batch_reports_each_order_and_refuses_unknown_order_numbers()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 3);
        using var api = Factory.CreateApiClient();

        var unknown = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos = new[] { orders[0], "NO-SUCH-ORDER" }, carrierAccountId = accountId });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var created = await api.PostAsJsonAsync("/api/v1/waybill-batches", new { orderNos = orders, carrierAccountId = accountId });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await WaybillTestData.WaitFinishedAsync(Factory, id);

        var batch = await api.GetFromJsonAsync<JsonElement>($"/api/v1/waybill-batches/{id}");
        Assert.Equal("Completed", batch.GetProperty("status").GetString());
        Assert.Equal(3, batch.GetProperty("succeeded").GetInt32());
        Assert.All(batch.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("7", i.GetProperty("trackingNo").GetString()));
        var tiles = await api.GetFromJsonAsync<JsonElement>("/api/v1/dashboard");
        Assert.Contains(tiles.EnumerateArray(), t => t.GetProperty("key").GetString() == "AwaitingPickup" && t.GetProperty("count").GetInt64() >= 3);
    }

    [Fact]
    public async Task The_merged_label_PDF_prints_in_pick_order_and_its_first_barcode_scans_back()
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 3, skus: ["SKU-C", "SKU-A", "SKU-B"]);
        var batchId = await WaybillTestData.StartAsync(Factory, orders, accountId);
        await WaybillTestData.WaitFinishedAsync(Factory, batchId);
        var waybills = await WaybillTestData.WaybillsAsync(Factory, orders);
        var firstPicked = waybills.Single(w => w.OrderNo == orders[1]); // SKU-A

        using var api = Factory.CreateApiClient();
        var response = await api.GetAsync($"/api/v1/waybill-batches/{batchId}/labels?format=pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var poppler = new Poppler();
        var pdf = poppler.Write(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(3, await poppler.PageCountAsync(pdf));
        Assert.Contains(orders[1], await poppler.TextAsync(pdf, 1));
        Assert.Contains("中通快递", await poppler.TextAsync(pdf, 1));
        var image = await poppler.RasterizeAsync(pdf, 300);
        var top = (int)(31 / 25.4 * 300);
        var height = (int)(22 / 25.4 * 300);
        var band = image.Pixels.AsSpan(top * image.Width, height * image.Width).ToArray();
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], TryHarder = true } };
        var decoded = reader.Decode(new RGBLuminanceSource(band, image.Width, height, RGBLuminanceSource.BitmapFormat.Gray8));
        Assert.Equal(firstPicked.TrackingNo, decoded?.Text);

        var zpl = await api.GetStringAsync($"/api/v1/waybill-batches/{batchId}/labels?format=zpl");
        Assert.Equal(3, zpl.Split("^XA").Length - 1);
    }
}

[Collection(WaybillCollection.Name)]
public class AutoWaybillTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    [Fact]
    public async Task With_the_Admin_setting_on_approving_an_order_issues_its_waybill_through_a_batch()
    {
        var factory = portal.Factory;
        var orders = await WaybillTestData.CreateOrdersAsync(factory, 1, status: OrderStatus.PendingReview);
        var auto = factory.GetService<AutoWaybills>();
        await auto.SetAsync(true, "admin@demo.local");
        try
        {
            using var api = factory.CreateApiClient();
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/orders/{orders[0]}/approve", null)).StatusCode);
            await WaybillTestData.WaitUntilAsync(async () => (await WaybillTestData.WaybillsAsync(factory, orders)).Count == 1, TimeSpan.FromMinutes(2));
        }
        finally
        {
            await auto.SetAsync(false, "admin@demo.local");
        }
        await using var db = await WaybillTestData.Db(factory);
        var batch = await db.Set<WaybillBatch>().AsNoTracking().Where(b => db.Set<WaybillBatchItem>().Any(i => i.BatchId == b.Id && i.OrderNo == orders[0])).SingleAsync();
        Assert.Equal("auto", batch.Source);
        Assert.Equal(OrderStatus.WaybillIssued, await db.Set<Order>().Where(o => o.OrderNo == orders[0]).Select(o => o.Status).SingleAsync());
    }
}
