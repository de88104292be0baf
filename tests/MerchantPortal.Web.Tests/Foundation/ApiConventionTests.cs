using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

[Collection(SharedPortal.Name)]
public class ApiConventionTests(SharedPortal portal)
{
    [Fact]
    public async Task A_POST_replayed_with_the_same_Idempotency_Key_returns_the_first_answer_and_does_nothing_twice()
    {
        using var client = portal.Factory.CreateApiClient();
        var key = Guid.NewGuid().ToString();
        var body = new { name = "replay " + key, scopes = new[] { ApiScopes.OrdersRead } };

        var first = await SendAsync(client, body, key);
        var second = await SendAsync(client, body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var all = await portal.Factory.GetService<ApiKeyService>().ListAsync();
        Assert.Single(all, k => k.Name == "replay " + key);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_with_another_body_is_refused_with_422()
    {
        using var client = portal.Factory.CreateApiClient();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, new { name = "a " + key, scopes = new[] { ApiScopes.OrdersRead } }, key)).StatusCode);
        var other = await SendAsync(client, new { name = "b " + key, scopes = new[] { ApiScopes.OrdersRead } }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
    }

    [Fact]
    public async Task An_invalid_body_gets_400_problem_details_naming_each_field()
    {
        using var client = portal.Factory.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "", scopes = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(p => p.Name.Equals("name", StringComparison.OrdinalIgnoreCase)), errors.ToString());
        Assert.True(errors.EnumerateObject().Any(p => p.Name.Equals("scopes", StringComparison.OrdinalIgnoreCase)), errors.ToString());
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403()
    {
        var limited = await portal.Factory.GetService<ApiKeyService>().CreateAsync("orders only", [ApiScopes.OrdersRead], "test");
        using var client = portal.Factory.CreateApiClient(limited.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/api-keys")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_at_once()
    {
        var service = portal.Factory.GetService<ApiKeyService>();
        var key = await service.CreateAsync("to revoke", [ApiScopes.OrdersRead], "test");
        using var client = portal.Factory.CreateApiClient(key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/dashboard")).StatusCode);
        await service.RevokeAsync(key.Id, "test");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/dashboard")).StatusCode);
    }

    [Fact]
    public async Task API_keys_are_stored_only_as_hashes()
    {
        var created = await portal.Factory.GetService<ApiKeyService>().CreateAsync("hash check", [ApiScopes.OrdersRead], "test");
        var bytes = await DatabaseFiles.ReadAllBytesAsync(portal.Factory.DataDirectory);
        var secretPart = System.Text.Encoding.UTF8.GetBytes(created.Key[ApiKeyService.PrefixLength..]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(secretPart));
    }

    [Fact]
    public async Task A_configured_key_takes_the_scopes_of_its_configuration_when_they_change()
    {
        var service = portal.Factory.GetService<ApiKeyService>();
        var key = "mpk_cfg" + Guid.NewGuid().ToString("N")[..5] + "_configured-key-scopes-follow";
        await service.EnsureKeyAsync("configured", key, [ApiScopes.OrdersRead], "test");
        await service.EnsureKeyAsync("configured", key, [ApiScopes.OrdersRead, ApiScopes.FreightWrite], "test");

        var row = (await service.ListAsync()).Single(k => k.Prefix == key[..ApiKeyService.PrefixLength]);
        Assert.Equal($"{ApiScopes.OrdersRead} {ApiScopes.FreightWrite}", row.Scopes);
    }

    [Fact]
    public async Task Dashboard_tiles_are_served_camelCase()
    {
        using var client = portal.Factory.CreateApiClient();
        var json = await client.GetStringAsync("/api/v1/dashboard");
        Assert.Contains("\"key\":\"OrdersToReview\"", json);
        Assert.Contains("\"count\":", json);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, object body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }
}
