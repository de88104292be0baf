using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Returns;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>Cases on the shared portal for the case actions: with a shipped order (reship) or without (the rest).</summary>
internal static class CaseData
{
    /// <summary>A shipped order (3 × SKU-R, 1 × SKU-S) and an open case about its parcel.</summary>
    public static async Task<(long CaseId, string OrderNo)> WithOrderAsync(PortalFactory factory, HttpClient api)
    {
        var orderNo = await ReturnTestData.ShippedOrderAsync(factory, api);
        var caseId = await CommentableCase.CreateAsync(factory);
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var orderId = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
        var shipmentId = await db.Set<ExceptionCase>().Where(c => c.Id == caseId).Select(c => c.ShipmentId).SingleAsync();
        await db.Set<Shipment>().Where(s => s.Id == shipmentId).ExecuteUpdateAsync(u => u.SetProperty(s => s.OrderId, orderId));
        await db.Set<ExceptionCase>().Where(c => c.Id == caseId).ExecuteUpdateAsync(u => u.SetProperty(c => c.OrderId, orderId));
        return (caseId, orderNo);
    }

    public static async Task<ExceptionCase> CaseAsync(PortalFactory factory, long caseId)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(c => c.Id == caseId);
    }

    public static async Task<List<ExceptionCaseNote>> NotesAsync(PortalFactory factory, long caseId, CaseNoteKind kind)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Set<ExceptionCaseNote>().AsNoTracking().Where(n => n.CaseId == caseId && n.Kind == kind).ToListAsync();
    }

    /// <summary>The case's history as GET /api/v1/exceptions/{id} answers it: (kind, text) oldest first.</summary>
    public static async Task<List<(string Kind, string? Text, string Actor)>> TimelineAsync(HttpClient api, long caseId)
    {
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/exceptions/{caseId}");
        return [.. detail.GetProperty("notes").EnumerateArray().Select(n => (n.GetProperty("kind").GetString()!,
            n.GetProperty("text").ValueKind == JsonValueKind.Null ? null : n.GetProperty("text").GetString(), n.GetProperty("actor").GetString()!))];
    }

    public static async Task ResolveAsync(PortalFactory factory, long caseId) =>
        Assert.Equal(CaseActionOutcome.Done, await factory.GetService<ExceptionService>().ResolveAsync(caseId, "done", "ops@demo.local"));

    public static async Task<string> ErrorAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for {field}: {body}");
        return messages[0].GetString()!;
    }
}

/// <summary>
/// The case page's actions that had no API (assign, carrier contacted, notify the customer) and reading one case with its
/// history: each endpoint changes the case as the page's button does (the same service call) and shows in the timeline.
/// </summary>
[Collection(SharedPortal.Name)]
public class CaseActionApiTests(SharedPortal portal)
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task Assigning_through_the_API_puts_the_case_in_progress_with_its_assignee_as_the_page_does_and_notes_it()
    {
        var byApi = await CommentableCase.CreateAsync(Factory);
        var byPage = await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();

        var response = await api.PostAsJsonAsync($"/api/v1/exceptions/{byApi}/assign", new { assignee = "  ops@demo.local " });
        // The page's Assign button calls this with what was typed.
        await Factory.GetService<ExceptionService>().AssignAsync(byPage, "  ops@demo.local ", "admin@demo.local");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var (apiCase, pageCase) = (await CaseData.CaseAsync(Factory, byApi), await CaseData.CaseAsync(Factory, byPage));
        Assert.Equal(("ops@demo.local", CaseStatus.InProgress), (apiCase.AssignedTo, apiCase.Status));
        Assert.Equal((pageCase.AssignedTo, pageCase.Status), (apiCase.AssignedTo, apiCase.Status));
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/exceptions/{byApi}");
        Assert.Equal(("ops@demo.local", "InProgress"), (detail.GetProperty("case").GetProperty("assignedTo").GetString(), detail.GetProperty("case").GetProperty("status").GetString()));
        var assigned = Assert.Single(await CaseData.TimelineAsync(api, byApi), n => n.Kind == nameof(CaseNoteKind.Assigned));
        Assert.StartsWith("api:", assigned.Actor, StringComparison.Ordinal);
        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "exception.assigned" && a.EntityId == byApi.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_blank_or_over_long_assignee_is_refused_naming_assignee_and_the_case_stays_unassigned()
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();

        Assert.Contains("Name the user", await CaseData.ErrorAsync(await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/assign", new { assignee = "   " }), "assignee"));
        await CaseData.ErrorAsync(await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/assign", new { }), "assignee");
        var tooLong = await CaseData.ErrorAsync(await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/assign", new { assignee = new string('a', 257) }), "assignee");
        Assert.Contains("256", tooLong);
        Assert.Contains("257", tooLong);

        var c = await CaseData.CaseAsync(Factory, caseId);
        Assert.Equal((null, CaseStatus.Open), (c.AssignedTo, c.Status));
        Assert.Empty(await CaseData.NotesAsync(Factory, caseId, CaseNoteKind.Assigned));
        // The service refuses it too (a caller other than the API), rather than storing a name longer than its column.
        Assert.Equal(CaseActionOutcome.Invalid, await Factory.GetService<ExceptionService>().AssignAsync(caseId, new string('a', 257), "ops@demo.local"));
    }

    [Fact]
    public async Task A_carrier_contact_through_the_API_is_noted_in_the_timeline_with_or_without_text()
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/carrier-contacts", new { text = " 网点说明天再派送 " })).StatusCode);
        // Without a body, as the page's button with an empty field: "contacted", no text.
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/exceptions/{caseId}/carrier-contacts", null)).StatusCode);

        var contacts = (await CaseData.TimelineAsync(api, caseId)).Where(n => n.Kind == nameof(CaseNoteKind.CarrierContacted)).Select(n => n.Text).ToList();
        Assert.Equal(["网点说明天再派送", null], contacts);
        Assert.Equal(CaseStatus.Open, (await CaseData.CaseAsync(Factory, caseId)).Status);
    }

    [Fact]
    public async Task A_carrier_contact_note_over_2000_characters_is_refused_naming_text_and_nothing_is_noted()
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();

        var message = await CaseData.ErrorAsync(await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/carrier-contacts", new { text = new string('长', 2001) }), "text");

        Assert.Contains("2000", message);
        Assert.Contains("2001", message);
        Assert.Empty(await CaseData.NotesAsync(Factory, caseId, CaseNoteKind.CarrierContacted));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/carrier-contacts", new { text = new string('好', 2000) })).StatusCode);
        Assert.Equal(2000, Assert.Single(await CaseData.NotesAsync(Factory, caseId, CaseNoteKind.CarrierContacted)).Text!.Length);
    }

    [Fact]
    public async Task Notifying_the_customer_through_the_API_queues_the_exception_message_and_notes_it()
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        using var api = Factory.CreateApiClient();
        var shipmentId = (await CaseData.CaseAsync(Factory, caseId)).ShipmentId;

        var response = await api.PostAsync($"/api/v1/exceptions/{caseId}/notify-customer", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await CaseData.TimelineAsync(api, caseId), n => n.Kind == nameof(CaseNoteKind.CustomerNotified));
        await using var db = await Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var queued = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.ShipmentId == shipmentId && m.Kind == OutboxKind.Customer && m.Milestone == NotificationMilestone.Exception).ToListAsync();
        Assert.Contains("NoUpdate", Assert.Single(queued).PayloadJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("assign", "{\"assignee\":\"ops@demo.local\"}")]
    [InlineData("carrier-contacts", "{\"text\":\"called\"}")]
    [InlineData("notify-customer", null)]
    public async Task A_case_action_on_an_unknown_case_answers_404_and_on_a_resolved_one_409_changing_nothing(string action, string? body)
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        await CaseData.ResolveAsync(Factory, caseId);
        using var api = Factory.CreateApiClient();
        HttpContent? Content() => body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var unknown = await api.PostAsync($"/api/v1/exceptions/987654321/{action}", Content());
        var resolved = await api.PostAsync($"/api/v1/exceptions/{caseId}/{action}", Content());

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, resolved.StatusCode);
        Assert.Contains("resolved", await resolved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([nameof(CaseNoteKind.Resolved)], (await CaseData.TimelineAsync(api, caseId)).Select(n => n.Kind).Where(k => k != nameof(CaseNoteKind.Opened)));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/exceptions/987654321")).StatusCode);
    }

    [Theory]
    [InlineData("assign", "{\"assignee\":\"ops@demo.local\"}")]
    [InlineData("carrier-contacts", "{\"text\":\"called\"}")]
    [InlineData("notify-customer", null)]
    public async Task A_case_action_needs_exceptions_write_and_a_read_only_key_changes_nothing(string action, string? body)
    {
        var caseId = await CommentableCase.CreateAsync(Factory);
        var readOnly = await Factory.GetService<ApiKeyService>().CreateAsync("cases read only", [ApiScopes.ExceptionsRead], "test");
        var writer = await Factory.GetService<ApiKeyService>().CreateAsync("cases write", [ApiScopes.ExceptionsWrite, ApiScopes.ExceptionsRead], "test");
        using var reader = Factory.CreateApiClient(readOnly.Key);
        using var write = Factory.CreateApiClient(writer.Key);
        HttpContent? Content() => body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/v1/exceptions/{caseId}/{action}", Content())).StatusCode);
        Assert.DoesNotContain(await CaseData.TimelineAsync(reader, caseId), n => n.Kind != nameof(CaseNoteKind.Opened));
        Assert.Equal(HttpStatusCode.NoContent, (await write.PostAsync($"/api/v1/exceptions/{caseId}/{action}", Content())).StatusCode);
        Assert.Single(await CaseData.TimelineAsync(reader, caseId), n => n.Kind != nameof(CaseNoteKind.Opened));
    }
}

/// <summary>
/// A reship note over 1,000 characters used to be cut silently (ExceptionService.Clean): now it is refused, by the
/// API with a problem naming "note" and by the page beside the field in the reader's language, and no order is made.
/// </summary>
[Collection(SharedPortal.Name)]
public class CaseReshipNoteLimitTests(SharedPortal portal) : BunitTestBase
{
    private static async Task<int> ReshipsOfAsync(PortalFactory factory, string orderNo)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var id = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
        return await db.Set<Order>().CountAsync(o => o.ReshipOfOrderId == id);
    }

    [Fact]
    public async Task A_reship_note_over_1000_characters_is_refused_by_the_API_naming_note_and_no_order_is_created()
    {
        using var api = portal.Factory.CreateApiClient();
        var (caseId, orderNo) = await CaseData.WithOrderAsync(portal.Factory, api);

        var message = await CaseData.ErrorAsync(await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/reship", new { note = new string('长', 1001) }), "note");

        Assert.Contains("1000", message);
        Assert.Contains("1001", message);
        Assert.Equal(0, await ReshipsOfAsync(portal.Factory, orderNo));
        Assert.Null((await CaseData.CaseAsync(portal.Factory, caseId)).ReshipOrderId);
        // Exactly the limit is kept whole in the case's history (it used to be the most that survived the cut).
        var note = new string('好', 1000);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/reship", new { note })).StatusCode);
        Assert.EndsWith(": " + note, Assert.Single(await CaseData.NotesAsync(portal.Factory, caseId, CaseNoteKind.ReshipRequested)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "A reship note has at most 1,000 characters; this one has 1,001.")]
    [InlineData("zh-CN", "补发说明最多 1,000 个字符，当前有 1,001 个")]
    public async Task A_reship_note_over_1000_characters_is_refused_on_the_page_in_the_readers_language_and_the_text_stays(string culture, string expected)
    {
        using var api = portal.Factory.CreateApiClient();
        var (caseId, orderNo) = await CaseData.WithOrderAsync(portal.Factory, api);
        Context.Services.AddSingleton(portal.Factory.GetService<ExceptionQueries>());
        Context.Services.AddSingleton(portal.Factory.GetService<ExceptionService>());
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var tooLong = new string('长', 1001);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<ExceptionPage>(c => c.Add(x => x.Id, caseId)));
        page.WaitForElement("textarea[data-testid=case-action-text], [data-testid=case-action-text] textarea").Change(tooLong); // not Immediate: the field binds on change
        page.Find("[data-testid=case-reship]").Click();

        page.WaitForAssertion(() => Assert.Contains(expected, page.Markup));
        Assert.Contains(tooLong, page.Markup); // still in the field, to be shortened
        Assert.Equal(0, await ReshipsOfAsync(portal.Factory, orderNo));
        Assert.Empty(await CaseData.NotesAsync(portal.Factory, caseId, CaseNoteKind.ReshipRequested));
    }
}
