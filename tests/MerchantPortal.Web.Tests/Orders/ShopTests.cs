using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>Shops (店铺): their admin API, orders naming them, the list / export / API / KPIs filtering by them, their sender on labels.</summary>
[Collection(SharedPortal.Name)]
public class ShopTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = OrderImportTests.Json;

    private static string NewCode() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<ShopView> CreateShopAsync(string code, string platform = "Tmall", object? sender = null)
    {
        using var client = portal.Factory.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/shops", sender ?? new { code, name = "天猫旗舰店 " + code, platform });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ShopView>(Json))!;
    }

    private static object Order(string orderNo, string? shop, params object[] lines) => new
    {
        orderNo,
        shop,
        receiver = new { name = "王晓明", mobile = "13800138000", province = "浙江", city = "杭州市", district = "西湖区", address = "文三路 478 号 1203 室" },
        lines = lines.Length > 0 ? lines : [new { sku = "SKU-X", name = "T恤", quantity = 1, unitPrice = 59, weightKg = 0.3 }],
    };

    [Fact]
    public async Task An_admin_creates_edits_and_deactivates_a_shop_and_each_change_is_audited()
    {
        var code = NewCode();
        var shop = await CreateShopAsync(code.ToUpperInvariant(), "Kuaishou");
        Assert.Equal((code, OrderChannel.Kuaishou, true), (shop.Code, shop.Platform, shop.Active));

        using var client = portal.Factory.CreateApiClient();
        var updated = await client.PutAsJsonAsync($"/api/v1/shops/{shop.Id}", new
        {
            code, name = "快手小店", platform = "youzan", warehouseId = 1,
            senderName = "小店客服", senderPhone = "138 0013 8000", senderProvince = "广东", senderCity = "深圳市", senderDistrict = "南山区", senderAddress = "科技园 9 号",
        });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var view = (await updated.Content.ReadFromJsonAsync<ShopView>(Json))!;
        Assert.Equal((OrderChannel.Youzan, 1, "13800138000", "广东省"), (view.Platform, view.WarehouseId, view.SenderPhone, view.SenderProvince));

        var deactivated = await client.PostAsync($"/api/v1/shops/{shop.Id}/deactivate", null);
        Assert.False((await deactivated.Content.ReadFromJsonAsync<ShopView>(Json))!.Active);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/shops/999999/deactivate", null)).StatusCode);

        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var id = shop.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == "Shop" && a.EntityId == id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["Shop.Created", "Shop.Updated", "Shop.Deactivated"], audit);
    }

    [Fact]
    public async Task A_shop_with_a_taken_code_an_unknown_platform_or_half_a_sender_is_refused_field_by_field()
    {
        var code = NewCode();
        await CreateShopAsync(code);
        using var client = portal.Factory.CreateApiClient();
        var bad = await client.PostAsJsonAsync("/api/v1/shops", new { code, name = "", platform = "Amazon", warehouseId = 999999, senderName = "客服", senderPhone = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "code", "name", "platform", "warehouseId", "senderPhone", "senderProvince", "senderCity", "senderDistrict", "senderAddress" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.False(errors.TryGetProperty("senderName", out _));
        var badCode = await client.PostAsJsonAsync("/api/v1/shops", new { code = "天猫 shop", name = "x", platform = "Tmall" });
        Assert.True(JsonDocument.Parse(await badCode.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task An_order_pushed_with_a_shop_belongs_to_it_and_takes_its_platform_and_an_unknown_shop_is_refused_by_name()
    {
        var shop = await CreateShopAsync(NewCode(), "JD");
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "SHOP-" + Guid.NewGuid().ToString("N")[..10];
        var created = await client.PostAsJsonAsync("/api/v1/orders", Order(orderNo, shop.Code.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var detail = (await created.Content.ReadFromJsonAsync<OrderDetail>(Json))!;
        Assert.Equal((shop.Id, OrderChannel.JD, shop.Name), (detail.Order.ShopId, detail.Order.Channel, detail.Shop));

        var unknown = await client.PostAsJsonAsync("/api/v1/orders", Order(orderNo + "-2", "no-such-shop"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var message = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("shop")[0].GetString();
        Assert.Contains("no-such-shop", message);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/orders/{orderNo}-2")).StatusCode);
    }

    [Fact]
    public async Task The_list_the_export_and_the_API_show_only_the_shops_orders_by_code_or_id()
    {
        var a = await CreateShopAsync(NewCode());
        var b = await CreateShopAsync(NewCode(), "Douyin");
        var stem = "SF" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var client = portal.Factory.CreateApiClient();
        foreach (var (no, shop) in new[] { ($"{stem}-1", a.Code), ($"{stem}-2", a.Code), ($"{stem}-3", b.Code), ($"{stem}-4", (string?)null) })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/orders", Order(no, shop))).StatusCode);
        }

        var byCode = (await client.GetFromJsonAsync<OrderEndpoints.OrderListResponse>($"/api/v1/orders?q={stem}&shop={a.Code}", Json))!;
        Assert.Equal([$"{stem}-1", $"{stem}-2"], byCode.Items.Select(o => o.OrderNo).Order());
        var byId = (await client.GetFromJsonAsync<OrderEndpoints.OrderListResponse>($"/api/v1/orders?q={stem}&shop={b.Id}", Json))!;
        Assert.Equal([$"{stem}-3"], byId.Items.Select(o => o.OrderNo));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orders?shop=no-such-shop")).StatusCode);

        var page = await portal.Factory.GetService<OrderQueries>().ListAsync(new OrderFilter(Q: stem, ShopId: b.Id), null, 50, fullPii: false);
        Assert.Equal([$"{stem}-3"], page.Items.Select(o => o.OrderNo));

        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var export = await ops.GetStringAsync($"/orders/export?q={stem}&shop={a.Code}");
        Assert.Contains($"{stem}-1", export);
        Assert.Contains($"{stem}-2", export);
        Assert.DoesNotContain($"{stem}-3", export);
        Assert.DoesNotContain($"{stem}-4", export);
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.GetAsync("/orders/export?shop=no-such-shop")).StatusCode);
    }

    [Fact]
    public async Task The_KPIs_of_a_shop_count_only_the_shipments_of_its_orders()
    {
        var shop = await CreateShopAsync(NewCode());
        var other = await CreateShopAsync(NewCode());
        var day = new DateOnly(2021, 3, 10);
        var final = KpiDefinitions.DayStartUtc(day).AddHours(10);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var account = await db.Set<Features.CarrierAccounts.CarrierAccount>().Select(a => a.Id).FirstAsync();
            var stem = "KS" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            foreach (var (i, shopId, status) in new[] { (1, (int?)shop.Id, ShipmentStatus.Delivered), (2, shop.Id, ShipmentStatus.Returned), (3, other.Id, ShipmentStatus.Delivered), (4, null, ShipmentStatus.Delivered) })
            {
                var order = new Order
                {
                    OrderNo = $"{stem}-{i}", Channel = OrderChannel.Tmall, Status = OrderStatus.Delivered, ReceiverName = "王晓明", ReceiverPhone = "13800138000",
                    PhoneLast4 = "8000", Province = "浙江省", City = "杭州市", District = "西湖区", AddressDetail = "文三路 1 号", ShopId = shopId,
                    CreatedAtUtc = final.AddDays(-3), UpdatedAtUtc = final,
                };
                db.Add(order);
                await db.SaveChangesAsync();
                db.Add(new Shipment
                {
                    OrderId = order.Id, Direction = ShipmentDirection.Forward, CarrierAccountId = account, ShipperCode = "ZTO", TrackingNo = $"{stem}{i}",
                    Status = status, CreatedAtUtc = final.AddDays(-2), FirstScanAtUtc = final.AddDays(-2), DeliveredAtUtc = status == ShipmentStatus.Delivered ? final : null,
                    FinalAtUtc = final, OriginProvince = "广东省", DestinationProvince = "浙江省",
                });
            }
            await db.SaveChangesAsync();
        }

        var queries = portal.Factory.GetService<KpiQueries>();
        var report = await queries.ReportAsync(new KpiFilter(day, day, ShopId: shop.Id));
        Assert.Equal((2, 1), (report.Totals.Final, report.Totals.Delivered));
        // Two days in transit: the 2-hour histogram bucket [48, 50) h.
        Assert.InRange(report.Totals.P50TransitHours!.Value, 48, 50);
        Assert.Equal(1, (await queries.ReportAsync(new KpiFilter(day, day, ShopId: other.Id))).Totals.Final);

        using var client = portal.Factory.CreateApiClient();
        var carriers = (await client.GetFromJsonAsync<List<KpiCarrierRow>>($"/api/v1/kpis/carriers?from=2021-03-10&to=2021-03-10&shop={shop.Id}", Json))!;
        Assert.Equal(2, carriers.Single().Shipments);
    }

    [Fact]
    public void A_shops_sender_is_the_sender_of_its_orders_waybills_and_its_warehouse_serves_orders_without_one()
    {
        var warehouses = new Dictionary<int, Warehouse>
        {
            [1] = new() { Id = 1, Code = "HZ", Name = "杭州仓", Province = "浙江省", City = "杭州市", District = "余杭区", Address = "仓前街道 1 号", ContactName = "周主管", ContactPhone = "13900001111", Active = true },
            [2] = new() { Id = 2, Code = "SZ", Name = "深圳仓", Province = "广东省", City = "深圳市", District = "宝安区", Address = "物流大道 8 号", ContactName = "陈主管", ContactPhone = "13900002222", Active = true },
        };
        var shops = new Dictionary<int, Shop>
        {
            [7] = new() { Id = 7, Code = "tmall", Name = "天猫旗舰店", WarehouseId = 2, SenderName = "天猫旗舰店客服", SenderPhone = "13800138000", SenderProvince = "上海市", SenderCity = "上海市", SenderDistrict = "浦东新区", SenderAddress = "张江路 88 号" },
            [8] = new() { Id = 8, Code = "jd", Name = "京东自营店", WarehouseId = 2 },
        };
        Order OrderOf(int? shopId, int? warehouseId) => new()
        {
            OrderNo = "L-1", Status = OrderStatus.Approved, ReceiverName = "王晓明", ReceiverPhone = "13800138000", PhoneLast4 = "8000", Province = "浙江省",
            City = "杭州市", District = "西湖区", AddressDetail = "文三路 1 号", ShopId = shopId, WarehouseId = warehouseId, TotalWeightKg = 1,
            Lines = [new OrderLine { LineNo = 1, Name = "T恤", Quantity = 1, WeightKg = 1 }],
        };
        var issued = new WaybillIssued("L-1-1", "ZT1", "ZTO", null, null, null, null, null, false);

        var tmall = OrderOf(7, null);
        var from = WaybillPreflight.Pick(warehouses, shops, tmall)!;
        Assert.Equal("SZ", from.Code);
        var label = WaybillContent.Label(tmall, from, issued, default);
        Assert.Equal(("天猫旗舰店客服", "13800138000", "上海市", "浦东新区", "张江路 88 号"), (label.Sender.Name, label.Sender.Phone, label.Sender.Province, label.Sender.District, label.Sender.Address));
        var request = WaybillContent.Request(tmall, from, "L-1-1", 3, "1");
        Assert.Equal(("天猫旗舰店客服", "13800138000", "张江路 88 号"), (request.Sender.Name, request.Sender.Mobile, request.Sender.Address));

        // A shop without a sender of its own: the warehouse's contact, and the order's own warehouse wins over the shop's.
        var jd = OrderOf(8, 1);
        var jdFrom = WaybillPreflight.Pick(warehouses, shops, jd)!;
        Assert.Same(warehouses[1], jdFrom);
        Assert.Equal("杭州仓（周主管）", WaybillContent.Label(jd, jdFrom, issued, default).Sender.Name);
        Assert.Same(warehouses[1], WaybillPreflight.Pick(warehouses, shops, OrderOf(null, null)));
    }
}
