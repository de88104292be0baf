using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Lookup;

/// <summary>GET /api/v1/lookup: the /lookup search box for systems (orders:read; masked without pii:read like GET /api/v1/orders, Security.PiiApiTests).</summary>
[Collection(SharedPortal.Name)]
public class LookupApiTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private async Task<string> OrderAsync(HttpClient api, string name, string mobile)
    {
        var orderNo = "LOOK-" + Guid.NewGuid().ToString("N")[..8];
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name, mobile, province = "广东省", city = "深圳市", district = "南山区", address = "科技园南区 8 栋" },
            lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return orderNo;
    }

    [Fact]
    public async Task The_lookup_finds_an_order_by_its_number_and_by_name_with_the_phones_last_four_as_the_page_does()
    {
        using var api = portal.Factory.CreateApiClient();
        var name = "查找" + Guid.NewGuid().ToString("N")[..6];
        var orderNo = await OrderAsync(api, name, "13912344321");

        var byNumber = (await api.GetFromJsonAsync<List<OrderRow>>($"/api/v1/lookup?q={orderNo}", Json))!;
        var byNameAndLast4 = (await api.GetFromJsonAsync<List<OrderRow>>($"/api/v1/lookup?q={Uri.EscapeDataString(name + " 4321")}", Json))!;

        Assert.Equal(orderNo, Assert.Single(byNumber).OrderNo);
        Assert.Equal("13912344321", byNumber[0].Phone);
        Assert.Equal(orderNo, Assert.Single(byNameAndLast4).OrderNo);
        var page = await portal.Factory.GetService<OrderQueries>().LookupAsync(name + " 4321", fullPii: true);
        Assert.Equal(page.Select(r => (r.Id, r.OrderNo, r.ReceiverName, r.Phone, r.AddressDetail)), byNameAndLast4.Select(r => (r.Id, r.OrderNo, r.ReceiverName, r.Phone, r.AddressDetail)));
    }

    [Fact]
    public async Task An_empty_or_oversized_search_is_refused_naming_q()
    {
        using var api = portal.Factory.CreateApiClient();

        foreach (var (query, reason) in new[] { ("", "q is required"), ("?q=%20", "q is required"), ("?q=" + new string('9', 101), "at most 100 characters; it had 101") })
        {
            var response = await api.GetAsync("/api/v1/lookup" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.Contains(reason, errors.GetProperty("q")[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_lookup_needs_orders_read()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("no orders:read", [ApiScopes.ShipmentsRead, ApiScopes.ExceptionsRead], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/lookup?q=anything")).StatusCode);
    }
}
