using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// R7, cookies: the sign-in and antiforgery cookies are HttpOnly and SameSite, and Secure wherever the portal is not a
/// developer's plain-http machine — including behind a load balancer that ends TLS, where the app itself sees http.
/// </summary>
public partial class CookieSecurityTests
{
    [Fact]
    public async Task With_HTTPS_only_cookies_the_sign_in_cookie_is_Secure_HttpOnly_and_SameSite_even_over_http()
    {
        // Plain http here stands for the hop behind a TLS-ending load balancer that sends no forwarded headers.
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["Security:HttpsOnlyCookies"] = "true" });
        factory.Start();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = factory.BaseAddress };

        var login = await client.GetAsync("/Account/Login");
        Assert.True(login.IsSuccessStatusCode, $"{(int)login.StatusCode}: {string.Join(" | ", SetCookies(login))}");
        var antiforgery = Assert.Single(SetCookies(login), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("httponly", antiforgery.ToLowerInvariant());
        Assert.Contains("samesite=strict", antiforgery.ToLowerInvariant());

        // A browser sends the Secure cookie back over its https leg; the test passes it by hand.
        var token = TokenField().Match(await login.Content.ReadAsStringAsync());
        Assert.True(token.Success, "The login page has no antiforgery token.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["_handler"] = "login",
                ["Input.Email"] = "ops@demo.local",
                ["Input.Password"] = PortalFactory.DemoPassword,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signedIn = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var auth = SetCookies(signedIn).Single(c => c.StartsWith(".MerchantPortal.Auth=", StringComparison.Ordinal));
        AssertFlags(auth, "lax");
    }

    [Fact]
    public async Task Behind_a_proxy_with_forwarded_headers_on_the_antiforgery_cookie_is_Secure_too()
    {
        // Proxy:ForwardedHeaders, as docs/operations.md says to set behind a TLS-ending load balancer (the test's
        // loopback address is the load balancer's network).
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?>
        {
            ["Proxy:ForwardedHeaders"] = "true",
            ["Proxy:KnownNetworks:0"] = "127.0.0.0/8",
            ["Proxy:KnownNetworks:1"] = "::1/128",
        });
        factory.Start();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = factory.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var login = await client.SendAsync(request);

        Assert.True(login.IsSuccessStatusCode, $"{(int)login.StatusCode}");
        AssertFlags(Assert.Single(SetCookies(login), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)), "strict");
    }

    [Fact]
    public async Task Without_forwarded_headers_a_claimed_https_scheme_is_ignored()
    {
        await using var factory = new PortalFactory();
        factory.Start();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = factory.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var login = await client.SendAsync(request);

        var antiforgery = Assert.Single(SetCookies(login), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", antiforgery.Split(';').Skip(1).Select(f => f.Trim().ToLowerInvariant()));
    }

    [Theory]
    [InlineData("Production", null, CookieSecurePolicy.Always)]
    [InlineData("Staging", null, CookieSecurePolicy.Always)]
    [InlineData("Development", null, CookieSecurePolicy.SameAsRequest)]
    [InlineData("Production", "false", CookieSecurePolicy.SameAsRequest)]
    [InlineData("Development", "true", CookieSecurePolicy.Always)]
    public void Cookies_are_HTTPS_only_outside_Development_unless_configured_otherwise(string environment, string? setting, CookieSecurePolicy expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Security:HttpsOnlyCookies"] = setting }).Build();
        var env = new Environment { EnvironmentName = environment };

        Assert.Equal(expected, IdentitySetup.CookiePolicyFor(env, config));
    }

    private static void AssertFlags(string cookie, string sameSite)
    {
        var flags = cookie.Split(';').Skip(1).Select(f => f.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", flags);
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=" + sameSite, flags);
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";
        public string ApplicationName { get; set; } = "MerchantPortal.Web";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
