using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Monitoring;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// /api/v1/notification-templates and /api/v1/audit (Admin scope) over real HTTP, against the services /admin/notifications
/// and /admin/audit use. A portal of their own: a template edit changes what customers are sent.
/// </summary>
public class TemplateAndAuditApiTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }

    [Fact]
    public async Task A_template_edited_through_the_API_is_the_template_the_page_shows_and_the_audit_log_has_it()
    {
        using var api = P.CreateApiClient();
        var listed = (await api.GetFromJsonAsync<List<NotificationTemplateEndpoints.TemplateView>>("/api/v1/notification-templates", Json))!;
        Assert.Equal((await P.GetService<NotificationAdmin>().TemplatesAsync()).Select(NotificationTemplateEndpoints.TemplateView.From), listed);
        var template = listed.First(t => t.Milestone == NotificationMilestone.Delivered && t.Culture == "zh-CN");

        var saved = await api.PutAsJsonAsync($"/api/v1/notification-templates/{template.Id}",
            new { subject = "已签收", body = "您的包裹 {trackingNo} 已签收，感谢购买。", enabled = false });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var stored = (await P.GetService<NotificationAdmin>().TemplatesAsync()).Single(t => t.Id == template.Id);
        Assert.Equal(("已签收", "您的包裹 {trackingNo} 已签收，感谢购买。", false), (stored.Subject, stored.Body, stored.Enabled));
        Assert.Equal(NotificationTemplateEndpoints.TemplateView.From(stored), await saved.Content.ReadFromJsonAsync<NotificationTemplateEndpoints.TemplateView>(Json));

        var audit = (await api.GetFromJsonAsync<AuditEndpoints.AuditPage>("/api/v1/audit?filter=notification-template.update&pageSize=10", Json))!;
        var (rows, total) = await P.GetService<AuditQueries>().PageAsync("notification-template.update", 0, 10);
        Assert.Equal(rows, audit.Items);
        Assert.Equal(total, audit.Total);
        Assert.Contains(audit.Items, a => a.EntityId == template.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) && a.Actor.StartsWith("api:", StringComparison.Ordinal));

        // Back as seeded, so customers of later tests get the demo wording.
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/notification-templates/{template.Id}", new { subject = template.Subject, body = template.Body, enabled = template.Enabled })).StatusCode);
    }

    [Fact]
    public async Task A_template_with_an_empty_or_too_long_text_is_refused_naming_the_field_and_an_unknown_id_is_404()
    {
        using var api = P.CreateApiClient();
        var template = (await P.GetService<NotificationAdmin>().TemplatesAsync())[0];

        var empty = await ErrorsAsync(await api.PutAsJsonAsync($"/api/v1/notification-templates/{template.Id}", new { subject = "x", body = "  " }));
        Assert.Equal(["body"], empty.Keys);
        var tooLong = await ErrorsAsync(await api.PutAsJsonAsync($"/api/v1/notification-templates/{template.Id}", new { subject = new string('s', 201), body = new string('b', 1001) }));
        Assert.Contains("at most 1000 characters; it had 1001", tooLong["body"], StringComparison.Ordinal);
        Assert.Contains("at most 200 characters; it had 201", tooLong["subject"], StringComparison.Ordinal);
        Assert.Equal(template.Body, (await P.GetService<NotificationAdmin>().TemplatesAsync()).Single(t => t.Id == template.Id).Body);

        var unknown = await api.PutAsJsonAsync("/api/v1/notification-templates/987654", new { subject = "x", body = "y" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No notification template has this id", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_refuses_paging_out_of_range_naming_the_parameter()
    {
        using var api = P.CreateApiClient();

        var errors = await ErrorsAsync(await api.GetAsync("/api/v1/audit?page=-1&pageSize=500"));

        Assert.Contains("counts from 0", errors["page"], StringComparison.Ordinal);
        Assert.Contains("1 to 200", errors["pageSize"], StringComparison.Ordinal);
        var far = (await api.GetFromJsonAsync<AuditEndpoints.AuditPage>($"/api/v1/audit?page={int.MaxValue}&pageSize=200", Json))!;
        Assert.Empty(far.Items);
    }

    [Fact]
    public async Task A_key_without_the_admin_scope_reads_neither_templates_nor_the_audit_log()
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("everything but admin", [.. ApiScopes.All.Where(s => s != ApiScopes.Admin)], "test");
        using var api = P.CreateApiClient(key.Key);
        var template = (await P.GetService<NotificationAdmin>().TemplatesAsync())[0];

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/notification-templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PutAsJsonAsync($"/api/v1/notification-templates/{template.Id}", new { subject = "x", body = "hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/audit")).StatusCode);
        Assert.NotEqual("hijacked", (await P.GetService<NotificationAdmin>().TemplatesAsync()).Single(t => t.Id == template.Id).Body);
    }
}
