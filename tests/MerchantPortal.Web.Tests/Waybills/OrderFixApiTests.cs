using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>
/// PUT /api/v1/orders/{orderNo}/address: the waybill pages' fix of a flagged order, for systems. The service now checks
/// what it stores (it relied on the form's maxlength before), so the pages and the API refuse the same values.
/// </summary>
[Collection(WaybillCollection.Name)]
public class OrderFixApiTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    private static readonly object GoodAddress = new
    {
        receiverName = " 李雷 ", receiverPhone = "+86 139-0052-6001", province = "浙江", city = "杭州市", district = "西湖区", addressDetail = " 文三路 90 号 ", weightKg = 2.5m,
    };

    private async Task<HttpClient> ApiAsync(params string[] scopes)
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("order fix api tests", scopes.Length == 0 ? [ApiScopes.OrdersWrite] : scopes, "test");
        return portal.Factory.CreateApiClient(key.Key);
    }

    private async Task<Order> OrderAsync(string orderNo)
    {
        await using var db = await WaybillTestData.Db(portal.Factory);
        return await db.Set<Order>().AsNoTracking().SingleAsync(o => o.OrderNo == orderNo);
    }

    [Fact]
    public async Task An_orders_address_and_weight_are_fixed_through_the_API_normalised_with_history_and_audit_and_answered_masked()
    {
        var orderNo = (await WaybillTestData.CreateOrdersAsync(portal.Factory, 1))[0];
        using var api = await ApiAsync();

        var answer = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync($"/api/v1/orders/{orderNo}/address", GoodAddress), HttpStatusCode.OK);

        var order = await OrderAsync(orderNo);
        Assert.Equal(("李雷", "13900526001", "6001", "浙江省", "杭州市", "西湖区", "文三路 90 号", 2.5m),
            (order.ReceiverName, order.ReceiverPhone, order.PhoneLast4, order.Province, order.City, order.District, order.AddressDetail, order.TotalWeightKg));
        Assert.DoesNotContain("13900526001", answer.GetRawText());
        await using var db = await WaybillTestData.Db(portal.Factory);
        Assert.True(await db.Set<OrderHistory>().AnyAsync(h => h.OrderId == order.Id && h.Action == "Edited" && h.Actor.StartsWith("api:")));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "orders.edit" && a.EntityId == orderNo && a.Actor.StartsWith("api:")));
    }

    [Fact]
    public async Task Each_refused_field_is_named_and_nothing_is_changed()
    {
        var orderNo = (await WaybillTestData.CreateOrdersAsync(portal.Factory, 1))[0];
        var before = await OrderAsync(orderNo);
        using var api = await ApiAsync();

        var refused = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync($"/api/v1/orders/{orderNo}/address", new
        {
            receiverName = "", receiverPhone = "12345", province = "火星", city = new string('市', 51), district = new string('区', 51), addressDetail = new string('路', 301), weightKg = -1m,
        }), HttpStatusCode.BadRequest);

        Assert.Equal(["addressDetail", "city", "district", "province", "receiverName", "receiverPhone", "weightKg"],
            refused.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        var after = await OrderAsync(orderNo);
        Assert.Equal((before.ReceiverName, before.ReceiverPhone, before.Province, before.AddressDetail, before.TotalWeightKg, before.UpdatedAtUtc),
            (after.ReceiverName, after.ReceiverPhone, after.Province, after.AddressDetail, after.TotalWeightKg, after.UpdatedAtUtc));
    }

    [Fact]
    public async Task An_unknown_order_is_404_and_an_order_with_a_live_waybill_is_409_and_keeps_its_address()
    {
        using var api = await ApiAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync("/api/v1/orders/NO-SUCH-ORDER-42/address", GoodAddress)).StatusCode);

        var accountId = await WaybillTestData.AccountAsync(portal.Factory);
        var orders = await WaybillTestData.CreateOrdersAsync(portal.Factory, 1);
        Assert.Equal(1, (await WaybillTestData.WaitFinishedAsync(portal.Factory, await WaybillTestData.StartAsync(portal.Factory, orders, accountId))).Succeeded);

        var conflict = await ApiAnswers.JsonAsync(await api.PutAsJsonAsync($"/api/v1/orders/{orders[0]}/address", GoodAddress), HttpStatusCode.Conflict);
        Assert.Contains("void the waybill first", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("王晓明", (await OrderAsync(orders[0])).ReceiverName);
    }

    [Theory]
    [InlineData("zh-CN", "未保存修改：电话不是有效的手机号（1 开头 11 位）或固定电话；省无法识别（须为中国大陆的省份）。")]
    [InlineData("en", "The fix was not saved: Phone is not a mobile (11 digits starting with 1) or landline number; Province is not a province of mainland China.")]
    public async Task The_pages_word_a_refused_fix_in_the_readers_language(string culture, string expected)
    {
        var orderNo = (await WaybillTestData.CreateOrdersAsync(portal.Factory, 1))[0];
        var result = await portal.Factory.GetService<OrderAddressService>().FixAsync(
            new OrderFix(orderNo, "李雷", "12345", "火星", "杭州市", "西湖区", "文三路 90 号", 1m), "ops@demo.local");

        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var text = WaybillText.FixMessage(portal.Factory.GetService<IStringLocalizer<WaybillsResources>>(), result);

        Assert.Equal(FixOutcome.Invalid, result.Outcome);
        Assert.Equal(expected, text);
    }
}
