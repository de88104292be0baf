using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The SKU catalogue (商品资料): its API, file import and export, and the weights orders take from it.</summary>
[Collection(SharedPortal.Name)]
public class CatalogueTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = OrderImportTests.Json;

    static CatalogueTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string NewSku() => "CAT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private async Task<CatalogueImportResult> ImportAsync(byte[] content, string fileName)
    {
        using var client = portal.Factory.CreateApiClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName } };
        var response = await client.PostAsync("/api/v1/catalogue/imports", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CatalogueImportResult>(Json))!;
    }

    [Fact]
    public async Task A_SKU_is_added_found_changed_and_deleted_and_a_bad_one_is_refused_field_by_field()
    {
        var sku = NewSku();
        using var client = portal.Factory.CreateApiClient();
        var created = await client.PostAsJsonAsync("/api/v1/catalogue/skus", new { sku, name = "纯棉T恤 白 L", barcode = "6901234567892", weightKg = 0.25, lengthCm = 30, widthCm = 20, heightCm = 3, warehouseId = 1, location = "A-01-03" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = (await created.Content.ReadFromJsonAsync<CatalogueView>(Json))!;
        Assert.Equal((0.25m, "A-01-03", 30m), (view.WeightKg, view.Location, view.LengthCm));

        var byPrefix = (await client.GetFromJsonAsync<CatalogueEndpoints.CatalogueListResponse>($"/api/v1/catalogue/skus?q={sku[..8]}", Json))!;
        Assert.Contains(byPrefix.Items, c => c.Sku == sku);
        var byBarcode = (await client.GetFromJsonAsync<CatalogueEndpoints.CatalogueListResponse>("/api/v1/catalogue/skus?q=6901234567892", Json))!;
        Assert.Contains(byBarcode.Items, c => c.Sku == sku);

        var changed = await client.PutAsJsonAsync($"/api/v1/catalogue/skus/{view.Id}", new { sku, name = "纯棉T恤 白 L", weightKg = 0.3 });
        Assert.Equal(0.3m, (await changed.Content.ReadFromJsonAsync<CatalogueView>(Json))!.WeightKg);

        var duplicate = await client.PostAsJsonAsync("/api/v1/catalogue/skus", new { sku, name = "x", weightKg = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var bad = await client.PostAsJsonAsync("/api/v1/catalogue/skus", new { sku = "", name = "", weightKg = 0, lengthCm = -1, warehouseId = 999999 });
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "sku", "name", "weightKg", "lengthCm", "warehouseId" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/catalogue/skus/{view.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/catalogue/skus/{view.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_GBK_catalogue_file_imports_its_good_rows_reports_a_bad_one_by_row_column_and_reason_and_a_second_file_updates_by_SKU()
    {
        var (a, b, c) = (NewSku(), NewSku(), NewSku());
        var csv = $"商品编码,商品名称,条码,重量(kg),长(cm),宽(cm),高(cm),仓库,库位\r\n{a},保温杯 500ml,690000000001,0.45,8,8,25,,B-02\r\n{b},茶叶礼盒,,一斤,,,,,\r\n{c},帆布包,,0.3,,,,NOPE,\r\n,,,,,,,,\r\n";
        var first = await ImportAsync(Encoding.GetEncoding("GB18030").GetBytes(csv), "商品资料.csv");
        Assert.Equal((1, 0), (first.Created, first.Updated));
        Assert.Equal([(3, "重量(kg)"), (4, "仓库")], first.Errors.Select(e => (e.Row, e.Column)));
        Assert.Contains("一斤", first.Errors[0].Reason);
        Assert.Contains("NOPE", first.Errors[1].Reason);

        var second = await ImportAsync(Encoding.UTF8.GetBytes($"sku,name,weightKg\n{a},保温杯 500ml 新款,0.5\n{b},茶叶礼盒,1.2\n"), "update.csv");
        Assert.Equal((1, 1, 0), (second.Created, second.Updated, second.Errors.Count));
        using var client = portal.Factory.CreateApiClient();
        var listed = (await client.GetFromJsonAsync<CatalogueEndpoints.CatalogueListResponse>($"/api/v1/catalogue/skus?q={a}", Json))!.Items.Single();
        Assert.Equal(("保温杯 500ml 新款", 0.5m, "690000000001", "B-02"), (listed.Name, listed.WeightKg, listed.Barcode, listed.Location));

        var missing = await ImportAsync(Encoding.UTF8.GetBytes("sku,title\nX,Y\n"), "missing.csv");
        Assert.Contains("name", missing.Errors.Single().Reason);
        Assert.Contains("title", missing.Errors.Single().Reason);

        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var export = await ops.GetStringAsync("/catalogue/export");
        Assert.StartsWith("\uFEFFsku,name,barcode,weightKg", export);
        Assert.Contains($"{a},保温杯 500ml 新款,690000000001,0.5", export);
    }

    [Fact]
    public async Task An_API_order_without_weights_takes_the_catalogue_weight_times_quantity_and_the_catalogue_warehouse()
    {
        var (sku, unknown) = (NewSku(), NewSku());
        var svc = portal.Factory.GetService<CatalogueService>();
        await svc.SaveAsync(null, new CatalogueInput(sku, "保温杯", null, 0.45m, WarehouseId: 2), "test");
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "CW-" + Guid.NewGuid().ToString("N")[..10];
        var response = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name = "王晓明", mobile = "13800138000", province = "浙江", city = "杭州市", district = "西湖区", address = "文三路 478 号 1203 室" },
            lines = new object[]
            {
                new { sku, name = "保温杯", quantity = 3, unitPrice = 59, weightKg = 0 },
                new { sku = unknown, name = "贴纸", quantity = 1, unitPrice = 1, weightKg = 0 },
                new { sku, name = "保温杯（已称重）", quantity = 1, unitPrice = 59, weightKg = 0.6 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<OrderDetail>(Json))!;
        Assert.Equal([1.35m, 0m, 0.6m], detail.Lines.Select(l => l.WeightKg));
        Assert.Equal(1.95m, detail.TotalWeightKg);
        // Not every SKU is in the catalogue, so no warehouse is implied.
        Assert.Null(detail.Order.WarehouseId);

        var single = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo = orderNo + "-W",
            receiver = new { name = "王晓明", mobile = "13800138000", province = "浙江", city = "杭州市", district = "西湖区", address = "文三路 478 号 1203 室" },
            lines = new object[] { new { sku, name = "保温杯", quantity = 1, unitPrice = 59, weightKg = 0 } },
        });
        Assert.Equal(2, (await single.Content.ReadFromJsonAsync<OrderDetail>(Json))!.Order.WarehouseId);
    }

    [Fact]
    public async Task Imported_orders_whose_SKUs_are_in_the_catalogue_take_its_weights_and_pass_the_waybill_preflight()
    {
        var (cup, tea) = (NewSku(), NewSku());
        var svc = portal.Factory.GetService<CatalogueService>();
        await svc.SaveAsync(null, new CatalogueInput(cup, "保温杯", null, 0.45m, WarehouseId: 2), "test");
        await svc.SaveAsync(null, new CatalogueInput(tea, "茶叶", null, 0.25m, WarehouseId: 2), "test");
        var id = Guid.NewGuid().ToString("N")[..8];
        var csv = $"订单编号,收货人,手机,省份,城市,区县,详细地址,商家编码,商品名称,数量\n"
            + $"CI-{id}-1,钱九,13800138000,广东省,深圳市,南山区,科技园 9 号,{cup},保温杯,2\n"
            + $"CI-{id}-1,钱九,13800138000,广东省,深圳市,南山区,科技园 9 号,{tea},茶叶,4\n"
            + $"CI-{id}-2,孙涛,13900139000,浙江省,杭州市,西湖区,文三路 1 号,NOT-IN-CATALOGUE,贴纸,1\n";
        var result = await OrderImportTests.ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv), "catalogue-weights.csv");
        Assert.Equal(2, result.ImportedOrders);

        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var weighed = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.OrderNo == $"CI-{id}-1");
        Assert.Equal([0.9m, 1.0m], weighed.Lines.OrderBy(l => l.LineNo).Select(l => l.WeightKg));
        Assert.Equal((1.9m, 2), (weighed.TotalWeightKg, weighed.WarehouseId));
        var unweighed = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.OrderNo == $"CI-{id}-2");
        Assert.Equal((0m, (int?)null), (unweighed.TotalWeightKg, unweighed.WarehouseId));

        // Approved as the review would (without its handlers: an automatic waybill would make the check say LiveWaybill).
        await db.Set<Order>().Where(o => o.Id == weighed.Id || o.Id == unweighed.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Approved));
        var preflight = await WaybillPreflight.CheckAsync(db, [weighed.Id, unweighed.Id], CancellationToken.None);
        Assert.Null(preflight.Single(p => p.OrderId == weighed.Id).Reason);
        Assert.Equal(WaybillReasons.MissingWeight, preflight.Single(p => p.OrderId == unweighed.Id).Reason);
    }
}
