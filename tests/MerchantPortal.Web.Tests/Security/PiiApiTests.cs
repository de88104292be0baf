using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// R6 in API answers: a key reads customers' whole phone numbers and street addresses only with pii:read; with
/// orders:read alone it sees them masked, as CustomerService does on the pages.
/// </summary>
[Collection(SharedPortal.Name)]
public class PiiApiTests(SharedPortal portal)
{
    [Fact]
    public async Task An_orders_read_key_without_pii_read_gets_the_phone_and_street_masked_in_the_order_the_list_and_the_lookup()
    {
        var orderNo = "PII-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using (var admin = portal.Factory.CreateApiClient())
        {
            var created = await admin.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                receiver = new { name = "韩梅梅", mobile = "13698765432", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 478 号" },
                lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var keys = portal.Factory.GetService<ApiKeyService>();
        var reporting = await keys.CreateAsync("reporting", [ApiScopes.OrdersRead], "test");
        var fulfilment = await keys.CreateAsync("fulfilment", [ApiScopes.OrdersRead, ApiScopes.PiiRead], "test");
        using var masked = portal.Factory.CreateApiClient(reporting.Key);
        using var whole = portal.Factory.CreateApiClient(fulfilment.Key);

        var maskedOrder = await masked.GetStringAsync($"/api/v1/orders/{orderNo}");
        var maskedList = await masked.GetStringAsync($"/api/v1/orders?q={orderNo}");
        var maskedLookup = await masked.GetStringAsync($"/api/v1/lookup?q={orderNo}");
        foreach (var answer in new[] { maskedOrder, maskedList, maskedLookup })
        {
            Assert.Contains(orderNo, answer);
            Assert.Contains("136****5432", answer);
            Assert.DoesNotContain("13698765432", answer);
            Assert.DoesNotContain("文三路", answer);
        }

        var wholeOrder = await whole.GetStringAsync($"/api/v1/orders/{orderNo}");
        Assert.Contains("13698765432", wholeOrder);
        Assert.Contains("文三路 478 号", wholeOrder);
        Assert.Contains("13698765432", await whole.GetStringAsync($"/api/v1/orders?q={orderNo}"));
        Assert.Contains("13698765432", await whole.GetStringAsync($"/api/v1/lookup?q={orderNo}"));
    }
}
