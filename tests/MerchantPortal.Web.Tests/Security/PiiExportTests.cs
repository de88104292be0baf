using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>R6: the XLSX export masks what the reader's role may not see, like the CSV and the pages do.</summary>
[Collection(SharedPortal.Name)]
public class PiiExportTests(SharedPortal portal)
{
    [Fact]
    public async Task The_XLSX_order_export_masks_the_phone_for_customer_service_and_not_for_ops()
    {
        var orderNo = "XLSX-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var api = portal.Factory.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name = "李雷", mobile = "13712345678", province = "广东省", city = "深圳市", district = "南山区", address = "科技园北区 3 栋" },
            lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var asCs = await SheetTextAsync(cs, $"/orders/export?q={orderNo}&format=xlsx");
        Assert.Contains(orderNo, asCs);
        Assert.Contains("137****5678", asCs);
        Assert.DoesNotContain("13712345678", asCs);
        Assert.DoesNotContain("科技园北区", asCs);
        Assert.Contains("13712345678", await SheetTextAsync(ops, $"/orders/export?q={orderNo}&format=xlsx"));
    }

    /// <summary>All text of the workbook's parts (shared strings and inline strings alike).</summary>
    private static async Task<string> SheetTextAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        memory.Position = 0;
        using var zip = new ZipArchive(memory, ZipArchiveMode.Read);
        var text = new System.Text.StringBuilder();
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(await reader.ReadToEndAsync());
        }
        return WebUtility.HtmlDecode(text.ToString());
    }
}
