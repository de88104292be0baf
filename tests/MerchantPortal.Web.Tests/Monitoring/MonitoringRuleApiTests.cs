using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// /api/v1/monitoring-rules (Admin scope) and /api/v1/exceptions/counts over real HTTP, against the same services the
/// pages use (/admin/monitoring-rules, the exception queue's chips). Carrier codes here ("ZQ…") match no parcel, so
/// the rules created change no scan.
/// </summary>
public class MonitoringRuleApiTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static object Rule(string? type = "NoUpdate", string? shipperCode = null, string? origin = null, string? destination = null,
        int? thresholdHours = 36, string? severity = "High", int? dueWithinHours = 12, bool enabled = true) =>
        new { type, shipperCode, originProvince = origin, destinationProvince = destination, thresholdHours, severity, dueWithinHours, enabled };

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }

    [Fact]
    public async Task A_rule_created_through_the_API_is_the_rule_the_page_lists_and_it_is_audited()
    {
        using var api = P.CreateApiClient();

        var created = await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(shipperCode: " zqa ", destination: "广东省"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = (await created.Content.ReadFromJsonAsync<MonitoringRuleEndpoints.MonitoringRuleView>(Json))!;
        Assert.Equal($"/api/v1/monitoring-rules/{view.Id}", created.Headers.Location?.ToString());
        var stored = Assert.Single(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.Id == view.Id);
        Assert.Equal(MonitoringRuleEndpoints.MonitoringRuleView.From(stored), view);
        Assert.Equal((ExceptionType.NoUpdate, "ZQA", null, "广东省", 36, ExceptionSeverity.High, 12, true, false),
            (stored.Type, stored.ShipperCode, stored.OriginProvince, stored.DestinationProvince, stored.ThresholdHours, stored.Severity, stored.DueWithinHours, stored.Enabled, stored.IsBuiltIn));
        var listed = await api.GetFromJsonAsync<List<MonitoringRuleEndpoints.MonitoringRuleView>>("/api/v1/monitoring-rules", Json);
        Assert.Equal((await P.GetService<MonitoringRuleService>().ListAsync()).Select(MonitoringRuleEndpoints.MonitoringRuleView.From), listed);
        await using var db = await P.DbAsync();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "monitoring-rule.create" && a.EntityId == view.Id.ToString()));
    }

    [Fact]
    public async Task Updating_a_rule_stores_the_whole_rule_and_deleting_it_removes_it()
    {
        using var api = P.CreateApiClient();
        var id = (await (await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(shipperCode: "ZQB"))).Content.ReadFromJsonAsync<MonitoringRuleEndpoints.MonitoringRuleView>(Json))!.Id;

        var updated = await api.PutAsJsonAsync($"/api/v1/monitoring-rules/{id}", Rule(shipperCode: "ZQB", origin: "浙江省", thresholdHours: 72, severity: "Low", dueWithinHours: 48, enabled: false));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var stored = Assert.Single(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.Id == id);
        Assert.Equal(("浙江省", 72, ExceptionSeverity.Low, 48, false), (stored.OriginProvince, stored.ThresholdHours, stored.Severity, stored.DueWithinHours, stored.Enabled));
        Assert.Equal(MonitoringRuleEndpoints.MonitoringRuleView.From(stored), await updated.Content.ReadFromJsonAsync<MonitoringRuleEndpoints.MonitoringRuleView>(Json));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/monitoring-rules/{id}")).StatusCode);
        Assert.DoesNotContain(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.Id == id);
        await using var db = await P.DbAsync();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "monitoring-rule.delete" && a.EntityId == id.ToString()));
    }

    [Fact]
    public async Task A_built_in_rule_can_be_switched_off_but_not_narrowed_retyped_or_deleted()
    {
        using var api = P.CreateApiClient();
        var builtIn = MonitoringRules.Defaults.Single(r => r.Type == ExceptionType.LockerNotCollected);

        var narrowed = await ErrorsAsync(await api.PutAsJsonAsync($"/api/v1/monitoring-rules/{builtIn.Id}", Rule(type: "LockerNotCollected", shipperCode: "ZQC")));
        Assert.Equal(["shipperCode"], narrowed.Keys);
        Assert.Contains("every carrier and lane", narrowed["shipperCode"], StringComparison.Ordinal);
        var retyped = await ErrorsAsync(await api.PutAsJsonAsync($"/api/v1/monitoring-rules/{builtIn.Id}", Rule(type: "NoFirstScan")));
        Assert.Contains("type cannot change", retyped["type"], StringComparison.Ordinal);

        var deleted = await api.DeleteAsync($"/api/v1/monitoring-rules/{builtIn.Id}");
        Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
        Assert.Contains("switch it off", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var off = await api.PutAsJsonAsync($"/api/v1/monitoring-rules/{builtIn.Id}", Rule(type: "LockerNotCollected", thresholdHours: 48, severity: "Low", dueWithinHours: 24, enabled: false));
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var stored = Assert.Single(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.Id == builtIn.Id);
        Assert.False(stored.Enabled);
        Assert.True(stored.IsBuiltIn);
        // Back on, so the other tests' portal keeps watching lockers as seeded.
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/monitoring-rules/{builtIn.Id}", Rule(type: "LockerNotCollected", thresholdHours: 48, severity: "Low", dueWithinHours: 24))).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_each_field_named_and_nothing_is_stored()
    {
        using var api = P.CreateApiClient();
        var before = (await P.GetService<MonitoringRuleService>().ListAsync()).Count;

        var missing = await ErrorsAsync(await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(type: null, thresholdHours: null, severity: null, dueWithinHours: null)));
        Assert.Equal(["dueWithinHours", "severity", "thresholdHours", "type"], missing.Keys.Order());
        Assert.Contains("required", missing["type"], StringComparison.Ordinal);

        var outOfRange = await ErrorsAsync(await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(shipperCode: "ZQD", thresholdHours: -1, dueWithinHours: 1441)));
        Assert.Equal(["dueWithinHours", "thresholdHours"], outOfRange.Keys.Order());
        Assert.Contains("between 0 and 1440", outOfRange["thresholdHours"], StringComparison.Ordinal);
        Assert.Contains("it was 1441", outOfRange["dueWithinHours"], StringComparison.Ordinal);

        var tooLong = await ErrorsAsync(await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(shipperCode: "ZQE", destination: new string('省', 21))));
        Assert.Equal(["destinationProvince"], tooLong.Keys);
        Assert.Contains("at most 20 characters; it had 21", tooLong["destinationProvince"], StringComparison.Ordinal);

        var unknownType = await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(type: "Lost"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        Assert.Contains("type", await unknownType.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The built-in NoUpdate rule already covers every carrier and lane.
        var duplicate = await ErrorsAsync(await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule()));
        var builtInNoUpdate = MonitoringRules.Defaults.Single(r => r.Type == ExceptionType.NoUpdate).Id;
        Assert.Contains($"exists already (rule {builtInNoUpdate})", duplicate["type"], StringComparison.Ordinal);

        Assert.Equal(before, (await P.GetService<MonitoringRuleService>().ListAsync()).Count);
    }

    [Fact]
    public async Task An_unknown_rule_id_answers_404_with_a_problem_body()
    {
        using var api = P.CreateApiClient();

        var put = await api.PutAsJsonAsync("/api/v1/monitoring-rules/987654", Rule(shipperCode: "ZQF"));
        var delete = await api.DeleteAsync("/api/v1/monitoring-rules/987654");

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Contains("No monitoring rule has this id", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", delete.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.ShipperCode == "ZQF");
    }

    [Fact]
    public async Task A_key_without_the_admin_scope_can_neither_read_nor_change_rules()
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("ops systems", [ApiScopes.ExceptionsRead, ApiScopes.ExceptionsWrite, ApiScopes.KpisRead], "test");
        using var api = P.CreateApiClient(key.Key);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/monitoring-rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/monitoring-rules", Rule(shipperCode: "ZQG"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PutAsJsonAsync("/api/v1/monitoring-rules/2", Rule())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.DeleteAsync("/api/v1/monitoring-rules/2")).StatusCode);
        Assert.DoesNotContain(await P.GetService<MonitoringRuleService>().ListAsync(), r => r.ShipperCode == "ZQG");
    }

    [Fact]
    public async Task The_counts_endpoint_gives_the_queue_pages_open_counts_per_type()
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("counts reader", [ApiScopes.ExceptionsRead], "test");
        using var api = P.CreateApiClient(key.Key);
        var before = (await api.GetFromJsonAsync<ExceptionEndpoints.CaseCounts>("/api/v1/exceptions/counts", Json))!;

        var shipment = await P.ShipmentAsync();
        P.Advance(TimeSpan.FromHours(24));
        await P.ScanAsync();
        Assert.Contains(await P.CasesAsync(shipment.Id), c => c.Type == ExceptionType.NoFirstScan);

        var after = (await api.GetFromJsonAsync<ExceptionEndpoints.CaseCounts>("/api/v1/exceptions/counts", Json))!;
        var page = await P.GetService<ExceptionQueries>().OpenCountsAsync();
        Assert.Equal(Enum.GetValues<ExceptionType>().Length, after.ByType.Count);
        Assert.All(Enum.GetValues<ExceptionType>(), t => Assert.Equal(page.GetValueOrDefault(t), after.ByType[t]));
        Assert.Equal(page.Values.Sum(), after.Open);
        Assert.True(after.ByType[ExceptionType.NoFirstScan] > before.ByType[ExceptionType.NoFirstScan]);
        using var other = P.CreateApiClient((await P.GetService<ApiKeyService>().CreateAsync("no read", [ApiScopes.OrdersRead], "test")).Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/exceptions/counts")).StatusCode);
    }
}
