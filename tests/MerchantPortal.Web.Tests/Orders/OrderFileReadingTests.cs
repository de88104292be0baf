using System.Net.Http.Json;
using System.Text;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Orders.OrderImportTests;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>How order files are read (CsvHelper, the encoding over the whole file, limits, empty rows), through the real API and job.</summary>
[Collection(SharedPortal.Name)]
public class OrderFileReadingTests(SharedPortal portal)
{
    static OrderFileReadingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly Encoding Gbk = Encoding.GetEncoding("GB18030");

    private static string Id() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_GBK_file_with_100_KB_of_ASCII_rows_before_its_first_Chinese_row_imports_with_its_Chinese_intact()
    {
        var id = Id();
        var csv = new StringBuilder("Order No,Receiver,Mobile,Province,Address,Item,Qty\r\n");
        var n = 0;
        while (csv.Length < 100 * 1024)
        {
            csv.Append($"A{id}-{n++},Ann Lee,13800009999,Zhejiang,No 1 Wensan Road,Tea,1\r\n");
        }
        csv.Append($"C{id},张伟,13800001111,浙江省,文一西路 969 号,龙井茶 250g 礼盒,1\r\n");
        var bytes = Gbk.GetBytes(csv.ToString());
        Assert.True(Array.IndexOf(bytes, (byte)0x80) < 0 && bytes.Take(100 * 1024).All(b => b < 0x80), "the first 100 KB are ASCII");

        var result = await ImportAsync(portal.Factory, bytes, "late-chinese.csv");

        Assert.Equal((ImportStatus.Completed, "GB18030", n + 1, 0), (result.Status, result.Encoding, result.ImportedOrders, result.RejectedRows));
        using var client = portal.Factory.CreateApiClient();
        var order = (await client.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/C{id}", Json))!;
        Assert.Equal(("张伟", "浙江省", "龙井茶 250g 礼盒"), (order.Order.ReceiverName, order.Order.Province, order.Lines.Single().Name));
        Assert.DoesNotContain('\uFFFD', order.Order.AddressDetail);
    }

    [Fact]
    public async Task A_row_of_only_delimiters_and_a_blank_line_are_skipped_and_counted_as_empty_rows_not_errors()
    {
        var id = Id();
        var csv = "Order No,Receiver,Mobile,Province,Address,Item,Qty\n"
            + $"E1{id},Ann Lee,13800009999,Zhejiang,No 1 Wensan Road,Tea,1\n"
            + ",,,,,,\n"
            + " , ,,,,,\n"
            + "\n"
            + $"E2{id},Bob Wu,13800009998,Zhejiang,No 2 Wensan Road,Tea,1\n";

        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv), "empty-rows.csv");

        Assert.Equal((ImportStatus.Completed, 2, 0, 3), (result.Status, result.ImportedOrders, result.RejectedRows, result.EmptyRows));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task An_over_long_field_is_refused_with_its_row_and_column_and_the_other_rows_import()
    {
        var id = Id();
        var csv = new StringBuilder("Order No,Receiver,Mobile,Province,Address,Item,Qty\n");
        csv.Append($"L1{id},Ann Lee,13800009999,Zhejiang,No 1 Wensan Road,Tea,1\n");
        csv.Append($"L2{id},Long Cell,13800009998,Zhejiang,").Append('x', OrderFileReader.MaxFieldChars + 10).Append(",Tea,1\n");
        csv.Append($"L3{id},Cy Xu,13800009997,Zhejiang,No 3 Wensan Road,Tea,1\n");

        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv.ToString()), "long-field.csv");

        Assert.Equal((ImportStatus.Completed, 2, 1), (result.Status, result.ImportedOrders, result.RejectedRows));
        var error = result.Errors.Single();
        Assert.Equal((3, "Address", ImportReasons.TooLong, $"L2{id}"), (error.Row, error.Column, error.ReasonCode, error.OrderNo));
        Assert.True(error.Value!.Length <= 101);
    }

    [Fact]
    public async Task A_quoted_over_long_field_stops_the_file_at_its_row_since_the_next_row_cannot_be_found()
    {
        var id = Id();
        var csv = new StringBuilder("Order No,Receiver,Mobile,Province,Address,Item,Qty\n");
        csv.Append($"Q1{id},Ann Lee,13800009999,Zhejiang,No 1 Wensan Road,Tea,1\n");
        csv.Append($"Q2{id},Long Cell,13800009998,Zhejiang,\"").Append('x', OrderFileReader.MaxFieldChars + 10).Append("\",Tea,1\n");

        var result = await ImportAsync(portal.Factory, Encoding.UTF8.GetBytes(csv.ToString()), "long-quoted.csv");

        Assert.Equal(ImportStatus.Failed, result.Status);
        Assert.StartsWith("Row 3: a quoted cell in column 5", result.Failure);
    }

    [Fact]
    public async Task A_file_that_is_neither_UTF_8_nor_GB18030_is_refused_naming_the_row_and_nothing_is_imported()
    {
        var id = Id();
        var head = Encoding.ASCII.GetBytes("Order No,Receiver,Mobile,Province,Address,Item,Qty\n"
            + $"U1{id},Ann Lee,13800009999,Zhejiang,No 1 Wensan Road,Tea,1\n"
            + $"U2{id},Bob Wu,13800009998,Zhejiang,No 2 Wensan Road,Tea,1\n"
            + $"U3{id},Cy Xu,13800009997,Zhejiang,No 3 ");
        // 0xFF is no UTF-8 byte and starts no GB18030 sequence: decoded, it would be U+FFFD.
        var bytes = head.Concat(new byte[] { 0xFF }).Concat(Encoding.ASCII.GetBytes(" Road,Tea,1\n")).ToArray();

        var result = await ImportAsync(portal.Factory, bytes, "broken.csv");

        Assert.Equal((ImportStatus.Failed, 0), (result.Status, result.ImportedOrders));
        Assert.Equal(ImportFailures.Undecodable(4), result.Failure);
        Assert.Equal(("Undecodable", (int?)4), (ImportFailures.Describe(result.Failure!).Code, ImportFailures.Describe(result.Failure!).Row));
    }
}
