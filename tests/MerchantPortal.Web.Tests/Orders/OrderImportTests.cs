using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>R3 (docs/targets.md) on the demo import files of wwwroot-assets/demo-imports, through the real API, job and database.</summary>
[Collection(SharedPortal.Name)]
public class OrderImportTests(SharedPortal portal)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string DemoImport(string name) => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "demo-imports", name);

    public static async Task<ImportStatusDto> ImportAsync(PortalFactory factory, byte[] content, string fileName)
    {
        using var client = factory.CreateApiClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName } };
        var response = await client.PostAsync("/api/v1/order-imports", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<OrderEndpoints.ImportAccepted>(Json))!.Id;
        // Also run the job here, as the sweeper would: the lease lets only one run work, whichever is first. In the
        // full suite several portals start at once and Hangfire's process-global state can leave this portal's server
        // idle, which is not what these tests are about.
        await factory.GetService<OrderImportJob>().RunAsync(id, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = (await client.GetFromJsonAsync<ImportStatusDto>($"/api/v1/order-imports/{id}", Json))!;
            if (status.Status is ImportStatus.Completed or ImportStatus.Failed)
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Import {id} still {status.Status} after 60 s");
            await Task.Delay(100);
        }
    }

    [Trait("Database", TestDatabase.ServerTrait)]
    [Fact]
    public async Task The_English_fixture_imports_four_orders_and_reports_six_rows_with_column_and_reason_and_a_second_import_changes_nothing()
    {
        var bytes = await File.ReadAllBytesAsync(DemoImport("orders-en-utf8.csv"));
        var first = await ImportAsync(portal.Factory, bytes, "orders-en-utf8.csv");

        Assert.True(first.Status == ImportStatus.Completed, first.Failure);
        // 11 records: the README counts 12 because EN-1009 spans two physical lines.
        Assert.Equal((4, 5, 6, 11), (first.ImportedOrders, first.ImportedLines, first.RejectedRows, first.TotalRows));
        var errors = first.Errors.Select(e => (e.Row, e.OrderNo, e.Column, e.ReasonCode)).ToList();
        Assert.Equal(
            [
                (6, "EN-1004", "Mobile", ImportReasons.PhoneInvalid),
                (7, "EN-1005", "Province", ImportReasons.ProvinceUnknown),
                (8, "EN-1006", "Qty", ImportReasons.QuantityOutOfRange),
                (9, "EN-1007", "Receiver", ImportReasons.Required),
                (11, "EN-1009", "Paid At", ImportReasons.DateInvalid),
                (12, "EN-1002", "District", ImportReasons.OrderMismatch),
            ], errors);

        using var client = portal.Factory.CreateApiClient();
        var en1001 = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/EN-1001", Json))!;
        Assert.Equal(2, en1001.Lines.Count);
        Assert.Equal(295.90m, en1001.Order.TotalAmount);
        var en1003 = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/EN-1003", Json))!;
        Assert.Equal("13700001111", en1003.Order.Phone);
        var en1008 = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/EN-1008", Json))!;
        Assert.Equal("=HYPERLINK(\"http://example.invalid\",\"click\")", en1008.Lines.Single().Name);

        var second = await ImportAsync(portal.Factory, bytes, "orders-en-utf8.csv");
        Assert.Equal((0, 0), (second.ImportedOrders, second.ImportedLines));
        Assert.Equal(6, second.ExistingRows);
        Assert.All(second.Errors.Where(e => e.ReasonCode == ImportReasons.OrderExists), e => Assert.StartsWith("EN-100", e.OrderNo));
        var again = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/EN-1001", Json))!;
        Assert.Equal(2, again.Lines.Count);
    }

    [Trait("Database", TestDatabase.ServerTrait)]
    [Fact]
    public async Task The_Taobao_GBK_fixture_imports_six_orders_and_seven_lines_and_splits_the_full_address()
    {
        var bytes = await File.ReadAllBytesAsync(DemoImport("orders-taobao-gbk.csv"));
        var first = await ImportAsync(portal.Factory, bytes, "orders-taobao-gbk.csv");

        Assert.Equal(("GB18030", "淘宝/天猫 简版订单（示例文件）"), (first.Encoding, first.TemplateName));
        Assert.Equal((6, 7, 3), (first.ImportedOrders, first.ImportedLines, first.RejectedRows));
        Assert.Equal(
            [
                (6, "TB20261120005", "收货地址", ImportReasons.ProvinceUnknown),
                (7, "TB20261120006", "联系手机", ImportReasons.Required),
                (8, "TB20261120007", "宝贝数量", ImportReasons.QuantityNotNumber),
            ], first.Errors.Select(e => (e.Row, e.OrderNo, e.Column, e.ReasonCode)).ToList());

        using var client = portal.Factory.CreateApiClient();
        var o1 = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/TB20261120001", Json))!;
        Assert.Equal(2, o1.Lines.Count);
        Assert.Equal(("浙江省", "杭州市", "余杭区", "五常街道 文一西路 969 号"), (o1.Order.Province, o1.Order.City, o1.Order.District, o1.Order.AddressDetail));
        Assert.Equal("13600003333", (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/TB20261120003", Json))!.Order.Phone);
        Assert.Equal("0571-88886666", (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/TB20261120004", Json))!.Order.Phone);
        Assert.Equal("内蒙古自治区", (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/TB20261120008", Json))!.Order.Province);
        var o9 = (await client.GetFromJsonAsync<OrderDetail>("/api/v1/orders/TB20261120009", Json))!.Order;
        Assert.Equal(("北京市", "北京市", "朝阳区", "望京街 10 号"), (o9.Province, o9.City, o9.District, o9.AddressDetail));

        var second = await ImportAsync(portal.Factory, bytes, "orders-taobao-gbk.csv");
        Assert.Equal((0, 0, 7), (second.ImportedOrders, second.ImportedLines, second.ExistingRows));
    }

    [Fact]
    public async Task An_XLSX_file_with_Chinese_headers_imports_like_a_CSV()
    {
        var orderNo = "XL-" + Guid.NewGuid().ToString("N")[..8];
        var rows = new[]
        {
            new Dictionary<string, object> { ["订单编号"] = orderNo, ["收货人"] = "钱七", ["手机"] = "13912340000", ["省份"] = "广东省", ["城市"] = "深圳市", ["区县"] = "南山区", ["详细地址"] = "科技园 1 号", ["商品名称"] = "茶", ["数量"] = 2, ["单价"] = 10.5 },
            new Dictionary<string, object> { ["订单编号"] = orderNo + "-bad", ["收货人"] = "钱八", ["手机"] = "123", ["省份"] = "广东省", ["城市"] = "深圳市", ["区县"] = "南山区", ["详细地址"] = "科技园 2 号", ["商品名称"] = "茶", ["数量"] = 1, ["单价"] = 10.5 },
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(rows);

        var result = await ImportAsync(portal.Factory, stream.ToArray(), "orders.xlsx");

        Assert.Equal(("XLSX", 1, 1), (result.Encoding, result.ImportedOrders, result.RejectedRows));
        Assert.Equal((3, "手机", ImportReasons.PhoneInvalid), (result.Errors.Single().Row, result.Errors.Single().Column, result.Errors.Single().ReasonCode));
    }

    [Fact]
    public async Task A_10_MB_line_and_a_formula_are_handled_the_long_row_is_reported_and_the_formula_is_kept_as_text_and_neutralized_on_export()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("\uFEFFOrder No,Receiver,Mobile,Province,City,District,Address,Item,Qty,Unit Price\n");
        csv.Append(($"F-{id},Formula Fan,13800001234,浙江省,杭州市,西湖区,文三路 1 号,=cmd|' /C calc'!A0,1,1.00\n"));
        csv.Append(($"L-{id},Long Line,13800001235,浙江省,杭州市,西湖区,")).Append('x', 10 * 1024 * 1024).Append(",Tea,1,1.00\n");
        csv.Append(($"OK-{id},After Long,13800001236,浙江省,杭州市,西湖区,文三路 3 号,Tea,1,1.00\n"));

        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv.ToString()), "edge.csv");

        Assert.Equal("UTF-8 BOM", result.Encoding);
        Assert.Equal((2, 1), (result.ImportedOrders, result.RejectedRows));
        var error = result.Errors.Single();
        Assert.Equal((3, "Address", ImportReasons.TooLong), (error.Row, error.Column, error.ReasonCode));
        Assert.True(error.Value!.Length < 200);

        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var export = await ops.GetStringAsync($"/orders/export?q=F-{id}");
        Assert.Contains("'=cmd|' /C calc'!A0 × 1", export);
        Assert.DoesNotContain(",=cmd", export);
        var xlsx = await ops.GetByteArrayAsync($"/orders/export?q=F-{id}&format=xlsx");
        var row = (IDictionary<string, object?>)MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Single();
        Assert.Equal("'=cmd|' /C calc'!A0 × 1", row["items"]);
        await ops.GetAsync("/culture?culture=en&redirectUri=/");
        var report = await ops.GetStringAsync($"/orders/imports/{result.Id}/errors.csv");
        Assert.Contains($"3,Address,", report);
        Assert.Contains("The value is too long.", report);
    }

    [Fact]
    public async Task The_error_report_is_written_in_the_language_of_the_person_who_downloads_it()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var csv = $"订单编号,收货人,手机,省份,城市,区县,详细地址,商品名称,数量\nLANG-{id},钱九,123,广东省,深圳市,南山区,科技园 9 号,茶,1\n";
        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv), "lang.csv");
        Assert.Equal((2, "手机", ImportReasons.PhoneInvalid), (result.Errors.Single().Row, result.Errors.Single().Column, result.Errors.Single().ReasonCode));
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        await ops.GetAsync("/culture?culture=zh-CN&redirectUri=/");
        var chinese = (await ops.GetStringAsync($"/orders/imports/{result.Id}/errors.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await ops.GetAsync("/culture?culture=en&redirectUri=/");
        var english = (await ops.GetStringAsync($"/orders/imports/{result.Id}/errors.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("行,列,值,原因,订单号", chinese[0].TrimStart('\uFEFF').TrimEnd('\r'));
        Assert.Equal($"2,手机,123,不是有效的手机号或固定电话。,LANG-{id}", chinese[1].TrimEnd('\r'));
        Assert.Equal("Row,Column,Value,Reason,Order no", english[0].TrimStart('\uFEFF').TrimEnd('\r'));
        Assert.Equal($"2,手机,123,Not a valid mobile or landline number.,LANG-{id}", english[1].TrimEnd('\r'));
    }

    [Fact]
    public async Task The_APIs_error_report_is_written_in_the_language_the_request_accepts()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var csv = $"订单编号,收货人,手机,省份,城市,区县,详细地址,商品名称,数量\nAPI-{id},钱九,123,广东省,深圳市,南山区,科技园 9 号,茶,1\n";
        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv), "lang-api.csv");
        using var client = portal.Factory.CreateApiClient();

        async Task<string[]> ReportAsync(string language)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/order-imports/{result.Id}/errors.csv");
            request.Headers.AcceptLanguage.ParseAdd(language);
            var response = await client.SendAsync(request);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimStart('\uFEFF').TrimEnd('\r')).ToArray();
        }

        Assert.Equal(["行,列,值,原因,订单号", $"2,手机,123,不是有效的手机号或固定电话。,API-{id}"], await ReportAsync("zh-CN"));
        Assert.Equal(["Row,Column,Value,Reason,Order no", $"2,手机,123,Not a valid mobile or landline number.,API-{id}"], await ReportAsync("en"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/order-imports/999999999/errors.csv")).StatusCode);
    }

    [Fact]
    public async Task An_import_left_queued_by_a_lost_job_is_found_by_the_sweeper_and_completes()
    {
        var service = portal.Factory.GetService<OrderImportService>();
        var csv = "Order No,Receiver,Mobile,Province,Address,Item,Qty\nSW-" + Guid.NewGuid().ToString("N")[..8] + ",Sweeper,13800009999,浙江,文三路 9 号,Tea,1\n";
        var id = await service.StoreAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "lost.csv", "test", start: false);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            // As if the process died between "Queued" and Hangfire picking the job up.
            await db.Set<OrderImport>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImportStatus.Queued));
        }

        Assert.True(await service.RequeueUnfinishedAsync(CancellationToken.None) >= 1);
        await portal.Factory.GetService<OrderImportJob>().RunAsync(id, CancellationToken.None);

        var status = (await service.GetAsync(id))!;
        Assert.Equal((ImportStatus.Completed, 1), (status.Status, status.ImportedOrders));
    }
}
