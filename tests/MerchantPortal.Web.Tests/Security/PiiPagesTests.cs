using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// R6 across features: the pages CustomerService opens besides orders (a shipment, a return, an exception case)
/// never show a receiver's whole phone number; Ops, who may, sees it where the page shows it. The test builds its own
/// order with a phone no other data has, so a hit can only come from this order, and a return with a booked pickup,
/// the one of these pages that shows a phone at all (the pickup contact, by default the order's receiver).
/// </summary>
[Collection(SharedPortal.Name)]
public class PiiPagesTests(SharedPortal portal)
{
    [Fact]
    public async Task Customer_service_sees_the_pickup_phone_masked_and_no_whole_phone_on_shipment_return_or_exception_pages()
    {
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var masked = Pii.MaskPhone(phone);
        using var api = portal.Factory.CreateApiClient();
        var orderNo = await OrderAsync(api, phone);
        var returnId = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        var (start, end) = TomorrowMorning();
        var booked = await api.PostAsJsonAsync($"/api/v1/returns/{returnId}/pickup", new { windowStart = start, windowEnd = end });
        Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
        var (trackingNo, caseId) = await ShipmentWithCaseAsync(orderNo);

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");

        // The return page shows the pickup contact: whole to Ops, masked to CustomerService.
        var returnAsOps = await PageAsync(ops, $"/returns/{returnId}");
        var returnAsCs = await PageAsync(cs, $"/returns/{returnId}");
        Assert.Contains(phone, returnAsOps);
        Assert.DoesNotContain(phone, returnAsCs);
        Assert.Contains(masked, returnAsCs);

        // The shipment and the case show no phone at all; whatever they start showing must not be the whole number.
        foreach (var url in new[] { $"/shipments/{trackingNo}", $"/exceptions/{caseId}" })
        {
            var asCs = await PageAsync(cs, url);
            Assert.Contains(orderNo, asCs); // the page is about this order, so a missing phone is not a missing page
            Assert.DoesNotContain(phone, asCs);
        }
    }

    [Fact]
    public async Task A_mobile_number_typed_into_a_case_comment_reaches_customer_service_and_a_key_without_pii_read_masked()
    {
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var api = portal.Factory.CreateApiClient();
        var orderNo = await OrderAsync(api, "13800138000");
        var (_, caseId) = await ShipmentWithCaseAsync(orderNo);
        // Typed with spaces, as people write numbers down.
        var spaced = $"{phone[..3]} {phone[3..7]} {phone[7..]}";
        Assert.Equal(CaseActionOutcome.Done, await portal.Factory.GetService<ExceptionService>().CommentAsync(caseId, $"客户来电，改送其同事 {spaced}，订单 {orderNo}", "ops@demo.local"));

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var asCs = await PageAsync(cs, $"/exceptions/{caseId}");
        var asOps = await PageAsync(ops, $"/exceptions/{caseId}");
        Assert.Contains(spaced, asOps);
        Assert.DoesNotContain(spaced, asCs);
        Assert.Contains($"客户来电，改送其同事 {Pii.MaskPhone(phone)}，订单 {orderNo}", asCs);

        var reader = await portal.Factory.GetService<ApiKeyService>().CreateAsync("pii comment reader", [ApiScopes.ExceptionsRead], "test");
        var whole = await portal.Factory.GetService<ApiKeyService>().CreateAsync("pii comment reader with pii", [ApiScopes.ExceptionsRead, ApiScopes.PiiRead], "test");
        using var maskedApi = portal.Factory.CreateApiClient(reader.Key);
        using var wholeApi = portal.Factory.CreateApiClient(whole.Key);
        var maskedJson = await maskedApi.GetStringAsync($"/api/v1/exceptions/{caseId}");
        Assert.DoesNotContain(spaced, maskedJson);
        Assert.Contains(Pii.MaskPhone(phone), maskedJson);
        Assert.Contains(spaced, await wholeApi.GetStringAsync($"/api/v1/exceptions/{caseId}"));
    }

    [Fact]
    public async Task A_mobile_number_in_an_order_remark_or_a_return_reason_reaches_customer_service_and_a_key_without_pii_read_masked()
    {
        var inRemark = "137" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var inReason = "136" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var api = portal.Factory.CreateApiClient();
        var orderNo = await OrderAsync(api, "13800138000", remark: $"call me {inRemark}");
        var created = await api.PostAsJsonAsync("/api/v1/returns", new
        {
            orderNo, lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Damaged", resolution = "Refund", reasonText = $"call {inReason}",
        });
        var returnId = await CreatedIdAsync(created);

        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        using var ops = await PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        var reader = await portal.Factory.GetService<ApiKeyService>().CreateAsync("free text reader", [ApiScopes.OrdersRead, ApiScopes.ReturnsRead], "test");
        var whole = await portal.Factory.GetService<ApiKeyService>().CreateAsync("free text reader with pii", [ApiScopes.OrdersRead, ApiScopes.ReturnsRead, ApiScopes.PiiRead], "test");
        using var maskedApi = portal.Factory.CreateApiClient(reader.Key);
        using var wholeApi = portal.Factory.CreateApiClient(whole.Key);

        var maskedAnswers = new Dictionary<string, string>
        {
            ["order page"] = await PageAsync(cs, $"/orders/{orderNo}"),
            ["order export"] = await cs.GetStringAsync($"/orders/export?q={orderNo}"),
            ["return page"] = await PageAsync(cs, $"/returns/{returnId}"),
            ["orders API"] = await maskedApi.GetStringAsync($"/api/v1/orders/{orderNo}"),
            ["orders list API"] = await maskedApi.GetStringAsync($"/api/v1/orders?q={orderNo}"),
            ["lookup API"] = await maskedApi.GetStringAsync($"/api/v1/lookup?q={orderNo}"),
            ["returns API"] = await maskedApi.GetStringAsync($"/api/v1/returns/{returnId}"),
        };
        foreach (var (where, text) in maskedAnswers)
        {
            Assert.True(!text.Contains(inRemark, StringComparison.Ordinal) && !text.Contains(inReason, StringComparison.Ordinal), $"{where} shows a whole number");
        }
        Assert.Contains($"call me {Pii.MaskPhone(inRemark)}", maskedAnswers["order page"]);
        Assert.Contains($"call me {Pii.MaskPhone(inRemark)}", maskedAnswers["order export"]);
        Assert.Contains($"call {Pii.MaskPhone(inReason)}", maskedAnswers["return page"]);
        Assert.Contains($"call {Pii.MaskPhone(inReason)}", maskedAnswers["returns API"]);

        // Those who may see personal data still read what was typed.
        Assert.Contains(inRemark, await PageAsync(ops, $"/orders/{orderNo}"));
        Assert.Contains(inReason, await PageAsync(ops, $"/returns/{returnId}"));
        Assert.Contains(inRemark, await wholeApi.GetStringAsync($"/api/v1/orders/{orderNo}"));
        Assert.Contains(inReason, await wholeApi.GetStringAsync($"/api/v1/returns/{returnId}"));
    }

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return html;
    }

    private async Task<string> OrderAsync(HttpClient api, string phone, string? remark = null)
    {
        var orderNo = "PII-" + Guid.NewGuid().ToString("N")[..10];
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = "韩梅梅", mobile = phone, province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号", postcode = "310012" },
            lines = new[] { new { sku = "SKU-R", name = "保温杯", quantity = 2, unitPrice = 60.0m, weightKg = 0.4m } },
            remark,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Set<Order>().Where(o => o.OrderNo == orderNo).ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Shipped));
        return orderNo;
    }

    /// <summary>The order's parcel (never polled: the sandbox does not know it) and an open case on it.</summary>
    private async Task<(string TrackingNo, long CaseId)> ShipmentWithCaseAsync(string orderNo)
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var orderId = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
        var now = DateTime.UtcNow;
        var shipment = new Shipment
        {
            OrderId = orderId,
            CarrierAccountId = await AccountAsync(portal.Factory, "ZTO"),
            ShipperCode = "ZTO",
            TrackingNo = "PII" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = ShipmentStatus.InTransit,
            CreatedAtUtc = now,
        };
        db.Add(shipment);
        await db.SaveChangesAsync();
        var c = new ExceptionCase
        {
            ShipmentId = shipment.Id,
            OrderId = orderId,
            TrackingNo = shipment.TrackingNo,
            ShipperCode = "ZTO",
            Type = ExceptionType.NoUpdate,
            Status = CaseStatus.Open,
            TriggerAtUtc = now,
            OpenedAtUtc = now,
            DueAtUtc = now.AddHours(4),
        };
        db.Add(c);
        await db.SaveChangesAsync();
        return (shipment.TrackingNo, c.Id);
    }
}
