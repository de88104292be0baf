using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>Webhook subscriptions through /api/v1/webhook-subscriptions (Admin scope), over real HTTP.</summary>
public class WebhookApiTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    private static object Body(string name, string url, params string[] eventTypes) => new { name, url, eventTypes, enabled = true };

    private static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public async Task Creating_a_subscription_shows_its_secret_once_and_stores_it_encrypted()
    {
        using var api = P.CreateApiClient();

        var created = await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("ERP", "https://erp.example.com/hooks/portal", WebhookEvents.ExceptionOpened, WebhookEvents.RefundRequested));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("subscription").GetProperty("id").GetInt32();
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal($"/api/v1/webhook-subscriptions/{id}", created.Headers.Location?.ToString());
        Assert.Equal([WebhookEvents.ExceptionOpened, WebhookEvents.RefundRequested],
            body.GetProperty("subscription").GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        await using var db = await P.DbAsync();
        var stored = await db.Set<WebhookSubscription>().AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.DoesNotContain(secret, stored.SecretProtected, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], stored.SecretProtected, StringComparison.Ordinal);
        Assert.Equal(secret, P.GetService<WebhookSecrets>().Unprotect(stored.SecretProtected));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "webhook.create" && a.EntityId == id.ToString()));

        var list = await api.GetStringAsync("/api/v1/webhook-subscriptions");
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(JsonDocument.Parse(list).RootElement.EnumerateArray(), s => s.GetProperty("id").GetInt32() == id && s.GetProperty("name").GetString() == "ERP");
    }

    [Fact]
    public async Task Updating_a_subscription_changes_its_url_and_events_but_keeps_its_secret()
    {
        using var api = P.CreateApiClient();
        using var receiver = new TestReceiver(_ => (204, ""));
        var created = await (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("before", "https://before.example.com/h", WebhookEvents.ShipmentStatusChanged)))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("subscription").GetProperty("id").GetInt32();
        var secret = created.GetProperty("secret").GetString()!;

        var updated = await api.PutAsJsonAsync($"/api/v1/webhook-subscriptions/{id}", Body("after", receiver.Url("/after"), WebhookEvents.ReturnStatusChanged));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var view = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("after", receiver.Url("/after")), (view.GetProperty("name").GetString(), view.GetProperty("url").GetString()));
        Assert.Equal([WebhookEvents.ReturnStatusChanged], view.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.False(view.TryGetProperty("secret", out _));

        // The next event goes to the new URL, signed with the secret shown at creation.
        var marker = Guid.NewGuid().ToString("N");
        await using (var db = await P.DbAsync())
        {
            Outbox.EnqueueWebhook(db, WebhookEvents.ReturnStatusChanged, new { marker }, P.Now);
            await db.SaveChangesAsync();
        }
        await OutboxTestData.DispatchAsync(P);
        var request = Assert.Single(receiver.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("/after", request.Path);
        Assert.True(request.Verifies(secret, P.Clock.GetUtcNow()));
        await api.DeleteAsync($"/api/v1/webhook-subscriptions/{id}");
    }

    [Fact]
    public async Task Deleting_a_subscription_removes_it_and_a_second_delete_or_update_is_404()
    {
        using var api = P.CreateApiClient();
        var created = await (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("gone", "https://gone.example.com/h", WebhookEvents.ExceptionResolved)))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("subscription").GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/webhook-subscriptions/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/webhook-subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync($"/api/v1/webhook-subscriptions/{id}", Body("x", "https://x.example.com/h", WebhookEvents.ExceptionResolved))).StatusCode);
        var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/webhook-subscriptions")).RootElement;
        Assert.DoesNotContain(list.EnumerateArray(), s => s.GetProperty("id").GetInt32() == id);
        await using var db = await P.DbAsync();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "webhook.delete" && a.EntityId == id.ToString()));
    }

    [Theory]
    [InlineData("ERP", "https://erp.example.com/h", "order.created", "eventTypes")]
    [InlineData("ERP", "https://erp.example.com/h", null, "eventTypes")]
    [InlineData("ERP", "http://erp.example.com/h", "exception.opened", "url")]
    [InlineData("ERP", "ftp://erp.example.com/h", "exception.opened", "url")]
    [InlineData("ERP", "https//erp.example.com", "exception.opened", "url")]
    [InlineData("ERP", "/hooks/relative", "exception.opened", "url")]
    [InlineData("ERP", "https://", "exception.opened", "url")]
    [InlineData("  ", "https://erp.example.com/h", "exception.opened", "name")]
    public async Task Bad_input_is_refused_with_400_naming_the_field_and_saves_nothing(string name, string url, string? eventType, string field)
    {
        using var api = P.CreateApiClient();
        await using var before = await P.DbAsync();
        var count = await before.Set<WebhookSubscription>().CountAsync();

        var create = await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body(name, url, eventType is null ? [] : [eventType]));

        Assert.Contains(field, await ErrorFieldsAsync(create), StringComparer.OrdinalIgnoreCase);
        await using var after = await P.DbAsync();
        Assert.Equal(count, await after.Set<WebhookSubscription>().CountAsync());

        // An update is checked the same way and leaves the subscription as it was.
        var created = await (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("valid", "https://valid.example.com/h", WebhookEvents.ExceptionOpened)))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("subscription").GetProperty("id").GetInt32();
        Assert.Contains(field, await ErrorFieldsAsync(await api.PutAsJsonAsync($"/api/v1/webhook-subscriptions/{id}", Body(name, url, eventType is null ? [] : [eventType]))), StringComparer.OrdinalIgnoreCase);
        await using var check = await P.DbAsync();
        Assert.Equal("https://valid.example.com/h", (await check.Set<WebhookSubscription>().AsNoTracking().SingleAsync(s => s.Id == id)).Url);
        await api.DeleteAsync($"/api/v1/webhook-subscriptions/{id}");
    }

    [Fact]
    public async Task Plain_http_is_accepted_for_a_receiver_on_the_loopback_only()
    {
        using var api = P.CreateApiClient();

        var local = await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("local", "http://127.0.0.1:9/h", WebhookEvents.ExceptionOpened));

        Assert.Equal(HttpStatusCode.Created, local.StatusCode);
        await api.DeleteAsync($"/api/v1/webhook-subscriptions/{(await local.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetInt32()}");
        Assert.Contains("url", await ErrorFieldsAsync(await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("lan", "http://192.168.1.20/h", WebhookEvents.ExceptionOpened))));
    }

    [Fact]
    public async Task Only_an_admin_key_manages_subscriptions()
    {
        var key = await P.GetService<ApiKeyService>().CreateAsync("not admin", [ApiScopes.ExceptionsRead, ApiScopes.ExceptionsWrite, ApiScopes.ReturnsWrite], "test");
        using var api = P.CreateApiClient(key.Key);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/webhook-subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", Body("x", "https://x.example.com/h", WebhookEvents.ExceptionOpened))).StatusCode);
    }
}
