using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Orders.OrderImportTests;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>Column mapping: guessed headers with their confidence, the mapping step over the API, templates and the import's shop.</summary>
[Collection(SharedPortal.Name)]
public class OrderImportMappingTests(SharedPortal portal)
{
    static OrderImportMappingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Id() => Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, long Id, string Body)> UploadAsync(HttpClient client, string csv, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "mapped.csv" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        var response = await client.PostAsync("/api/v1/order-imports", form);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64() : 0, body);
    }

    private async Task<ImportStatusDto> RunAsync(HttpClient client, long id)
    {
        await portal.Factory.GetService<OrderImportJob>().RunAsync(id, CancellationToken.None);
        return (await client.GetFromJsonAsync<ImportStatusDto>($"/api/v1/order-imports/{id}", Json))!;
    }

    [Theory]
    [InlineData("手机号码", ImportField.Mobile, MatchConfidence.Fuzzy)]
    [InlineData("收件人手机", ImportField.Mobile, MatchConfidence.Fuzzy)]
    [InlineData("Receiver Mobile", ImportField.Mobile, MatchConfidence.Fuzzy)]
    [InlineData("联系电话", ImportField.Mobile, MatchConfidence.Exact)]
    [InlineData("数量(件)", ImportField.Quantity, MatchConfidence.Normalised)]
    [InlineData("商品数量（件）", ImportField.Quantity, MatchConfidence.Normalised)]
    [InlineData("金额(元)", ImportField.LineAmount, MatchConfidence.Normalised)]
    [InlineData("重量（kg）", ImportField.WeightKg, MatchConfidence.Normalised)]
    [InlineData("收货人姓名", ImportField.Receiver, MatchConfidence.Exact)]
    [InlineData("收件人", ImportField.Receiver, MatchConfidence.Exact)]
    [InlineData("ＳＫＵ", ImportField.Sku, MatchConfidence.Normalised)]
    [InlineData("买家留言", ImportField.Remark, MatchConfidence.Exact)]
    [InlineData("Weight (kg)", ImportField.WeightKg, MatchConfidence.Normalised)]
    public void Header_variants_map_to_their_field_with_a_confidence(string header, ImportField field, MatchConfidence confidence) =>
        Assert.Equal((field, confidence), HeaderGuesser.Guess(header));

    [Theory]
    [InlineData("客户联络")]
    [InlineData("")]
    [InlineData("备用列")]
    public void Headers_the_guesser_does_not_know_stay_unmapped(string header) => Assert.Null(HeaderGuesser.Guess(header));

    [Fact]
    public async Task A_file_whose_phone_header_is_unknown_shows_it_unmapped_on_the_mapping_step_and_imports_once_the_user_maps_it()
    {
        var id = Id();
        var csv = $"订单号,收件人,客户联络,省份,详细地址,商品名称,数量(件)\nM{id},钱七,13912340000,广东省,科技园 1 号,茶,2\n";
        using var client = portal.Factory.CreateApiClient();
        var upload = await UploadAsync(client, csv, ("start", "false"));
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);

        var mapping = (await client.GetFromJsonAsync<ImportMappingDto>($"/api/v1/order-imports/{upload.Id}/mapping", Json))!;
        var phone = mapping.Columns.Single(c => c.Header == "客户联络");
        Assert.Equal((null, null, "13912340000"), (phone.Field, phone.Confidence, phone.Samples.Single()));
        Assert.Equal((ImportField.Quantity, MatchConfidence.Normalised), (mapping.Columns.Single(c => c.Header == "数量(件)").Field!.Value, mapping.Columns.Single(c => c.Header == "数量(件)").Confidence!.Value));
        Assert.Equal(["mobile"], mapping.MissingFields);

        var fields = mapping.Columns.Where(c => c.Field is not null).ToDictionary(c => c.Field!.Value.ToString(), c => (string?)c.Header);
        fields["Mobile"] = "客户联络";
        var put = await client.PutAsJsonAsync($"/api/v1/order-imports/{upload.Id}/mapping", new { mapping = fields });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var mapped = (await put.Content.ReadFromJsonAsync<ImportMappingDto>(Json))!;
        Assert.Equal((ImportField.Mobile, MatchConfidence.Manual), (mapped.Columns.Single(c => c.Header == "客户联络").Field!.Value, mapped.Columns.Single(c => c.Header == "客户联络").Confidence!.Value));
        Assert.Empty(mapped.MissingFields);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/order-imports/{upload.Id}/start", null)).StatusCode);
        var status = await RunAsync(client, upload.Id);
        Assert.Equal((ImportStatus.Completed, 1, 0), (status.Status, status.ImportedOrders, status.RejectedRows));
        var order = (await client.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/M{id}", Json))!;
        Assert.Equal(("13912340000", 2), (order.Order.Phone, order.Lines.Single().Quantity));

        // Once started, the mapping stays what the import ran with.
        var late = await client.PutAsJsonAsync($"/api/v1/order-imports/{upload.Id}/mapping", new { mapping = fields });
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
    }

    [Fact]
    public async Task A_saved_template_is_picked_automatically_for_a_file_with_the_same_headers_and_can_be_named_or_replaced_by_an_explicit_mapping()
    {
        var id = Id();
        var header = $"单号{id},姓名,联络,省,地址,货品,件";
        using var client = portal.Factory.CreateApiClient();
        var template = new
        {
            name = "ERP " + id,
            headers = header.Split(','),
            mapping = new Dictionary<string, string>
            {
                ["OrderNo"] = $"单号{id}", ["Receiver"] = "姓名", ["Mobile"] = "联络", ["Province"] = "省", ["Address"] = "地址", ["Item"] = "货品", ["Quantity"] = "件",
            },
        };
        var saved = await client.PostAsJsonAsync("/api/v1/import-templates", template);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var list = (await client.GetFromJsonAsync<List<ImportTemplateDto>>("/api/v1/import-templates", Json))!;
        Assert.Contains(list, t => t.Name == "淘宝/天猫 简版订单（示例文件）" && t.BuiltIn);
        Assert.Contains(list, t => t.Name == "ERP " + id && !t.BuiltIn);

        // Same headers, no template named: the saved one is used.
        var auto = await UploadAsync(client, $"{header}\nT1{id},钱七,13912340000,广东省,科技园 1 号,茶,2\n");
        var autoStatus = await RunAsync(client, auto.Id);
        Assert.Equal((ImportStatus.Completed, 1, "ERP " + id), (autoStatus.Status, autoStatus.ImportedOrders, autoStatus.TemplateName));

        // Named explicitly for a file with other headers order: template= still maps by header name.
        var other = $"件,货品,地址,省,联络,姓名,单号{id}\n1,茶,科技园 2 号,广东省,13912340001,钱八,T2{id}\n";
        var named = await UploadAsync(client, other, ("template", "ERP " + id));
        Assert.Equal(1, (await RunAsync(client, named.Id)).ImportedOrders);

        // An explicit mapping: only the fields it names are read.
        var explicitMapping = JsonSerializer.Serialize(template.mapping);
        var byMapping = await UploadAsync(client, $"{header}\nT3{id},钱九,13912340002,广东省,科技园 3 号,茶,1\n", ("mapping", explicitMapping));
        var byMappingStatus = await RunAsync(client, byMapping.Id);
        Assert.Equal((1, (string?)null), (byMappingStatus.ImportedOrders, byMappingStatus.TemplateName));

        // Unknown names are 400s naming what is wrong, and nothing is stored.
        var unknownTemplate = await UploadAsync(client, other, ("template", "no such " + id));
        Assert.Equal(HttpStatusCode.BadRequest, unknownTemplate.Status);
        Assert.Contains("no such " + id, unknownTemplate.Body);
        var badHeader = await UploadAsync(client, other, ("mapping", "{\"Mobile\":\"电话\"}"));
        Assert.Equal(HttpStatusCode.BadRequest, badHeader.Status);
        Assert.Contains("电话", badHeader.Body);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.DeleteAsync("/api/v1/import-templates/" + Uri.EscapeDataString("淘宝/天猫 简版订单（示例文件）"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/import-templates/" + Uri.EscapeDataString("ERP " + id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/v1/import-templates/" + Uri.EscapeDataString("ERP " + id))).StatusCode);
    }

    [Fact]
    public async Task A_mapping_without_a_required_field_fails_naming_the_field_and_listing_the_files_headers()
    {
        var id = Id();
        using var client = portal.Factory.CreateApiClient();
        var upload = await UploadAsync(client, $"订单号,收件人,电话,省份,详细地址,商品名称,数量\nR{id},钱七,13912340000,广东省,科技园 1 号,茶,2\n",
            ("mapping", "{\"OrderNo\":\"订单号\",\"Receiver\":\"收件人\",\"Province\":\"省份\",\"Address\":\"详细地址\",\"Item\":\"商品名称\",\"Quantity\":\"数量\"}"));

        var status = await RunAsync(client, upload.Id);

        Assert.Equal(ImportStatus.Failed, status.Status);
        Assert.Equal("Missing column(s): mobile. The file's headers: 订单号 | 收件人 | 电话 | 省份 | 详细地址 | 商品名称 | 数量", status.Failure);
        var (code, columns, headers, _) = ImportFailures.Describe(status.Failure!);
        Assert.Equal(("MissingColumns", "mobile", 7), (code, columns.Single(), headers.Count));
    }

    [Fact]
    public async Task The_Taobao_export_is_read_with_its_built_in_template()
    {
        var bytes = await File.ReadAllBytesAsync(DemoImport("orders-taobao-gbk.csv"));
        var headers = Encoding.GetEncoding("GB18030").GetString(bytes).Split('\n')[0].TrimEnd('\r').Split(',');

        Assert.Equal("淘宝/天猫 简版订单（示例文件）", BuiltInImportTemplates.For(headers)?.Name);
        Assert.Null(BuiltInImportTemplates.For(headers.Where(h => h != "联系手机")));
    }

    [Fact]
    public async Task The_imports_shop_lands_on_its_orders_and_an_unknown_shop_is_a_400_naming_it()
    {
        var id = Id();
        int shopId;
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var shop = new Shop { Code = "s-" + id, Name = "旗舰店 " + id, Platform = OrderChannel.Tmall, CreatedAtUtc = DateTime.UtcNow };
            db.Add(shop);
            await db.SaveChangesAsync();
            shopId = shop.Id;
        }
        using var client = portal.Factory.CreateApiClient();
        var csv = $"订单编号,收货人,手机,省份,详细地址,商品名称,数量\nS1{id},钱七,13912340000,广东省,科技园 1 号,茶,2\nS2{id},钱八,13912340001,广东省,科技园 2 号,茶,1\n";

        var upload = await UploadAsync(client, csv, ("shop", "s-" + id));
        var status = await RunAsync(client, upload.Id);

        Assert.Equal((2, "s-" + id), (status.ImportedOrders, status.ShopCode));
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var shops = await db.Set<Order>().Where(o => o.OrderNo == $"S1{id}" || o.OrderNo == $"S2{id}").Select(o => o.ShopId).ToListAsync();
            Assert.Equal([shopId, shopId], shops);
        }
        var unknown = await UploadAsync(client, csv, ("shop", "nope-" + id));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("nope-" + id, unknown.Body);
    }
}
