using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Orders;

[Collection(SharedPortal.Name)]
public class OrderApiTests(SharedPortal portal)
{
    private static object Body(string orderNo, string address = "文三路 100 号", string mobile = "+86 138 0013 8000", int quantity = 2) => new
    {
        orderNo,
        channel = "Tmall",
        receiver = new { name = "李雷", mobile, province = "浙江", city = "杭州市", district = "西湖区", address, postcode = "310012" },
        lines = new[] { new { sku = "SKU-1", name = "龙井", quantity, unitPrice = 128.0m, weightKg = 0.3m } },
        remark = "api test",
    };

    [Fact]
    public async Task Creating_an_order_twice_with_the_same_content_returns_the_existing_order_and_other_content_gets_409()
    {
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "API-" + Guid.NewGuid().ToString("N")[..10];

        var created = await client.PostAsJsonAsync("/api/v1/orders", Body(orderNo));
        var again = await client.PostAsJsonAsync("/api/v1/orders", Body(orderNo));
        var different = await client.PostAsJsonAsync("/api/v1/orders", Body(orderNo, address: "另一个地址"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        var order = (await client.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/{orderNo}", OrderImportTests.Json))!;
        Assert.Equal(("13800138000", "浙江省", OrderStatus.PendingReview), (order.Order.Phone, order.Order.Province, order.Order.Status));
    }

    [Fact]
    public async Task A_replay_with_the_same_Idempotency_Key_returns_the_first_answer()
    {
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "IDEM-" + Guid.NewGuid().ToString("N")[..10];
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(Body(orderNo)) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }
        var first = await Send();
        var second = await Send();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_invalid_order_gets_400_naming_the_nested_fields()
    {
        using var client = portal.Factory.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/orders", Body("BAD-" + Guid.NewGuid().ToString("N")[..8], quantity: 0));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = doc.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(names, n => n.Equals("lines[0].quantity", StringComparison.OrdinalIgnoreCase));

        var badPhone = await client.PostAsJsonAsync("/api/v1/orders", Body("BAD-" + Guid.NewGuid().ToString("N")[..8], mobile: "12345"));
        using var doc2 = JsonDocument.Parse(await badPhone.Content.ReadAsStringAsync());
        Assert.True(doc2.RootElement.GetProperty("errors").TryGetProperty("receiver.mobile", out _), doc2.RootElement.ToString());
    }

    [Fact]
    public async Task Without_a_key_the_API_answers_401_and_without_the_scope_403()
    {
        using var anonymous = portal.Factory.CreateApiClient(apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/orders", Body("X-1"))).StatusCode);
        var readOnly = await portal.Factory.GetService<ApiKeyService>().CreateAsync("orders read only", [ApiScopes.OrdersRead], "test");
        using var reader = portal.Factory.CreateApiClient(readOnly.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/orders", Body("X-2"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/orders?limit=5")).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_by_cursor_without_repeating_or_skipping_an_order()
    {
        using var client = portal.Factory.CreateApiClient();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await client.GetFromJsonAsync<OrderEndpoints.OrderListResponse>($"/api/v1/orders?limit=37&cursor={cursor}", OrderImportTests.Json))!;
            seen.AddRange(page.Items.Select(i => i.OrderNo));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.True(seen.Count >= 200);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Trait("Database", TestDatabase.ServerTrait)]
    [Fact]
    public async Task Two_people_approving_the_same_order_at_once_one_wins_and_the_other_is_told_it_is_already_approved()
    {
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "RACE-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/orders", Body(orderNo))).StatusCode);
        var service = portal.Factory.GetService<OrderService>();

        var results = await Task.WhenAll(
            Task.Run(() => service.ApplyAsync(OrderAction.Approve, [orderNo], "ops@demo.local")),
            Task.Run(() => service.ApplyAsync(OrderAction.Approve, [orderNo], "admin@demo.local")));

        var outcomes = results.Select(r => r.Single()).ToList();
        Assert.Single(outcomes, o => o.Changed);
        Assert.Equal(OrderStatus.Approved, outcomes.Single(o => !o.Changed).CurrentStatus);
        var after = (await client.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/{orderNo}", OrderImportTests.Json))!;
        Assert.Equal(["Approve", "Created"], after.History.Select(h => h.Action));
    }

    [Fact]
    public async Task Hold_then_approve_then_cancel_are_allowed_and_a_cancelled_order_cannot_be_approved()
    {
        using var client = portal.Factory.CreateApiClient();
        var orderNo = "FLOW-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/orders", Body(orderNo))).StatusCode);
        var service = portal.Factory.GetService<OrderService>();

        Assert.True((await service.ApplyAsync(OrderAction.Hold, [orderNo], "ops")).Single().Changed);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).StatusCode);
        Assert.True((await service.ApplyAsync(OrderAction.Cancel, [orderNo], "ops")).Single().Changed);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).StatusCode);
    }
}
