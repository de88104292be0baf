using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>
/// 合并发货 and 拆单 end to end through the real parts: merge and split over the API, a waybill batch against the carrier
/// sandbox over HTTP (run here, one job, no job server), and the aggregator's signed pushes moving the orders.
/// </summary>
public sealed class MergedAndSplitParcelsTests : IAsyncLifetime
{
    // No job server: the tests run each batch themselves, and only their pushes move parcels (no poll, no sandbox
    // pushes of its own journeys).
    private readonly PortalFactory factory = new(overrides: new Dictionary<string, string?>(WaybillTestData.Settings())
    {
        ["Tracking:FutureScanTolerance"] = "00:10:00",
        ["Jobs:RunServer"] = "false",
        ["CarrierSandbox:PushIntervalSeconds"] = "86400",
    });

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static string Beijing(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static Trace[] SignedFor(DateTime now) =>
    [
        new(Beijing(now.AddHours(-30)), "【杭州市】快件已揽收", "1", "杭州市"),
        new(Beijing(now.AddHours(-2)), "【杭州市】快件已签收，签收人：本人", "3", "杭州市"),
    ];

    /// <summary>Orders to one receiver (王晓明, 文三路), one minute apart, each with its lines (name, quantity, weight of the line).</summary>
    private async Task<string[]> OrdersAsync(OrderStatus status, params (string Name, int Quantity, decimal WeightKg)[][] lines)
    {
        var prefix = "MS" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var start = DateTime.UtcNow.AddHours(-1);
        var orders = lines.Select((l, i) => new Order
        {
            OrderNo = $"{prefix}-{i + 1}",
            Channel = OrderChannel.OwnStore,
            Status = status,
            ReceiverName = "王晓明",
            ReceiverPhone = "13800138000",
            PhoneLast4 = "8000",
            Province = "浙江省",
            City = "杭州市",
            District = "西湖区",
            // The receiver is unique to this test's orders, so suggestions and auto-merge see only them.
            AddressDetail = $"文三路 478 号 {prefix}",
            WarehouseId = 1,
            TotalWeightKg = l.Sum(x => x.WeightKg),
            TotalAmount = l.Sum(x => x.Quantity * 10m),
            LineCount = l.Length,
            CreatedAtUtc = start.AddMinutes(i),
            UpdatedAtUtc = start.AddMinutes(i),
            Lines = [.. l.Select((x, n) => new OrderLine { LineNo = n + 1, Sku = "SKU-" + x.Name, Name = x.Name, Quantity = x.Quantity, UnitPrice = 10m, WeightKg = x.WeightKg })],
        }).ToList();
        await using var db = await WaybillTestData.Db(factory);
        db.AddRange(orders);
        await db.SaveChangesAsync();
        return [.. orders.Select(o => o.OrderNo)];
    }

    /// <summary>A batch for the orders, run to its end here (waybills issued and their parcels registered with tracking).</summary>
    private async Task<long> IssueAsync(params string[] orderNos)
    {
        var accountId = await WaybillTestData.AccountAsync(factory);
        var batchId = await WaybillTestData.StartAsync(factory, orderNos, accountId);
        await factory.GetService<WaybillBatchJob>().RunAsync(batchId, CancellationToken.None);
        return batchId;
    }

    private async Task<List<Waybill>> WaybillsAsync(string orderNo)
    {
        await using var db = await WaybillTestData.Db(factory);
        return await db.Set<Waybill>().AsNoTracking().Where(w => w.OrderNo == orderNo).OrderBy(w => w.Id).ToListAsync();
    }

    private static async Task<JsonElement> OrderAsync(HttpClient api, string orderNo) => await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");

    private static string Status(JsonElement detail) => detail.GetProperty("order").GetProperty("status").GetString()!;

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient api, string orderNo, string status) =>
        await WaitForAsync(() => OrderAsync(api, orderNo), d => Status(d) == status, TimeSpan.FromSeconds(10), d => $"{orderNo} is {Status(d)}");

    private static object SplitBody(params (int LineNo, int Quantity)[][] parcels) =>
        new { parcels = parcels.Select(p => new { lines = p.Select(l => new { lineNo = l.LineNo, quantity = l.Quantity }) }) };

    [Fact]
    public async Task Two_merged_orders_get_one_waybill_with_both_orders_lines_and_both_follow_its_scans_to_delivered()
    {
        using var api = factory.CreateApiClient();
        var orders = await OrdersAsync(OrderStatus.Approved, [("茶杯", 2, 0.5m)], [("茶壶", 1, 1.5m), ("茶盘", 1, 1m)]);

        var suggestions = await api.GetFromJsonAsync<JsonElement>("/api/v1/orders/merge-suggestions");
        var group = suggestions.EnumerateArray().Single(g => g.GetProperty("orders").EnumerateArray().Any(o => o.GetProperty("orderNo").GetString() == orders[0]));
        Assert.Equal(orders, group.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()!));

        var merged = await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[1], orders[0] } });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var lead = await merged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(orders[0], lead.GetProperty("order").GetProperty("orderNo").GetString());
        Assert.Equal([orders[1]], lead.GetProperty("shipping").GetProperty("mergedOrders").EnumerateArray().Select(o => o.GetString()!));
        Assert.Equal(orders[0], (await OrderAsync(api, orders[1])).GetProperty("shipping").GetProperty("mergedInto").GetString());

        var batchId = await IssueAsync(orders);

        var items = await factory.GetService<WaybillBatchService>().ItemsAsync(batchId);
        Assert.Equal(WaybillItemStatus.Succeeded, items.Single(i => i.OrderNo == orders[0]).Status);
        var follower = items.Single(i => i.OrderNo == orders[1]);
        Assert.Equal((WaybillItemStatus.Skipped, WaybillReasons.MergedInto, orders[0]), (follower.Status, follower.ErrorCode, follower.Error));
        var waybill = Assert.Single(await WaybillsAsync(orders[0]));
        Assert.Empty(await WaybillsAsync(orders[1]));
        var label = WaybillContent.Deserialize(waybill.LabelJson, DateTimeOffset.UtcNow);
        Assert.Equal(3m, label.WeightKg);
        foreach (var item in new[] { "茶杯 ×2", "茶壶 ×1", "茶盘 ×1" })
        {
            Assert.Contains(item, label.ItemSummary, StringComparison.Ordinal);
        }
        foreach (var orderNo in orders)
        {
            var issued = await OrderAsync(api, orderNo);
            Assert.Equal("WaybillIssued", Status(issued));
            Assert.Equal(waybill.TrackingNo, issued.GetProperty("order").GetProperty("trackingNo").GetString());
        }

        await PushAsync(factory, PushJson(waybill.TrackingNo, "3", "301", SignedFor(DateTime.UtcNow)));

        await WaitForStatusAsync(api, orders[0], "Delivered");
        var delivered = await WaitForStatusAsync(api, orders[1], "Delivered");
        var move = delivered.GetProperty("history").EnumerateArray().First(h => h.GetProperty("toStatus").GetString() == "Delivered");
        Assert.Equal("carrier:ZTO", move.GetProperty("actor").GetString());
        Assert.Contains(waybill.TrackingNo, move.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_split_order_gets_a_waybill_per_parcel_with_its_own_lines_and_is_delivered_only_when_both_parcels_are()
    {
        using var api = factory.CreateApiClient();
        var orderNo = (await OrdersAsync(OrderStatus.Approved, [("茶杯", 2, 1m), ("茶壶", 3, 3m)]))[0];

        var split = await api.PostAsJsonAsync($"/api/v1/orders/{orderNo}/split", SplitBody([(1, 2), (2, 1)], [(2, 2)]));
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var parcels = (await split.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shipping").GetProperty("parcels").EnumerateArray().ToList();
        Assert.Equal(2, parcels.Count);

        var batchId = await IssueAsync(orderNo);

        var items = await factory.GetService<WaybillBatchService>().ItemsAsync(batchId);
        Assert.Equal([1, 2], items.Select(i => i.ParcelNo));
        Assert.All(items, i => Assert.Equal(WaybillItemStatus.Succeeded, i.Status));
        var waybills = (await WaybillsAsync(orderNo)).OrderBy(w => w.ParcelNo).ToList();
        Assert.Equal([(1, orderNo + "-1"), (2, orderNo + "-P2-1")], waybills.Select(w => (w.ParcelNo, w.OrderCode)));
        var first = WaybillContent.Deserialize(waybills[0].LabelJson, DateTimeOffset.UtcNow);
        var second = WaybillContent.Deserialize(waybills[1].LabelJson, DateTimeOffset.UtcNow);
        Assert.Equal("茶杯 ×2, 茶壶 ×1", first.ItemSummary);
        Assert.Equal("茶壶 ×2", second.ItemSummary);
        Assert.Equal(2m, first.WeightKg);
        Assert.Equal(2m, second.WeightKg);
        Assert.Equal("WaybillIssued", Status(await OrderAsync(api, orderNo)));

        var now = DateTime.UtcNow;
        await PushAsync(factory, PushJson(waybills[0].TrackingNo, "3", "301", SignedFor(now)));
        var partial = await WaitForAsync(() => OrderAsync(api, orderNo), d => d.GetProperty("parcels").GetProperty("delivered").GetInt32() == 1, TimeSpan.FromSeconds(10), Status);
        Assert.Equal("Shipped", Status(partial));
        Assert.Equal(2, partial.GetProperty("parcels").GetProperty("total").GetInt32());
        var rows = partial.GetProperty("shipping").GetProperty("parcels").EnumerateArray().ToList();
        Assert.Equal("Delivered", rows[0].GetProperty("status").GetString());
        Assert.Equal(waybills[1].TrackingNo, rows[1].GetProperty("trackingNo").GetString());
        Assert.NotEqual("Delivered", rows[1].GetProperty("status").GetString());

        await PushAsync(factory, PushJson(waybills[1].TrackingNo, "3", "301", SignedFor(now)));
        await WaitForStatusAsync(api, orderNo, "Delivered");
    }

    [Fact]
    public async Task Voiding_one_parcels_waybill_reopens_the_order_and_the_next_batch_issues_only_that_parcel_again()
    {
        using var api = factory.CreateApiClient();
        var orderNo = (await OrdersAsync(OrderStatus.Approved, [("茶杯", 2, 1m)]))[0];
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/orders/{orderNo}/split", SplitBody([(1, 1)], [(1, 1)]))).StatusCode);
        await IssueAsync(orderNo);
        var issued = (await WaybillsAsync(orderNo)).OrderBy(w => w.ParcelNo).ToList();
        Assert.Equal(2, issued.Count);

        var voided = await factory.GetService<WaybillService>().VoidAsync(issued[1].TrackingNo, "tests");
        Assert.Equal(VoidOutcome.Voided, voided.Outcome);
        Assert.Equal("Approved", Status(await OrderAsync(api, orderNo)));
        // The split cannot change while a parcel still has its waybill.
        var resplit = await api.PostAsJsonAsync($"/api/v1/orders/{orderNo}/unsplit", new { });
        Assert.Equal(HttpStatusCode.Conflict, resplit.StatusCode);
        Assert.Contains(issued[0].TrackingNo, await resplit.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var again = await IssueAsync(orderNo);

        var items = await factory.GetService<WaybillBatchService>().ItemsAsync(again);
        Assert.Equal((WaybillItemStatus.Skipped, WaybillReasons.LiveWaybill, issued[0].TrackingNo), (items[0].Status, items[0].ErrorCode, items[0].Error));
        Assert.Equal(WaybillItemStatus.Succeeded, items[1].Status);
        var all = await WaybillsAsync(orderNo);
        Assert.Equal(3, all.Count);
        Assert.Equal(orderNo + "-P2-2", all[2].OrderCode);
        // Never two live waybills for one parcel.
        Assert.Equal([1, 2], all.Where(w => w.LiveOrderId != null).Select(w => w.ParcelNo).Order());
        Assert.Equal("WaybillIssued", Status(await OrderAsync(api, orderNo)));
    }

    [Fact]
    public async Task A_split_that_does_not_add_up_an_empty_parcel_and_a_split_of_a_merged_order_are_refused_naming_what_is_wrong()
    {
        using var api = factory.CreateApiClient();
        var orders = await OrdersAsync(OrderStatus.Approved, [("茶杯", 2, 1m), ("茶壶", 3, 3m)], [("茶盘", 1, 1m)]);

        var short1 = await api.PostAsJsonAsync($"/api/v1/orders/{orders[0]}/split", SplitBody([(1, 2), (2, 1)], [(2, 1)]));
        var empty = await api.PostAsJsonAsync($"/api/v1/orders/{orders[0]}/split", SplitBody([(1, 2), (2, 3)], []));
        var unknown = await api.PostAsJsonAsync("/api/v1/orders/NO-SUCH-ORDER/split", SplitBody([(1, 1)], [(1, 1)]));

        Assert.Equal(HttpStatusCode.BadRequest, short1.StatusCode);
        var problem = await short1.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("has 3 units; the parcels hold 2", problem.GetProperty("errors").GetProperty("lines[2]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("parcels[1]", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = orders })).StatusCode);
        var mergedSplit = await api.PostAsJsonAsync($"/api/v1/orders/{orders[0]}/split", SplitBody([(1, 2), (2, 1)], [(2, 2)]));
        Assert.Equal(HttpStatusCode.Conflict, mergedSplit.StatusCode);
        Assert.Contains("unmerge it first", await mergedSplit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await OrderAsync(api, orders[0])).GetProperty("shipping").GetProperty("parcelCount").GetInt32());
    }

    [Fact]
    public async Task Merging_is_refused_for_another_receiver_or_an_order_with_a_waybill_and_unmerge_works_until_the_lead_has_its_waybill()
    {
        using var api = factory.CreateApiClient();
        var orders = await OrdersAsync(OrderStatus.Approved, [("茶杯", 1, 1m)], [("茶壶", 1, 1m)]);
        var elsewhere = (await OrdersAsync(OrderStatus.Approved, [("茶盘", 1, 1m)]))[0];
        var pending = (await OrdersAsync(OrderStatus.Approved, [("茶叶", 1, 1m)]))[0];
        await IssueAsync(pending);

        var other = await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[0], elsewhere } });
        var issued = await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[0], pending } });
        var single = await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[0] } });

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains($"Order {elsewhere} goes to another receiver", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, issued.StatusCode);
        Assert.Contains($"Order {pending} is WaybillIssued", await issued.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = orders })).StatusCode);
        var unmerged = await api.PostAsync($"/api/v1/orders/{orders[1]}/unmerge", null);
        Assert.Equal(HttpStatusCode.OK, unmerged.StatusCode);
        var alone = await unmerged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("shipping").GetProperty("mergedInto").ValueKind);
        Assert.Contains(alone.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "Unmerged");
        Assert.Contains((await OrderAsync(api, orders[0])).GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "Unmerged");

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = orders })).StatusCode);
        await IssueAsync(orders[0]);
        var late = await api.PostAsync($"/api/v1/orders/{orders[1]}/unmerge", null);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("live waybill", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lead_waits_for_its_followers_approval_and_a_void_reopens_every_order_of_the_parcel()
    {
        using var api = factory.CreateApiClient();
        var orders = await OrdersAsync(OrderStatus.Approved, [("茶杯", 1, 1m)]);
        var late = await OrdersAsync(OrderStatus.PendingReview, [("茶壶", 1, 1m)]);
        await using (var db = await WaybillTestData.Db(factory))
        {
            // The same receiver as the first order (the helper gives each call its own).
            var address = await db.Set<Order>().Where(o => o.OrderNo == orders[0]).Select(o => o.AddressDetail).SingleAsync();
            await db.Set<Order>().Where(o => o.OrderNo == late[0]).ExecuteUpdateAsync(u => u.SetProperty(o => o.AddressDetail, address));
        }
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[0], late[0] } })).StatusCode);

        var waiting = await IssueAsync(orders[0]);
        var item = Assert.Single(await factory.GetService<WaybillBatchService>().ItemsAsync(waiting));
        Assert.Equal((WaybillReasons.MergedOrderNotApproved, late[0]), (item.ErrorCode, item.Error));

        (await api.PostAsync($"/api/v1/orders/{late[0]}/approve", null)).EnsureSuccessStatusCode();
        await IssueAsync(orders[0]);
        Assert.Equal("WaybillIssued", Status(await OrderAsync(api, late[0])));

        var waybill = Assert.Single(await WaybillsAsync(orders[0]), w => w.LiveOrderId != null);
        Assert.Equal(VoidOutcome.Voided, (await factory.GetService<WaybillService>().VoidAsync(waybill.TrackingNo, "tests")).Outcome);
        Assert.Equal("Approved", Status(await OrderAsync(api, orders[0])));
        Assert.Equal("Approved", Status(await OrderAsync(api, late[0])));
    }

    [Fact]
    public async Task With_the_setting_on_approving_orders_to_one_receiver_merges_them_and_with_it_off_it_does_not()
    {
        using var api = factory.CreateApiClient();
        var off = await OrdersAsync(OrderStatus.PendingReview, [("茶杯", 1, 1m)], [("茶壶", 1, 1m)]);
        var on = await OrdersAsync(OrderStatus.PendingReview, [("茶杯", 1, 1m)], [("茶壶", 1, 1m)]);
        Assert.False((await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/auto-merge")).GetProperty("enabled").GetBoolean());

        foreach (var o in off)
        {
            (await api.PostAsync($"/api/v1/orders/{o}/approve", null)).EnsureSuccessStatusCode();
        }
        var turnedOn = await api.PutAsJsonAsync("/api/v1/settings/auto-merge", new { enabled = true });
        Assert.True((await turnedOn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        try
        {
            // The setting is cached for a few seconds per instance: approve once it is seen.
            await WaybillTestData.WaitUntilAsync(() => AutoMerge.IsOnAsync(factory.GetService<Features.Admin.Settings.PortalSettings>()), TimeSpan.FromSeconds(10));
            foreach (var o in on)
            {
                (await api.PostAsync($"/api/v1/orders/{o}/approve", null)).EnsureSuccessStatusCode();
            }
        }
        finally
        {
            (await api.PutAsJsonAsync("/api/v1/settings/auto-merge", new { enabled = false })).EnsureSuccessStatusCode();
        }

        Assert.Equal(JsonValueKind.Null, (await OrderAsync(api, off[1])).GetProperty("shipping").GetProperty("mergedInto").ValueKind);
        Assert.Equal(on[0], (await OrderAsync(api, on[1])).GetProperty("shipping").GetProperty("mergedInto").GetString());
        Assert.Contains((await OrderAsync(api, on[0])).GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "MergedOrders");
    }
}
