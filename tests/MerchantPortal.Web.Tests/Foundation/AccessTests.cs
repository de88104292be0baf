using System.Net;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

[Collection(SharedPortal.Name)]
public class AccessTests(SharedPortal portal)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/admin/api-keys")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/jobs")]
    public async Task Anonymous_users_are_sent_to_the_login_page(string path)
    {
        using var client = portal.Factory.CreateBrowserLikeClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery.Replace(portal.Factory.BaseAddress.ToString(), "/"));
    }

    [Theory]
    [InlineData("/api/v1/orders")]
    [InlineData("/api/v1/dashboard")]
    [InlineData("/api/v1/api-keys")]
    public async Task Anonymous_API_calls_get_401_never_a_login_redirect(string path)
    {
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused_and_signs_no_one_in()
    {
        using var client = portal.Factory.CreateBrowserLikeClient();
        await client.GetAsync("/Account/Login");
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = "ops@demo.local",
            ["Input.Password"] = PortalFactory.DemoPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".MerchantPortal.Auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_API_key_gets_401()
    {
        using var client = portal.Factory.CreateApiClient("mpk_test0000_this-is-not-the-right-key-at-all");
        var response = await client.GetAsync("/api/v1/dashboard");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("cs@demo.local")]
    [InlineData("ops@demo.local")]
    public async Task CustomerService_and_Ops_are_refused_every_admin_page(string email)
    {
        using var client = await PortalSession.SignInAsync(portal.Factory, email);
        foreach (var path in new[] { "/admin/jobs", "/admin/api-keys", "/admin/audit" })
        {
            var response = await client.GetAsync(path);
            var refused = response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/AccessDenied", StringComparison.Ordinal));
            Assert.True(refused, $"{email} on {path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task Admin_opens_the_Hangfire_dashboard_and_the_admin_pages()
    {
        using var client = await PortalSession.SignInAsync(portal.Factory, "admin@demo.local");
        foreach (var path in new[] { "/admin/jobs", "/admin/api-keys", "/admin/audit", "/" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_signed_in_role_sees_the_dashboard()
    {
        foreach (var email in new[] { "cs@demo.local", "ops@demo.local", "admin@demo.local" })
        {
            using var client = await PortalSession.SignInAsync(portal.Factory, email);
            var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Health_endpoints_answer_without_signing_in()
    {
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"database\"", body);
        Assert.Contains("\"hangfire\"", body);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var client = portal.Factory.CreateBrowserLikeClient();
        var response = await client.GetAsync("/Account/Login");
        Assert.Contains("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Portal_pages_allow_no_inline_script_but_the_import_map_carrying_this_requests_nonce()
    {
        using var client = portal.Factory.CreateBrowserLikeClient();

        var first = await client.GetAsync("/Account/Login");
        var second = await client.GetAsync("/Account/Login");
        var jobs = await client.GetAsync("/admin/jobs");

        var policy = string.Join(",", first.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", scriptSrc, StringComparison.Ordinal);
        var nonce = System.Text.RegularExpressions.Regex.Match(scriptSrc, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await first.Content.ReadAsStringAsync();
        var importMap = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]*importmap[^>]*>").Value;
        Assert.Contains($"nonce=\"{nonce}\"", importMap, StringComparison.Ordinal);
        Assert.DoesNotContain(nonce, string.Join(",", second.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        // The Hangfire dashboard (its own inline scripts) answers with a policy too, even when it refuses.
        Assert.Contains("frame-ancestors", string.Join(",", jobs.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_v1_API_with_the_key_scheme()
    {
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        var json = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/dashboard", json);
        Assert.Contains("X-Api-Key", json);
        Assert.DoesNotContain("/Account/Logout", json);
        // The browsable reference is for signed-in staff (PortalSettingsHardeningTests).
        var docs = await client.GetAsync("/api/docs/");
        Assert.Equal("/Account/Login", docs.RequestMessage?.RequestUri?.AbsolutePath);
    }
}
