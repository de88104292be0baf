using System.Net.Http.Json;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Orders.OrderImportTests;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>
/// Each platform export of wwwroot-assets/demo-imports/platforms imports through its built-in template with no
/// mapping step, and each quirk its README lists is read as the shop meant it.
/// </summary>
[Collection(SharedPortal.Name)]
public class PlatformExportTests(SharedPortal portal)
{
    private static string Platform(string name) => DemoImport(Path.Combine("platforms", name));

    /// <summary>Uploaded with no template or mapping named: the built-in one for the platform is picked from the headers.</summary>
    private async Task<(Features.Orders.Import.ImportStatusDto Status, HttpClient Client)> ImportAsync(string file, string template)
    {
        var status = await OrderImportTests.ImportAsync(portal.Factory, await File.ReadAllBytesAsync(Platform(file)), file);
        Assert.True(status.Status == ImportStatus.Completed, status.Failure);
        Assert.Equal(template, status.TemplateName);
        Assert.True(status.RejectedRows == 0, string.Join("; ", status.Errors.Select(e => $"row {e.Row} {e.Column} {e.ReasonCode} '{e.Value}'")));
        return (status, portal.Factory.CreateApiClient());
    }

    private static async Task<OrderDetail> OrderAsync(HttpClient client, string orderNo) =>
        (await client.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/{orderNo}", Json))!;

    private static DateTime Beijing(int day, int hour, int minute, int second = 0) =>
        new DateTime(2026, 12, day, hour, minute, second, DateTimeKind.Utc).AddHours(-8);

    [Fact]
    public async Task The_Taobao_order_report_unwraps_Excel_guards_takes_the_postcode_out_of_the_address_and_keeps_the_masked_order()
    {
        var (status, client) = await ImportAsync("taobao-tmall-orders-gbk.csv", "淘宝/天猫 千牛订单报表");
        Assert.Equal("GB18030", status.Encoding);
        Assert.Equal((5, 5, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));

        // ="3712…" and '138…: the guards Excel needs are gone; the postcode in brackets left the street.
        var first = await OrderAsync(client, "3712026120100000001");
        Assert.Equal(("13800001111", "浙江省", "杭州市", "余杭区", "五常街道 文一西路 969 号", "311121"),
            (first.Order.Phone, first.Order.Province, first.Order.City, first.Order.District, first.Order.AddressDetail, first.Postcode));
        Assert.Equal((2, 128m), (first.Lines.Single().Quantity, first.Lines.Single().UnitPrice));
        Assert.Equal(Beijing(1, 9, 5), first.Order.PaidAtUtc);
        Assert.Equal(OrderChannel.Tmall, first.Order.Channel);

        // A buyer message with a quoted line break stays one field of one row.
        var second = await OrderAsync(client, "3712026120100000002");
        Assert.Equal("周末在家，\n工作日请放门卫", second.Order.Remark);
        var shanghai = await OrderAsync(client, "3712026120100000003");
        Assert.Equal(("上海市", "上海市", "徐汇区"), (shanghai.Order.Province, shanghai.Order.City, shanghai.Order.District));

        var masked = await OrderAsync(client, "3712026120100000004");
        Assert.True(masked.ReceiverMasked);
        Assert.Equal(["3712026120100000004"], status.MaskedOrderNos!);
        Assert.False(first.ReceiverMasked);
    }

    [Fact]
    public async Task The_JD_export_has_one_row_per_item_and_an_address_without_separators()
    {
        var (status, client) = await ImportAsync("jd-orders-gbk.csv", "京东 订单导出");
        Assert.Equal((3, 4, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));
        var two = await OrderAsync(client, "290120261201");
        Assert.Equal(["TEA-LJ-250", "CUP-GL-2"], two.Lines.Select(l => l.Sku));
        Assert.Equal([128m, 39.90m], two.Lines.Select(l => l.UnitPrice));
        Assert.Equal(("江苏省", "南京市", "鼓楼区", "中山北路 30 号"), (two.Order.Province, two.Order.City, two.Order.District, two.Order.AddressDetail));
        Assert.Equal(Beijing(1, 9, 20, 30), two.Order.PaidAtUtc);
        Assert.Equal("请用顺丰", (await OrderAsync(client, "290120261202")).Order.Remark);
        Assert.True((await OrderAsync(client, "290120261203")).ReceiverMasked);
    }

    [Fact]
    public async Task The_Pinduoduo_export_reads_headers_with_units_and_the_split_address()
    {
        var (status, client) = await ImportAsync("pinduoduo-orders.csv", "拼多多 订单导出");
        Assert.Equal((3, 3, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));
        var mugs = await OrderAsync(client, "241201-345678901234568");
        Assert.Equal(("MUG-CE-1", 2, 25m), (mugs.Lines.Single().Sku, mugs.Lines.Single().Quantity, mugs.Lines.Single().UnitPrice));
        Assert.Equal(("河南省", "郑州市", "金水区", "花园路 60 号"), (mugs.Order.Province, mugs.Order.City, mugs.Order.District, mugs.Order.AddressDetail));
        Assert.Equal("不要放驿站", mugs.Order.Remark);
        Assert.True((await OrderAsync(client, "241201-345678901234569")).ReceiverMasked);
    }

    [Fact]
    public async Task The_Douyin_export_trims_tab_guarded_ids_groups_sub_orders_and_keeps_the_encrypted_order()
    {
        var (status, client) = await ImportAsync("douyin-shop-orders.csv", "抖店 订单报表（商品维度）");
        Assert.Equal((3, 4, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));
        var two = await OrderAsync(client, "6931202612010000001");
        Assert.Equal(["TEA-LJ-250", "MUG-CE-1"], two.Lines.Select(l => l.Sku));
        Assert.Equal("主播说送杯子\n记得放一个", two.Order.Remark);
        Assert.Equal(Beijing(1, 20, 15), two.Order.PaidAtUtc);
        Assert.Equal(OrderChannel.Douyin, two.Order.Channel);
        Assert.True((await OrderAsync(client, "6931202612010000006")).ReceiverMasked);
    }

    [Fact]
    public async Task The_Kuaishou_export_reads_amounts_written_with_either_yuan_sign_and_one_cell_addresses()
    {
        var (status, client) = await ImportAsync("kuaishou-shop-orders.csv", "快手小店 订单导出");
        Assert.Equal((3, 3, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));
        var chongqing = await OrderAsync(client, "2412012345678901");
        Assert.Equal(("重庆市", "重庆市", "渝中区"), (chongqing.Order.Province, chongqing.Order.City, chongqing.Order.District));
        Assert.Equal(128m, chongqing.Lines.Single().UnitPrice);
        Assert.Equal(Beijing(1, 19, 1), chongqing.Order.PaidAtUtc);
        var foshan = await OrderAsync(client, "2412012345678902");
        Assert.Equal(("广东省", "佛山市", "南海区", 39.90m), (foshan.Order.Province, foshan.Order.City, foshan.Order.District, foshan.Lines.Single().UnitPrice));
        Assert.Equal(OrderChannel.Kuaishou, foshan.Order.Channel);
        Assert.True((await OrderAsync(client, "2412012345678903")).ReceiverMasked);
    }

    [Fact]
    public async Task The_Youzan_item_export_reads_slashed_headers_and_has_no_payment_time()
    {
        var (status, client) = await ImportAsync("youzan-orders.csv", "有赞 订单导出（商品维度）");
        Assert.Equal((2, 3, 1), (status.ImportedOrders, status.ImportedLines, status.MaskedOrders));
        var two = await OrderAsync(client, "E20261201100000012345678");
        Assert.Equal(("马超", "18800002323", "北京市", "海淀区", "中关村大街 27 号"),
            (two.Order.ReceiverName, two.Order.Phone, two.Order.Province, two.Order.District, two.Order.AddressDetail));
        Assert.Equal([1, 2], two.Lines.Select(l => l.Quantity));
        Assert.Null(two.Order.PaidAtUtc);
        Assert.Equal(OrderChannel.Youzan, two.Order.Channel);
        Assert.True((await OrderAsync(client, "E20261201100000012345679")).ReceiverMasked);
    }

    [Fact]
    public async Task A_masked_order_waits_for_the_real_receiver_before_its_waybill_and_entering_it_clears_the_mark()
    {
        var orderNo = "241206-" + Guid.NewGuid().ToString("N")[..15];
        var header = File.ReadLines(Platform("pinduoduo-orders.csv")).First();
        var row = $"茶语 陶瓷马克杯,{orderNo},待发货,25,0,0,0,25,25,1,冯**,1**********,福建省,厦门市,思明区,********,2026-12-06 10:00:00,2026-12-06 10:00:00,2026-12-06 10:00:00,2026-12-08 23:59:59,4123456789,白色,5123456789,MUG-CE-1,MUG,,,,无售后或售后取消,";
        var status = await OrderImportTests.ImportAsync(portal.Factory, System.Text.Encoding.UTF8.GetBytes(header + "\n" + row + "\n"), "pdd-masked.csv");
        Assert.Equal((1, 1), (status.ImportedOrders, status.MaskedOrders));

        await using (var db = await portal.Factory.GetService<Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Data.PortalDbContext>>().CreateDbContextAsync())
        {
            var order = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Set<Order>(), o => o.OrderNo == orderNo);
            order.Status = OrderStatus.Approved; // as if reviewed: the pre-flight looks at approved orders
            order.TotalWeightKg = 0.4m;
            var check = Features.Waybills.WaybillPreflight.Check(order, new Warehouse { Code = "T", Name = "T", Province = "浙江省", City = "杭州市" }, null);
            Assert.Equal(Features.Waybills.WaybillReasons.ReceiverMasked, check.Reason);
        }

        var fixes = portal.Factory.GetService<OrderAddressService>();
        var masked = await fixes.FixAsync(new OrderFix(orderNo, "冯**", "1**********", "福建省", "厦门市", "思明区", "********", 0.4m), "test");
        Assert.Equal(FixOutcome.Invalid, masked.Outcome);
        var real = await fixes.FixAsync(new OrderFix(orderNo, "冯晓", "13912345678", "福建省", "厦门市", "思明区", "鹭江道 8 号", 0.4m), "test");
        Assert.True(real.Ok);
        using var client = portal.Factory.CreateApiClient();
        Assert.False((await OrderAsync(client, orderNo)).ReceiverMasked);
    }
}
