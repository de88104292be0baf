using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The orders page's hold, cancel and bulk buttons for systems: POST /api/v1/orders/{orderNo}/hold|cancel and /actions.</summary>
[Collection(SharedPortal.Name)]
public class OrderActionApiTests(SharedPortal portal)
{
    private async Task<string> NewOrderAsync(HttpClient client)
    {
        var orderNo = "ACT-" + Guid.NewGuid().ToString("N")[..10];
        var created = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            receiver = new { name = "李雷", mobile = "13800138000", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 1 号" },
            lines = new[] { new { name = "茶", quantity = 1, unitPrice = 1m, weightKg = 0.1m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return orderNo;
    }

    private async Task<OrderStatus> StatusAsync(string orderNo) =>
        (await portal.Factory.GetService<OrderQueries>().GetAsync(orderNo, true))!.Order.Status;

    [Fact]
    public async Task Hold_and_cancel_change_the_order_as_the_page_does_a_repeat_is_a_no_op_and_a_cancelled_order_cannot_be_held()
    {
        using var client = portal.Factory.CreateApiClient();
        var orderNo = await NewOrderAsync(client);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/orders/{orderNo}/hold", null)).StatusCode);
        Assert.Equal(OrderStatus.OnHold, await StatusAsync(orderNo));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/orders/{orderNo}/hold", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/orders/{orderNo}/cancel", null)).StatusCode);
        Assert.Equal(OrderStatus.Cancelled, await StatusAsync(orderNo));

        var refused = await client.PostAsync($"/api/v1/orders/{orderNo}/hold", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Cancelled", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/orders/NO-SUCH-ORDER-X/cancel", null)).StatusCode);
        var history = (await portal.Factory.GetService<OrderQueries>().GetAsync(orderNo, true))!.History;
        Assert.Contains(history, h => h.ToStatus == OrderStatus.OnHold);
    }

    [Fact]
    public async Task A_bulk_action_changes_the_orders_it_may_and_tells_each_refused_or_unknown_order_apart()
    {
        using var client = portal.Factory.CreateApiClient();
        var first = await NewOrderAsync(client);
        var second = await NewOrderAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/orders/{second}/cancel", null)).StatusCode);

        var response = await client.PostAsJsonAsync("/api/v1/orders/actions", new { action = "approve", orderNos = new[] { first, second, "NO-SUCH-ORDER-Y" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("changed").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("orderNo").GetString()!);
        Assert.True(results[first].GetProperty("changed").GetBoolean());
        Assert.False(results[second].GetProperty("changed").GetBoolean());
        Assert.Equal("Cancelled", results[second].GetProperty("currentStatus").GetString());
        Assert.Equal(JsonValueKind.Null, results["NO-SUCH-ORDER-Y"].GetProperty("currentStatus").ValueKind);
        Assert.Equal(OrderStatus.Approved, await StatusAsync(first));
    }

    [Theory]
    [InlineData("{\"action\":\"Delete\",\"orderNos\":[\"A-1\"]}", "action")]
    [InlineData("{\"action\":\"1\",\"orderNos\":[\"A-1\"]}", "action")]
    [InlineData("{\"action\":\"Approve,Hold\",\"orderNos\":[\"A-1\"]}", "action")]
    [InlineData("{\"action\":\"Hold\",\"orderNos\":[]}", "orderNos")]
    [InlineData("{\"action\":\"Hold\"}", "orderNos")]
    [InlineData("{\"action\":\"Hold\",\"orderNos\":[\"A-1\",\"\"]}", "orderNos[1]")]
    public async Task A_bad_bulk_action_is_refused_naming_the_field_and_changes_nothing(string json, string field)
    {
        using var client = portal.Factory.CreateApiClient();

        var response = await client.PostAsync("/api/v1/orders/actions", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task More_than_a_thousand_orders_in_one_bulk_action_are_refused()
    {
        using var client = portal.Factory.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/orders/actions", new { action = "Hold", orderNos = Enumerable.Range(0, 1001).Select(i => $"N-{i}").ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_read_only_key_can_neither_hold_nor_cancel_nor_act_in_bulk()
    {
        using var admin = portal.Factory.CreateApiClient();
        var orderNo = await NewOrderAsync(admin);
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("orders read only", [ApiScopes.OrdersRead], "test");
        using var reader = portal.Factory.CreateApiClient(key.Key);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/v1/orders/{orderNo}/hold", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/v1/orders/{orderNo}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/orders/actions", new { action = "Cancel", orderNos = new[] { orderNo } })).StatusCode);
        Assert.Equal(OrderStatus.PendingReview, await StatusAsync(orderNo));
    }
}
