using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Picking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>Waves through the API: the candidate groups up to a cut-off, a started wave's batch, and no second waybill on a second start.</summary>
[Collection(WaybillCollection.Name)]
public sealed class WaveApiTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    /// <summary>The API writes enums as names.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task A_wave_started_via_the_API_issues_a_batch_of_exactly_its_groups_orders_and_a_second_start_issues_nothing_more()
    {
        var p = PickingTestData.Prefix();
        var accountId = await WaybillTestData.AccountAsync(portal.Factory);
        var warehouseId = await PickingTestData.WarehouseAsync(portal.Factory, p, accountId);
        var orders = await PickingTestData.CreateOrdersAsync(portal.Factory, p, warehouseId,
            [($"{p}-A", "T恤", 1)], [($"{p}-A", "T恤", 2)], [($"{p}-B", "杯子", 1)], [($"{p}-B", "杯子", 1)]);
        var cutOff = DateTime.UtcNow.AddMinutes(-1);
        // The fourth order was paid after the cut-off: it waits for the next wave.
        await using (var db = await WaybillTestData.Db(portal.Factory))
        {
            await db.Set<Order>().Where(o => o.OrderNo == orders[3]).ExecuteUpdateAsync(u => u.SetProperty(o => o.PaidAtUtc, cutOff.AddMinutes(5)).SetProperty(o => o.CreatedAtUtc, cutOff.AddMinutes(5)));
        }
        using var api = portal.Factory.CreateApiClient();

        var listed = await api.GetFromJsonAsync<WaveEndpoints.WavesResponse>($"/api/v1/waves?cutOff={cutOff:O}", Json);
        var group = Assert.Single(listed!.Candidates, c => c.WarehouseId == warehouseId);
        Assert.Equal((accountId, 3, "ZTO"), (group.CarrierAccountId, group.Orders, group.ShipperCode));

        var started = await api.PostAsJsonAsync("/api/v1/waves", new { warehouseId, carrierAccountId = accountId, cutOffUtc = cutOff });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var wave = (await started.Content.ReadFromJsonAsync<WaveView>(Json))!;
        Assert.Matches(@"^W\d{8}-\d{4}-ZTO-\d+$", wave.Code);
        Assert.Equal(3, wave.OrderCount);
        var batchId = wave.BatchId!.Value;
        await using (var db = await WaybillTestData.Db(portal.Factory))
        {
            var items = await db.Set<WaybillBatchItem>().AsNoTracking().Where(i => i.BatchId == batchId).Select(i => i.OrderNo).ToListAsync();
            Assert.Equal(orders.Take(3).Order(), items.Order());
        }

        var again = await api.PostAsJsonAsync("/api/v1/waves", new { warehouseId, carrierAccountId = accountId, cutOffUtc = cutOff });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var summary = await WaybillTestData.WaitFinishedAsync(portal.Factory, batchId);
        Assert.Equal(3, summary.Succeeded);
        var afterwards = await api.PostAsJsonAsync("/api/v1/waves", new { warehouseId, carrierAccountId = accountId, cutOffUtc = cutOff });
        Assert.Equal(HttpStatusCode.Conflict, afterwards.StatusCode);

        var waybills = await WaybillTestData.WaybillsAsync(portal.Factory, orders);
        Assert.Equal(orders.Take(3).Order(), waybills.Select(w => w.OrderNo).Order());
        var fetched = (await api.GetFromJsonAsync<WaveView>($"/api/v1/waves/{wave.Id}", Json))!;
        Assert.Equal((WaybillBatchStatus.Completed, 3, 3), (fetched.BatchStatus!.Value, fetched.BatchDone, fetched.BatchSucceeded));
        var list = (await api.GetFromJsonAsync<PickList>($"/api/v1/waybill-batches/{batchId}/pick-list"))!;
        Assert.Equal(wave.Code, list.WaveCode);
        Assert.Equal([($"{p}-A", 3, 2), ($"{p}-B", 1, 1)], list.Rows.Select(r => (r.Sku!, r.Quantity, r.Orders)));

        var later = await api.GetFromJsonAsync<WaveEndpoints.WavesResponse>($"/api/v1/waves?cutOff={cutOff.AddMinutes(10):O}", Json);
        Assert.Equal(1, Assert.Single(later!.Candidates, c => c.WarehouseId == warehouseId).Orders);
        Assert.Contains(later.Recent, w => w.Code == wave.Code);
    }

    [Fact]
    public async Task A_wave_for_an_unknown_account_or_a_cut_off_outside_any_real_time_is_refused_naming_the_field()
    {
        using var api = portal.Factory.CreateApiClient();

        var account = await api.PostAsJsonAsync("/api/v1/waves", new { warehouseId = 1, carrierAccountId = 999999 });
        var cutOff = await api.GetAsync("/api/v1/waves?cutOff=0001-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, account.StatusCode);
        Assert.Contains("carrierAccountId", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, cutOff.StatusCode);
        Assert.Contains("cutOff", await cutOff.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/waves/999999999")).StatusCode);
    }
}
