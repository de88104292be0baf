using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// A return's messages go by e-mail to the address the return was opened with, else the order's; the order's e-mail
/// is set by the API (and the order page) like any other edit; a failed refund is told in the order's story.
/// </summary>
public class ReturnEmailTests
{
    private static Dictionary<string, string?> Smtp(InProcessSmtpServer server) => new()
    {
        ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Email:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Email:Smtp:Security"] = "StartTls",
        ["Notifications:Email:Smtp:UserName"] = InProcessSmtpServer.User,
        ["Notifications:Email:Smtp:Password"] = InProcessSmtpServer.Password,
        ["Notifications:Email:Smtp:From"] = "shop@shop.example",
        ["Notifications:Email:Smtp:CertificateThumbprint"] = server.Thumbprint,
    };

    [Fact]
    public async Task A_refund_is_mailed_to_the_return_s_own_e_mail_and_without_one_to_the_order_s()
    {
        await using var server = new InProcessSmtpServer();
        await using var p = new ClockedPortal(overrides: Smtp(server));
        await p.GetService<RefundSettings>().SetAsync(RefundMethod.MerchantSystem, null, null, null, "test", CancellationToken.None);
        using var api = p.CreateApiClient();
        var withOwn = await OrderWithEmailAsync(p, api, "order.one@example.com");
        var withoutOwn = await OrderWithEmailAsync(p, api, "order.two@example.com");

        var own = await CreatedIdAsync(await api.PostAsJsonAsync("/api/v1/returns",
            new { orderNo = withOwn, lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Damaged", resolution = "Refund", email = "  return.reader@example.com " }));
        var inherited = await CreatedIdAsync(await CreateReturnAsync(api, withoutOwn, 1));
        await RefundConfirmedAsync(p, api, own);
        await RefundConfirmedAsync(p, api, inherited);
        await OutboxTestData.DispatchAsync(p);

        var to = server.Messages.Select(m => m.To.Mailboxes.Single().Address).Order().ToList();
        Assert.Equal(["order.two@example.com", "return.reader@example.com"], to);
        await using var db = await p.DbAsync();
        Assert.Equal("return.reader@example.com", await db.Set<ReturnRequest>().Where(r => r.Id == own).Select(r => r.ContactEmail).SingleAsync());
    }

    [Fact]
    public async Task A_malformed_e_mail_is_refused_by_name_on_the_return_and_on_the_order_and_nothing_is_saved()
    {
        await using var p = new ClockedPortal();
        using var api = p.CreateApiClient();
        var orderNo = await ShippedOrderAsync(p, api);

        var badReturn = await api.PostAsJsonAsync("/api/v1/returns",
            new { orderNo, lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Damaged", resolution = "Refund", email = "li lei at example" });
        var badOrder = await api.PutAsJsonAsync($"/api/v1/orders/{orderNo}/email", new { email = "li lei at example" });
        var unknown = await api.PutAsJsonAsync("/api/v1/orders/NO-SUCH-ORDER/email", new { email = "a@example.com" });

        Assert.Contains((await ProblemAsync(badReturn, HttpStatusCode.BadRequest)).EnumerateObject(), e => e.Name == "email");
        Assert.Contains((await ProblemAsync(badOrder, HttpStatusCode.BadRequest)).EnumerateObject(), e => e.Name == "email");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await using var db = await p.DbAsync();
        var order = await db.Set<Order>().SingleAsync(o => o.OrderNo == orderNo);
        Assert.Null(order.CustomerEmail);
        Assert.False(await db.Set<ReturnRequest>().AnyAsync(r => r.OrderId == order.Id));
    }

    [Fact]
    public async Task Changing_the_order_s_e_mail_is_in_its_history_masked_for_keys_without_pii_and_removing_it_leaves_none()
    {
        await using var p = new ClockedPortal();
        using var api = p.CreateApiClient();
        var orderNo = await OrderWithEmailAsync(p, api, "buyer@example.com");

        var reading = await p.GetService<ApiKeyService>().CreateAsync("reporting", [ApiScopes.OrdersRead], "test");
        using var maskedKey = p.CreateApiClient(reading.Key);
        var masked = await maskedKey.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");
        var cleared = await api.PutAsJsonAsync($"/api/v1/orders/{orderNo}/email", new { email = "" });

        Assert.Equal("b****@example.com", masked.GetProperty("customerEmail").GetString());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerEmail").ValueKind);
        await using var db = await p.DbAsync();
        var order = await db.Set<Order>().SingleAsync(o => o.OrderNo == orderNo);
        var changes = await db.Set<OrderHistory>().Where(h => h.OrderId == order.Id && h.Action == "EmailChanged").OrderBy(h => h.Id).Select(h => h.Details).ToListAsync();
        Assert.Equal(["b****@example.com", "—"], changes);
        Assert.Null(order.CustomerEmail);
    }

    [Fact]
    public async Task A_refund_that_failed_is_a_warning_in_the_order_s_story_with_its_reason()
    {
        await using var p = new ClockedPortal();
        await p.GetService<RefundSettings>().SetAsync(RefundMethod.MerchantSystem, null, null, null, "test", CancellationToken.None);
        using var api = p.CreateApiClient();
        var orderNo = await ShippedOrderAsync(p, api);
        var returnId = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        var refundId = await RefundPendingAsync(p, returnId);

        var failed = await api.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", new { status = "Failed", reason = "收款账户已注销" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);

        var story = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}/story");
        var line = Assert.Single(story.EnumerateArray(), e => e.GetProperty("kind").GetString() == "Refund.Failed");
        Assert.Contains("收款账户已注销", line.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Warning", line.GetProperty("tone").GetString());
        Assert.DoesNotContain(story.EnumerateArray(), e => e.GetProperty("kind").GetString() == "Return.Refunded");
        await using var db = await p.DbAsync();
        Assert.True(await db.Set<ExceptionCase>().AnyAsync(c => c.ReturnId == returnId && c.Type == ExceptionType.RefundFailed));
    }

    private static async Task<string> OrderWithEmailAsync(ClockedPortal p, HttpClient api, string email)
    {
        var orderNo = await ShippedOrderAsync(p, api);
        var set = await api.PutAsJsonAsync($"/api/v1/orders/{orderNo}/email", new { email });
        Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        Assert.Equal(email, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerEmail").GetString());
        return orderNo;
    }

    /// <summary>The return received and its refund decided (what the shipment observer does), handed to the merchant's system.</summary>
    private static async Task<long> RefundPendingAsync(ClockedPortal p, long returnId)
    {
        await using (var db = await p.DbAsync())
        {
            await db.Set<ReturnRequest>().Where(r => r.Id == returnId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReturnStatus.Received));
            db.Add(new Refund { ReturnId = returnId, Kind = ReturnResolution.Refund, Amount = 60m, Status = RefundStatus.Requested, Trigger = "received", DecidedAtUtc = p.Now });
            await db.SaveChangesAsync();
        }
        await p.GetService<RefundJob>().RunAsync(returnId, CancellationToken.None);
        await using var read = await p.DbAsync();
        var refund = await read.Set<Refund>().SingleAsync(r => r.ReturnId == returnId);
        Assert.Equal(RefundStatus.Pending, refund.Status);
        return refund.Id;
    }

    private static async Task RefundConfirmedAsync(ClockedPortal p, HttpClient api, long returnId)
    {
        var refundId = await RefundPendingAsync(p, returnId);
        var confirmed = await api.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", new { status = "Succeeded", reference = "PAY-" + refundId });
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
    }
}
