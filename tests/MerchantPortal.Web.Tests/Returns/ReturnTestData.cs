using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Returns;

internal static class ReturnTestData
{
    /// <summary>An order to 杭州 (the same province as the HZ01 warehouse: the sandbox's calmest lane), 3 × SKU-R and 1 × SKU-S.</summary>
    public static async Task<string> ShippedOrderAsync(PortalFactory factory, HttpClient api, bool shipped = true, string district = "西湖区")
    {
        var orderNo = "RET-" + Guid.NewGuid().ToString("N")[..10];
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = "李雷", mobile = "13800138000", province = "浙江省", city = "杭州市", district, address = "文三路 90 号", postcode = "310012" },
            lines = new[]
            {
                new { sku = "SKU-R", name = "保温杯", quantity = 3, unitPrice = 60.0m, weightKg = 0.4m },
                new { sku = "SKU-S", name = "杯套", quantity = 1, unitPrice = 15.0m, weightKg = 0.1m },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        if (shipped)
        {
            // Shipping belongs to the waybill feature; the test only needs the order to say so.
            await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.Set<Order>().Where(o => o.OrderNo == orderNo).ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Shipped));
        }
        return orderNo;
    }

    public static async Task<HttpResponseMessage> CreateReturnAsync(HttpClient api, string orderNo, int quantity, string sku = "SKU-R", string reason = "Damaged", string resolution = "Refund") =>
        await api.PostAsJsonAsync("/api/v1/returns", new { orderNo, lines = new[] { new { sku, quantity } }, reason, resolution });

    public static async Task<long> CreatedIdAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Tomorrow 09:00–12:00 Beijing time, as the slot picker offers it.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) TomorrowMorning()
    {
        var beijingTomorrow = DateTime.SpecifyKind((DateTime.UtcNow + BusinessCalendar.Offset).Date.AddDays(1), DateTimeKind.Unspecified);
        var start = new DateTimeOffset(beijingTomorrow.AddHours(9), BusinessCalendar.Offset);
        return (start, start.AddHours(3));
    }

    public static async Task<int> AccountAsync(PortalFactory factory, string shipperCode)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<CarrierAccount>().Where(a => a.ShipperCode == shipperCode && !a.IsDisabled).Select(a => a.Id).FirstAsync();
    }

    public static async Task<ReturnRequest> LoadAsync(PortalFactory factory, long id)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<ReturnRequest>().AsNoTracking().SingleAsync(r => r.Id == id);
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("errors");
    }

    public static async Task<JsonElement> SandboxStatsAsync(PortalFactory factory)
    {
        using var sandbox = factory.CreateApiClient(apiKey: null);
        return await sandbox.GetFromJsonAsync<JsonElement>("/sandbox/kdniao/admin/stats");
    }
}
