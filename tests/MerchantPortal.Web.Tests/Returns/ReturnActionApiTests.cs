using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// The Returns pages' capabilities that had no API: the list with its filters and paging, approve, reject and cancel.
/// Each action is the page's own service call, so a return changed by the API ends as one changed by the page's button.
/// </summary>
[Collection(SharedPortal.Name)]
public class ReturnActionApiTests(SharedPortal portal)
{
    private PortalFactory Factory => portal.Factory;

    /// <summary>A key of its own: the access-matrix walk revokes the demo key in this shared portal.</summary>
    private async Task<HttpClient> ApiAsync(params string[] scopes)
    {
        var key = await Factory.GetService<ApiKeyService>().CreateAsync("return action tests",
            scopes.Length == 0 ? [ApiScopes.OrdersWrite, ApiScopes.ReturnsRead, ApiScopes.ReturnsWrite] : scopes, "test");
        return Factory.CreateApiClient(key.Key);
    }

    /// <summary>"NoLongerNeeded" is not among the default auto-approved reasons, so the return waits as Requested.</summary>
    private static async Task<long> RequestedAsync(HttpClient api, string orderNo) =>
        await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1, reason: "NoLongerNeeded"));

    /// <summary>"Damaged" at 60.00 is auto-approved by the default rules.</summary>
    private static async Task<long> ApprovedAsync(HttpClient api, string orderNo) =>
        await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1, reason: "Damaged"));

    private async Task<List<AuditEntry>> AuditAsync(string rmaNo)
    {
        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityType == "Return" && a.EntityId == rmaNo).OrderBy(a => a.Id).ToListAsync();
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Approving_through_the_API_approves_the_return_as_the_pages_button_does()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var (byApi, byPage) = (await RequestedAsync(api, orderNo), await RequestedAsync(api, orderNo));

        var body = await OkAsync(await api.PostAsync($"/api/v1/returns/{byApi}/approve", null));
        // The detail page's Approve button.
        Assert.True((await Factory.GetService<ReturnService>().ApproveAsync(byPage, "ops@demo.local")).Ok);

        var (a, p) = (await LoadAsync(Factory, byApi), await LoadAsync(Factory, byPage));
        Assert.Equal((ReturnStatus.Approved, (string?)null), (a.Status, a.StatusReason));
        Assert.Equal((p.Status, p.StatusReason), (a.Status, a.StatusReason));
        Assert.StartsWith("api:", a.DecidedBy, StringComparison.Ordinal);
        Assert.NotNull(a.DecidedAtUtc);
        Assert.Equal(("Approved", byApi), (body.GetProperty("status").GetString(), body.GetProperty("id").GetInt64()));
        Assert.Equal(["returns.create", "returns.approve"], (await AuditAsync(a.RmaNo)).Select(x => x.Action));
        Assert.Equal(["returns.create", "returns.approve"], (await AuditAsync(p.RmaNo)).Select(x => x.Action));
    }

    [Fact]
    public async Task Rejecting_through_the_API_stores_the_trimmed_reason_as_the_page_does_and_frees_the_goods()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var byApi = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 2, reason: "NoLongerNeeded"));
        var byPage = await RequestedAsync(api, orderNo);

        var body = await OkAsync(await api.PostAsJsonAsync($"/api/v1/returns/{byApi}/reject", new { reason = "  超过七天无理由退货期限 " }));
        // The page's Reject button passes the text field as typed.
        Assert.True((await Factory.GetService<ReturnService>().RejectAsync(byPage, "  超过七天无理由退货期限 ", "ops@demo.local")).Ok);

        var (a, p) = (await LoadAsync(Factory, byApi), await LoadAsync(Factory, byPage));
        Assert.Equal((ReturnStatus.Rejected, "超过七天无理由退货期限"), (a.Status, a.StatusReason));
        Assert.Equal((p.Status, p.StatusReason), (a.Status, a.StatusReason));
        Assert.StartsWith("api:", a.DecidedBy, StringComparison.Ordinal);
        Assert.Equal(("Rejected", "超过七天无理由退货期限"), (body.GetProperty("status").GetString(), body.GetProperty("statusReason").GetString()));
        Assert.Equal("超过七天无理由退货期限", (await AuditAsync(a.RmaNo)).Single(x => x.Action == "returns.reject").Details);
        // All three cups can be returned again: the rejected returns no longer hold them.
        Assert.Equal(HttpStatusCode.Created, (await CreateReturnAsync(api, orderNo, 3, reason: "NoLongerNeeded")).StatusCode);
    }

    [Fact]
    public async Task The_service_itself_refuses_a_rejection_reason_over_500_characters_in_the_readers_language_and_changes_nothing()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var id = await RequestedAsync(api, orderNo);

        // Any caller, not only the page's field and the API's attribute: the column holds 500, nothing is cut.
        var outcome = await Factory.GetService<ReturnService>().RejectAsync(id, new string('因', 501), "ops@demo.local");

        Assert.False(outcome.Ok);
        var problem = Assert.Single(outcome.Problems);
        Assert.Equal(("reason", "RejectReasonTooLong"), (problem.Field, problem.Code));
        Assert.Equal(ReturnStatus.Requested, (await LoadAsync(Factory, id)).Status);
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
            var l = Factory.GetService<Microsoft.Extensions.Localization.IStringLocalizer<ReturnsResources>>();
            Assert.Equal("拒绝原因最多 500 个字符，当前为 501 个，未作任何更改。", ReturnsResources.Describe(l, problem));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task Cancelling_through_the_API_cancels_a_requested_or_approved_return_as_the_page_does()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var (requested, approved, byPage) = (await RequestedAsync(api, orderNo), await ApprovedAsync(api, orderNo), await ApprovedAsync(api, orderNo));
        Assert.Equal(ReturnStatus.Approved, (await LoadAsync(Factory, approved)).Status);

        var first = await OkAsync(await api.PostAsync($"/api/v1/returns/{requested}/cancel", null));
        var second = await OkAsync(await api.PostAsync($"/api/v1/returns/{approved}/cancel", null));
        // The page's Cancel return button.
        Assert.True((await Factory.GetService<ReturnService>().CancelAsync(byPage, "ops@demo.local")).Ok);

        Assert.Equal(["Cancelled", "Cancelled"], new[] { first, second }.Select(b => b.GetProperty("status").GetString()));
        var (r, a, p) = (await LoadAsync(Factory, requested), await LoadAsync(Factory, approved), await LoadAsync(Factory, byPage));
        Assert.All(new[] { r, a, p }, x => Assert.Equal(ReturnStatus.Cancelled, x.Status));
        // Cancelling is not a decision: the approval's decider stays, as with the page.
        Assert.Equal((p.DecidedBy, p.StatusReason), (a.DecidedBy, a.StatusReason));
        Assert.Contains(await AuditAsync(a.RmaNo), x => x.Action == "returns.cancel" && x.Actor.StartsWith("api:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_booked_pickup_is_cancelled_first_and_the_cancelled_return_shows_its_pickup_phone_and_street_whole_only_to_a_pii_read_key()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var (masked, whole) = (await ApprovedAsync(api, orderNo), await ApprovedAsync(api, orderNo));
        var (start, end) = TomorrowMorning();
        foreach (var id in new[] { masked, whole })
        {
            var booked = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end });
            Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
        }

        // A booked courier is not cancelled behind its back: the pickup goes first, as on the page.
        Assert.Equal("The return is PickupBooked; this action is not possible now.",
            (await ProblemAsync(await api.PostAsync($"/api/v1/returns/{masked}/cancel", null), HttpStatusCode.Conflict)).GetProperty("status")[0].GetString());
        foreach (var id in new[] { masked, whole })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/returns/{id}/pickup")).StatusCode);
        }
        using var withPii = await ApiAsync(ApiScopes.ReturnsWrite, ApiScopes.PiiRead);
        var maskedBody = await OkAsync(await api.PostAsync($"/api/v1/returns/{masked}/cancel", null));
        var wholeBody = await OkAsync(await withPii.PostAsync($"/api/v1/returns/{whole}/cancel", null));

        Assert.Equal(["Cancelled", "Cancelled"], new[] { maskedBody, wholeBody }.Select(b => b.GetProperty("status").GetString()));
        var (m, w) = (maskedBody.GetProperty("pickup"), wholeBody.GetProperty("pickup"));
        Assert.Equal(("13800138000", "文三路 90 号"), (w.GetProperty("contactPhone").GetString(), w.GetProperty("address").GetString()));
        Assert.Equal((Pii.MaskPhone("13800138000"), Pii.MaskAddressDetail("文三路 90 号")), (m.GetProperty("contactPhone").GetString(), m.GetProperty("address").GetString()));
        Assert.DoesNotContain("13800138000", maskedBody.GetRawText());
    }

    [Fact]
    public async Task A_blank_missing_or_over_long_reject_reason_is_refused_naming_reason_and_the_return_stays_requested()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var id = await RequestedAsync(api, orderNo);

        var blank = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{id}/reject", new { reason = "   " }), HttpStatusCode.BadRequest);
        var missing = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{id}/reject", new { }), HttpStatusCode.BadRequest);
        var tooLong = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{id}/reject", new { reason = new string('x', 501) }), HttpStatusCode.BadRequest);

        Assert.Equal("Say why the return is rejected.", blank.GetProperty("reason")[0].GetString());
        Assert.Equal("Say why the return is rejected.", missing.GetProperty("reason")[0].GetString());
        var tooLongMessage = Assert.Single(tooLong.EnumerateObject(), e => e.Name.Equals("reason", StringComparison.OrdinalIgnoreCase)).Value[0].GetString();
        Assert.Contains("500", tooLongMessage, StringComparison.Ordinal);
        var stored = await LoadAsync(Factory, id);
        Assert.Equal((ReturnStatus.Requested, (string?)null), (stored.Status, stored.StatusReason));
        Assert.DoesNotContain(await AuditAsync(stored.RmaNo), x => x.Action == "returns.reject");
    }

    [Theory]
    [InlineData("approve", null)]
    [InlineData("reject", "{\"reason\":\"no\"}")]
    [InlineData("cancel", null)]
    public async Task An_action_on_an_unknown_return_answers_404(string action, string? body)
    {
        using var api = await ApiAsync();
        var response = await api.PostAsync($"/api/v1/returns/987654321/{action}", body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_action_the_returns_state_forbids_answers_409_naming_status_and_changes_nothing()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var approved = await ApprovedAsync(api, orderNo);
        var rejected = await RequestedAsync(api, orderNo);
        Assert.True((await Factory.GetService<ReturnService>().RejectAsync(rejected, "not ours", "ops@demo.local")).Ok);

        var approveTwice = await ProblemAsync(await api.PostAsync($"/api/v1/returns/{approved}/approve", null), HttpStatusCode.Conflict);
        var rejectApproved = await ProblemAsync(await api.PostAsJsonAsync($"/api/v1/returns/{approved}/reject", new { reason = "late" }), HttpStatusCode.Conflict);
        var cancelRejected = await ProblemAsync(await api.PostAsync($"/api/v1/returns/{rejected}/cancel", null), HttpStatusCode.Conflict);

        Assert.Equal("The return is Approved; this action is not possible now.", approveTwice.GetProperty("status")[0].GetString());
        Assert.Equal("The return is Approved; this action is not possible now.", rejectApproved.GetProperty("status")[0].GetString());
        Assert.Equal("The return is Rejected; this action is not possible now.", cancelRejected.GetProperty("status")[0].GetString());
        var (a, r) = (await LoadAsync(Factory, approved), await LoadAsync(Factory, rejected));
        Assert.Equal((ReturnStatus.Approved, ReturnService.AutoApprovedReason), (a.Status, a.StatusReason));
        Assert.Equal((ReturnStatus.Rejected, "not ours"), (r.Status, r.StatusReason));
    }

    [Theory]
    [InlineData("approve", null)]
    [InlineData("reject", "{\"reason\":\"no\"}")]
    [InlineData("cancel", null)]
    public async Task An_action_needs_returns_write_and_a_read_only_key_changes_nothing(string action, string? body)
    {
        using var writer = await ApiAsync();
        var id = await RequestedAsync(writer, await ShippedOrderAsync(Factory, writer));
        using var reader = await ApiAsync(ApiScopes.ReturnsRead);

        var response = await reader.PostAsync($"/api/v1/returns/{id}/{action}", body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ReturnStatus.Requested, (await LoadAsync(Factory, id)).Status);
    }

    [Fact]
    public async Task The_list_needs_returns_read()
    {
        using var orders = await ApiAsync(ApiScopes.OrdersRead, ApiScopes.ReturnsWrite);
        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync("/api/v1/returns")).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_status_and_search_and_pages_as_the_returns_page_does()
    {
        using var api = await ApiAsync();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var ids = new[] { await RequestedAsync(api, orderNo), await ApprovedAsync(api, orderNo), await RequestedAsync(api, orderNo) };
        var rma = (await LoadAsync(Factory, ids[1])).RmaNo;

        var all = await OkAsync(await api.GetAsync($"/api/v1/returns?search={orderNo}"));
        // The Returns page's own query with the same search (its first page).
        var (pageRows, pageTotal) = await Factory.GetService<ReturnQueries>().ListAsync(null, orderNo, 0, 50);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(pageRows.Select(r => r.Id), Ids(all));
        Assert.Equal(pageTotal, all.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1], ids[0]], Ids(all));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextOffset").ValueKind);
        var first = all.GetProperty("items")[0];
        Assert.Equal((orderNo, "Requested", "NoLongerNeeded"), (first.GetProperty("orderNo").GetString(), first.GetProperty("status").GetString(), first.GetProperty("reason").GetString()));

        var requested = await OkAsync(await api.GetAsync($"/api/v1/returns?status=Requested&search={orderNo}"));
        Assert.Equal([ids[2], ids[0]], Ids(requested));
        var byRma = await OkAsync(await api.GetAsync($"/api/v1/returns?search=%20{rma}%20"));
        Assert.Equal([ids[1]], Ids(byRma));

        var page1 = await OkAsync(await api.GetAsync($"/api/v1/returns?search={orderNo}&limit=2"));
        Assert.Equal((2, 3, 2), (page1.GetProperty("items").GetArrayLength(), page1.GetProperty("total").GetInt32(), page1.GetProperty("nextOffset").GetInt32()));
        var page2 = await OkAsync(await api.GetAsync($"/api/v1/returns?search={orderNo}&limit=2&offset=2"));
        Assert.Equal([ids[0]], Ids(page2));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextOffset").ValueKind);
        // Out-of-range limits are clamped (1–500), not refused.
        Assert.Single(Ids(await OkAsync(await api.GetAsync($"/api/v1/returns?search={orderNo}&limit=0"))));
        Assert.Equal(3, Ids(await OkAsync(await api.GetAsync($"/api/v1/returns?search={orderNo}&limit=100000"))).Count);
    }

    [Fact]
    public async Task Cancelling_a_pickup_answers_404_for_an_unknown_return_409_without_a_booked_pickup_and_503_while_the_carrier_is_unreachable_keeping_it_booked()
    {
        using var api = await ApiAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/api/v1/returns/987654321/pickup")).StatusCode);

        var orderNo = await ShippedOrderAsync(Factory, api);
        var id = await ApprovedAsync(api, orderNo);
        var none = await ProblemAsync(await api.DeleteAsync($"/api/v1/returns/{id}/pickup"), HttpStatusCode.Conflict);
        Assert.Equal("This return has no booked pickup.", none.GetProperty("pickup")[0].GetString());

        var (start, end) = TomorrowMorning();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end })).StatusCode);
        // The booked pickup's account now points at a closed port: the cancel call cannot reach the carrier.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var unreachable = await Factory.GetService<CarrierAccountService>().CreateAsync(new CarrierAccountInput(
            "取消不可达 " + Guid.NewGuid().ToString("N")[..6], CarrierEnvironment.Custom, $"http://127.0.0.1:{port}/", "test1617571", "sandbox-appkey-0001-demo", "SF",
            null, null, null, null, null), "test");
        await using (var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Set<Pickup>().Where(p => p.ReturnId == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.CarrierAccountId, unreachable.Id));
        }

        var down = await api.DeleteAsync($"/api/v1/returns/{id}/pickup");
        var errors = await ProblemAsync(down, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("could not be reached", errors.GetProperty("carrier")[0].GetString(), StringComparison.Ordinal);
        await using (var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(PickupStatus.Booked, await db.Set<Pickup>().Where(p => p.ReturnId == id).OrderByDescending(p => p.Attempt).Select(p => p.Status).FirstAsync());
        }
    }

    [Theory]
    [InlineData("status=Lost", "status")]
    [InlineData("status=-5", "status")]
    [InlineData("offset=-1", "offset")]
    [InlineData("limit=abc", "limit")]
    public async Task A_bad_list_filter_is_refused_naming_it(string query, string field)
    {
        using var api = await ApiAsync();
        var errors = await ProblemAsync(await api.GetAsync("/api/v1/returns?" + query), HttpStatusCode.BadRequest);
        Assert.Contains(errors.EnumerateObject(), e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_search_longer_than_the_pages_field_is_refused_naming_search()
    {
        using var api = await ApiAsync();
        var errors = await ProblemAsync(await api.GetAsync("/api/v1/returns?search=" + new string('Q', 101)), HttpStatusCode.BadRequest);
        Assert.Equal("search is an RMA or order number of at most 100 characters; it had 101.", errors.GetProperty("search")[0].GetString());
    }

    private static List<long> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];
}
