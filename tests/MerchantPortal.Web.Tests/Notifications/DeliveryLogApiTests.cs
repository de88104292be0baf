using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// /notifications/log's capabilities through the API: the delivery log by recipient with paging, the unsent messages
/// and why, and the opt-outs. Phone numbers and e-mails come whole only with pii:read.
/// </summary>
public class DeliveryLogApiTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private async Task<HttpClient> ApiAsync(params string[] scopes)
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("delivery log api tests", scopes, "test");
        return P.CreateApiClient(key.Key);
    }

    [Fact]
    public async Task The_delivery_log_is_filtered_by_recipient_paged_newest_first_and_masks_recipients_without_pii_read()
    {
        var first = await OutboxTestData.EnqueueShippedAsync(P, phone: "13900521001", email: "Pager@Example.com");
        var second = await OutboxTestData.EnqueueShippedAsync(P, phone: "13900521002", email: "Pager@Example.com");
        await OutboxTestData.DispatchAsync(P);
        using var masked = await ApiAsync(ApiScopes.NotificationsRead);
        using var whole = await ApiAsync(ApiScopes.NotificationsRead, ApiScopes.PiiRead);

        var page1 = await ApiAnswers.JsonAsync(await masked.GetAsync("/api/v1/notifications/deliveries?recipient=Pager@&limit=1"), HttpStatusCode.OK);
        var newest = Assert.Single(page1.GetProperty("items").EnumerateArray());
        Assert.Equal((second, "P***@Example.com", "Email"), (newest.GetProperty("outboxId").GetInt64(), newest.GetProperty("recipient").GetString(), newest.GetProperty("channel").GetString()));
        var before = page1.GetProperty("nextBefore").GetInt64();
        var page2 = await ApiAnswers.JsonAsync(await masked.GetAsync($"/api/v1/notifications/deliveries?recipient=Pager@&limit=1&before={before}"), HttpStatusCode.OK);
        Assert.Equal(first, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("outboxId").GetInt64());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextBefore").ValueKind);

        var sms = Assert.Single((await ApiAnswers.JsonAsync(await masked.GetAsync("/api/v1/notifications/deliveries?recipient=13900521001"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("139****1001", sms.GetProperty("recipient").GetString());
        Assert.StartsWith("您的订单ORD-1已发货", sms.GetProperty("body").GetString(), StringComparison.Ordinal);
        var smsWhole = Assert.Single((await ApiAnswers.JsonAsync(await whole.GetAsync("/api/v1/notifications/deliveries?recipient=13900521001"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("13900521001", smsWhole.GetProperty("recipient").GetString());
    }

    [Fact]
    public async Task An_opted_out_customers_message_is_listed_as_unsent_with_why()
    {
        using var api = await ApiAsync(ApiScopes.NotificationsRead, ApiScopes.NotificationsWrite);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/notification-opt-outs", new { address = "139 0052 2001", reason = "asked by phone" })).StatusCode);
        var id = await OutboxTestData.EnqueueShippedAsync(P, phone: "13900522001");
        await OutboxTestData.DispatchAsync(P);

        var unsent = await ApiAnswers.JsonAsync(await api.GetAsync("/api/v1/notifications/unsent"), HttpStatusCode.OK);

        var row = Assert.Single(unsent.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal(("Skipped", "Opted out", "OptedOut"), (row.GetProperty("status").GetString(), row.GetProperty("note").GetString(), row.GetProperty("noteCode").GetString()));
    }

    [Fact]
    public async Task Opt_outs_are_added_once_listed_masked_or_whole_and_removed_with_an_audit_entry()
    {
        using var api = await ApiAsync(ApiScopes.NotificationsRead, ApiScopes.NotificationsWrite);
        using var whole = await ApiAsync(ApiScopes.NotificationsRead, ApiScopes.PiiRead);

        var added = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync("/api/v1/notification-opt-outs", new { address = "+86 139-0052-3001", reason = "wrong number" }), HttpStatusCode.Created);
        var again = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync("/api/v1/notification-opt-outs", new { address = "13900523001" }), HttpStatusCode.OK);
        var id = added.GetProperty("id").GetInt32();
        Assert.Equal((id, "139****3001", "wrong number"), (again.GetProperty("id").GetInt32(), again.GetProperty("address").GetString(), again.GetProperty("reason").GetString()));
        Assert.Equal("13900523001", Assert.Single((await ApiAnswers.JsonAsync(await whole.GetAsync("/api/v1/notification-opt-outs"), HttpStatusCode.OK)).EnumerateArray(),
            o => o.GetProperty("id").GetInt32() == id).GetProperty("address").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/notification-opt-outs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/notification-opt-outs/{id}")).StatusCode);
        Assert.DoesNotContain((await ApiAnswers.JsonAsync(await api.GetAsync("/api/v1/notification-opt-outs"), HttpStatusCode.OK)).EnumerateArray(), o => o.GetProperty("id").GetInt32() == id);
        await using var db = await P.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var audit = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Action.StartsWith("notification-optout.") && a.Details == "13900523001").Select(a => new { a.Action, a.Actor }).ToListAsync();
        Assert.Equal(["notification-optout.add", "notification-optout.remove"], audit.Select(a => a.Action).Order());
        Assert.All(audit, a => Assert.StartsWith("api:", a.Actor, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not an address", null, "address")]
    [InlineData("13900524001", 201, "reason")]
    public async Task An_opt_out_that_is_no_address_or_has_a_reason_over_200_characters_is_refused_naming_the_field_and_stores_nothing(string address, int? reasonLength, string field)
    {
        using var api = await ApiAsync(ApiScopes.NotificationsRead, ApiScopes.NotificationsWrite);

        var refused = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync("/api/v1/notification-opt-outs",
            new { address, reason = reasonLength is { } n ? new string('r', n) : null }), HttpStatusCode.BadRequest);

        Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), refused.GetRawText());
        Assert.DoesNotContain((await P.GetService<NotificationAdmin>().OptOutsAsync()), o => o.Address == "13900524001");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("before=0", "before")]
    public async Task A_delivery_log_query_out_of_range_is_refused_naming_it(string query, string field)
    {
        using var api = await ApiAsync(ApiScopes.NotificationsRead);

        var refused = await ApiAnswers.JsonAsync(await api.GetAsync("/api/v1/notifications/deliveries?" + query), HttpStatusCode.BadRequest);

        Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), refused.GetRawText());
    }

    [Fact]
    public async Task Reading_needs_notifications_read_and_changing_needs_notifications_write()
    {
        using var orders = await ApiAsync(ApiScopes.OrdersRead, ApiScopes.PiiRead);
        using var reader = await ApiAsync(ApiScopes.NotificationsRead);

        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync("/api/v1/notifications/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync("/api/v1/notification-opt-outs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/notification-opt-outs", new { address = "13900525001" })).StatusCode);
        Assert.DoesNotContain((await P.GetService<NotificationAdmin>().OptOutsAsync()), o => o.Address == "13900525001");
    }
}
