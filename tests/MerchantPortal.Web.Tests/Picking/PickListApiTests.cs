using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MerchantPortal.Web.Features.Picking;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;
using MerchantPortal.Web.Tests.Waybills.Labels;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>
/// The pick list and packing slips of a real batch issued against the carrier sandbox, with a split order and a merged
/// pair, SKUs with and without a catalogue location and a line without a SKU.
/// </summary>
[Collection(WaybillCollection.Name)]
public sealed class PickListApiTests(WaybillPortal portal) : IClassFixture<WaybillPortal>, IDisposable
{
    private readonly Poppler poppler = new();

    private async Task<(long BatchId, string[] Orders, string P)> IssuedBatchAsync()
    {
        var p = PickingTestData.Prefix();
        var accountId = await WaybillTestData.AccountAsync(portal.Factory);
        await PickingTestData.CatalogueAsync(portal.Factory, ($"{p}-A", "T恤 红 L", "B-02"), ($"{p}-B", "马克杯", "A-01"));
        var orders = await PickingTestData.CreateOrdersAsync(portal.Factory, p, 1,
            [($"{p}-A", "T恤", 2), ($"{p}-C", "未建档商品", 1)],
            [($"{p}-A", "T恤", 3), ($"{p}-B", "杯子", 1)],
            [($"{p}-B", "杯子", 2)],
            [(null, "赠品贴纸", 1)]);
        using var api = portal.Factory.CreateApiClient();
        var split = await api.PostAsJsonAsync($"/api/v1/orders/{orders[1]}/split", new
        {
            parcels = new[] { new { lines = new[] { new { lineNo = 1, quantity = 1 }, new { lineNo = 2, quantity = 1 } } }, new { lines = new[] { new { lineNo = 1, quantity = 2 } } } },
        });
        Assert.True(split.IsSuccessStatusCode, await split.Content.ReadAsStringAsync());
        var merge = await api.PostAsJsonAsync("/api/v1/orders/merge", new { orderNos = new[] { orders[2], orders[3] } });
        Assert.True(merge.IsSuccessStatusCode, await merge.Content.ReadAsStringAsync());
        var summary = await WaybillTestData.WaitFinishedAsync(portal.Factory, await WaybillTestData.StartAsync(portal.Factory, orders, accountId));
        Assert.Equal(4, summary.Succeeded);
        return (summary.Id, orders, p);
    }

    [Fact]
    public async Task The_pick_list_of_an_issued_batch_adds_up_split_and_merged_parcels_by_SKU_in_location_order()
    {
        var (batchId, _, p) = await IssuedBatchAsync();
        using var api = portal.Factory.CreateApiClient();

        var list = (await api.GetFromJsonAsync<PickList>($"/api/v1/waybill-batches/{batchId}/pick-list"))!;

        Assert.Equal(
            [
                new PickListRow("A-01", $"{p}-B", "马克杯", 1 + 2, 2),
                new PickListRow("B-02", $"{p}-A", "T恤 红 L", 2 + 1 + 2, 2),
                new PickListRow(null, $"{p}-C", "未建档商品", 1, 1),
                new PickListRow(null, null, "赠品贴纸", 1, 1),
            ],
            list.Rows);
        Assert.Equal((4, 4, 10, "ZTO"), (list.Parcels, list.Orders, list.Units, list.ShipperCode));
        Assert.Null(list.WaveCode);

        var byAccept = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/waybill-batches/{batchId}/pick-list");
        byAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        var response = await api.SendAsync(byAccept);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = poppler.Write(await response.Content.ReadAsByteArrayAsync(), "pick-list.pdf");
        var text = await poppler.TextAsync(pdf);
        PdfText.Has(text, $"批次 {batchId}");
        PdfText.Has(text, $"{p}-A");
        PdfText.Has(text, "无库位");
        PdfText.Has(text, "第 1 / 1 页");
        Assert.Equal("application/pdf", (await api.GetAsync($"/api/v1/waybill-batches/{batchId}/pick-list?format=pdf")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/pdf", (await api.GetAsync($"/api/v1/waybill-batches/{batchId}/pick-list.pdf")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/waybill-batches/{batchId}/pick-list?format=docx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/waybill-batches/999999999/pick-list")).StatusCode);
    }

    [Fact]
    public async Task Packing_slips_carry_each_parcels_lines_masked_phone_and_remark_and_the_labels_with_slips_interleave_them()
    {
        var (batchId, orders, p) = await IssuedBatchAsync();
        using var api = portal.Factory.CreateApiClient();

        var slips = await api.GetAsync($"/api/v1/waybill-batches/{batchId}/packing-slips.pdf");
        var withLabels = await api.GetAsync($"/api/v1/waybill-batches/{batchId}/labels-with-slips.pdf");
        var single = await api.GetAsync($"/api/v1/packing-slips/{orders[1]}");

        Assert.Equal("application/pdf", slips.Content.Headers.ContentType?.MediaType);
        var slipsPdf = poppler.Write(await slips.Content.ReadAsByteArrayAsync(), "slips.pdf");
        Assert.Equal(2, await poppler.PageCountAsync(slipsPdf));
        var text = await poppler.TextAsync(slipsPdf);
        Assert.All(orders.Take(3), o => Assert.Contains(o, text, StringComparison.Ordinal));
        PdfText.Has(text, $"合并订单：{orders[3]}");
        PdfText.Has(text, "赠品贴纸");
        PdfText.Has(text, "包裹 2/2");
        PdfText.Has(text, "138****8000");
        PdfText.Has(text, "139****9000");
        PdfText.HasNot(text, "13800138000");
        PdfText.Has(text, $"{p}-C");

        var combined = poppler.Write(await withLabels.Content.ReadAsByteArrayAsync(), "combined.pdf");
        Assert.Equal(8, await poppler.PageCountAsync(combined));
        PdfText.Has(await poppler.TextAsync(combined, 2), "发货单");
        PdfText.HasNot(await poppler.TextAsync(combined, 1), "发货单");

        var one = poppler.Write(await single.Content.ReadAsByteArrayAsync(), "one.pdf");
        Assert.Equal(1, await poppler.PageCountAsync(one));
        var oneText = await poppler.TextAsync(one);
        PdfText.Has(oneText, "包裹 1/2");
        PdfText.Has(oneText, "包裹 2/2");
        var follower = poppler.Write(await api.GetByteArrayAsync($"/api/v1/packing-slips/{orders[3]}"), "follower.pdf");
        PdfText.Has(await poppler.TextAsync(follower), $"合并订单：{orders[3]}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/packing-slips/NO-SUCH-ORDER")).StatusCode);
    }

    [Fact]
    public async Task The_batch_page_links_the_pick_list_packing_slips_and_labels_with_slips_which_open_as_PDFs()
    {
        var (batchId, _, _) = await IssuedBatchAsync();
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        var page = await ops.GetStringAsync($"/waybills/{batchId}");

        foreach (var (testId, href) in new[] { ("batch-pick-list", "pick-list.pdf"), ("batch-packing-slips", "packing-slips.pdf"), ("batch-labels-with-slips", "labels-with-slips.pdf") })
        {
            Assert.Contains($"data-testid=\"{testId}\"", page, StringComparison.Ordinal);
            var response = await ops.GetAsync($"/waybills/batches/{batchId}/{href}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("inline", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        }
    }

    public void Dispose() => poppler.Dispose();
}
