using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>R5: webhook secrets are stored encrypted (Data Protection), never as they were handed out.</summary>
[Collection(SharedPortal.Name)]
public class StoredSecretsTests(SharedPortal portal)
{
    [Fact]
    public async Task A_webhook_secret_is_not_in_the_database_bytes_and_not_in_any_later_API_answer()
    {
        using var api = portal.Factory.CreateApiClient();
        var created = await (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { name = "stored secret check", url = "https://example.invalid/hook", eventTypes = new[] { "exception.opened" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);

        var bytes = await DatabaseFiles.ReadAllBytesAsync(portal.Factory.DataDirectory);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret["whsec_".Length..])));

        Assert.DoesNotContain(secret, await api.GetStringAsync("/api/v1/webhook-subscriptions"));
    }
}
