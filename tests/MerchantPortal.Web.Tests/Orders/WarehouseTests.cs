using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Orders;

[Collection(SharedPortal.Name)]
public class WarehouseTests(SharedPortal portal)
{
    [Fact]
    public async Task The_demo_warehouses_have_a_full_sender_address()
    {
        var warehouses = await portal.Factory.GetService<WarehouseService>().ListAsync();
        Assert.True(warehouses.Count >= 3);
        Assert.All(warehouses, w =>
        {
            Assert.False(string.IsNullOrWhiteSpace(w.District));
            Assert.False(string.IsNullOrWhiteSpace(w.Address));
            Assert.False(string.IsNullOrWhiteSpace(w.ContactPhone));
        });
    }

    [Fact]
    public async Task An_admin_adds_a_warehouse_and_a_bad_one_is_refused_field_by_field()
    {
        using var client = portal.Factory.CreateApiClient();
        var code = "SZ" + Random.Shared.Next(100, 999);
        var created = await client.PostAsJsonAsync("/api/v1/warehouses", new
        {
            code,
            name = "深圳仓 Shenzhen DC",
            province = "广东",
            city = "深圳市",
            district = "宝安区",
            address = "福永街道物流大道 8 号",
            contactName = "陈主管",
            contactPhone = "+86 138 0013 8000",
            active = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("广东省", body.GetProperty("province").GetString());
        Assert.Equal("13800138000", body.GetProperty("contactPhone").GetString());

        var bad = await client.PostAsJsonAsync("/api/v1/warehouses", new { code, name = "", province = "Atlantis", city = "", district = "", address = "", contactName = "", contactPhone = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "code", "name", "province", "city", "district", "address", "contactName", "contactPhone" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }
}
