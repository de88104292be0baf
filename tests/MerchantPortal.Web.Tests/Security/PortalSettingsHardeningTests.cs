using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// What a deployment must not leave open: the API reference for anyone and with inline scripts, links built from a
/// request's Host header, a portal without any Admin saying nothing, and a misleading 401 for a body of the wrong type.
/// </summary>
public partial class PortalSettingsHardeningTests
{
    [Fact]
    public async Task The_API_reference_is_for_signed_in_staff_and_runs_no_inline_script()
    {
        await using var factory = new PortalFactory();
        using var anonymous = factory.CreateBrowserLikeClient();
        using var ops = await PortalSession.SignInAsync(factory, "ops@demo.local");

        var refused = await anonymous.GetAsync("/api/docs/");
        var page = await ops.GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/Login", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, tag => Assert.Contains(" src=", tag, StringComparison.Ordinal));
        var policy = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("'unsafe-inline'", Regex.Match(policy, "script-src[^;]*").Value, StringComparison.Ordinal);
        foreach (var src in scripts.Select(t => Regex.Match(t, "src=\"([^\"]+)\"").Groups[1].Value))
        {
            Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(src)).StatusCode);
        }
    }

    [Fact]
    public async Task Outside_Development_the_portal_does_not_start_without_its_public_address_and_names_the_setting()
    {
        await using var factory = new ProductionPortal(new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = null });

        var failure = Record.Exception(() => factory.Start());

        Assert.NotNull(failure);
        Assert.Contains("Portal:PublicBaseUrl", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_link_is_built_on_the_public_address_whatever_Host_the_request_names()
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = "https://portal.example/" });
        using var api = factory.CreateApiClient();
        api.DefaultRequestHeaders.Host = "evil.example";

        var invited = await api.PostAsJsonAsync("/api/v1/users", new { email = "invitee-" + Guid.NewGuid().ToString("N")[..6] + "@merchant.example", displayName = "Invitee", role = "CustomerService" });

        var body = await ApiAnswers.JsonAsync(invited, HttpStatusCode.Created);
        Assert.StartsWith("https://portal.example/Account/AcceptInvite", body.GetProperty("invitationLink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_Admin_the_ready_check_is_degraded_and_names_the_missing_Admin()
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["DemoData:Enabled"] = "false" });
        using var client = factory.CreateBrowserLikeClient();

        var ready = JsonDocument.Parse(await client.GetStringAsync("/health/ready")).RootElement;

        var admin = Assert.Single(ready.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "admin");
        Assert.Equal("Degraded", admin.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_valid_key_posting_JSON_to_an_upload_route_gets_415_not_401()
    {
        await using var factory = new PortalFactory();
        using var api = factory.CreateApiClient();

        var response = await api.PostAsJsonAsync("/api/v1/order-imports", new { file = "orders.csv" });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
