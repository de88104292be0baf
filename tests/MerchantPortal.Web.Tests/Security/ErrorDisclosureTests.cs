using System.Net;
using System.Text;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// The portal as deployed (Production): a page or endpoint that fails appends middleware that throws at the end. It has
/// the public address production requires (nothing is ever sent to it); an override of null leaves it unset.
/// </summary>
public sealed class ProductionPortal(IDictionary<string, string?>? overrides = null) : PortalFactory(overrides: WithPublicBaseUrl(overrides))
{
    public const string PublicBaseUrl = "https://portal.example/";

    private static Dictionary<string, string?> WithPublicBaseUrl(IDictionary<string, string?>? overrides)
    {
        var all = new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = PublicBaseUrl };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return all;
    }

    public const string BoomPath = "/boom-for-tests";
    public const string BoomMessage = "BOOM-SECRET-DETAIL connection=Server=db;Password=hunter2";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        // The test talks plain http to Kestrel; in production the sign-in cookie is Secure (CookieSecurityTests), which
        // an http client would never send back.
        builder.UseSetting("Security:HttpsOnlyCookies", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, Boom>());
    }

    /// <summary>Runs after the app's own pipeline, so the app's exception handling is what answers.</summary>
    private sealed class Boom : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate _) =>
                context.Request.Path.StartsWithSegments(BoomPath) ? throw new InvalidOperationException(BoomMessage) : Task.CompletedTask);
        };
    }
}

/// <summary>R6: outside Development no error answer carries a stack trace, an exception's text or the developer page.</summary>
public sealed class ErrorDisclosureTests : IAsyncLifetime
{
    private readonly ProductionPortal factory = new();

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_failing_page_shows_the_error_page_without_exception_details()
    {
        // Signed in: anonymous requests to unknown paths are sent to the login page before anything can fail.
        // Production seeds no demo users; create one as the invitation flow would.
        const string email = "prod-user@test.local";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<MerchantPortal.Web.Data.ApplicationUser>>();
            var user = new MerchantPortal.Web.Data.ApplicationUser { UserName = email, Email = email, CreatedAtUtc = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(user, PortalFactory.DemoPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, MerchantPortal.Web.Infrastructure.Roles.CustomerService)).Succeeded);
        }
        using var client = await PortalSession.SignInAsync(factory, email);
        var response = await client.GetAsync(ProductionPortal.BoomPath);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertNoDetails(body);
    }

    [Fact]
    public async Task API_errors_in_production_are_problem_bodies_without_exception_details()
    {
        // Production seeds no demo key; make one as an Admin would.
        var key = await factory.GetService<MerchantPortal.Web.Features.Admin.ApiKeys.ApiKeyService>().CreateAsync("production check", [MerchantPortal.Web.Infrastructure.ApiScopes.Admin], "test");
        using var api = factory.CreateApiClient(key.Key);
        var malformed = await api.PostAsync("/api/v1/warehouses", new StringContent("{\"code\": [1,", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        var body = await malformed.Content.ReadAsStringAsync();
        Assert.Contains("\"errors\"", body);
        AssertNoDetails(body);

        var wrongType = await api.PostAsync("/api/v1/sla-rules", new StringContent("{\"shipperCode\":\"ZTO\",\"promisedDays\":\"many\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        var wrongBody = await wrongType.Content.ReadAsStringAsync();
        Assert.Contains("promisedDays", wrongBody);
        AssertNoDetails(wrongBody);

        var missing = await api.GetAsync("/api/v1/not-a-route");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertNoDetails(await missing.Content.ReadAsStringAsync());
    }

    private static void AssertNoDetails(string body)
    {
        Assert.DoesNotContain(ProductionPortal.BoomMessage, body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("StackTrace", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"exception\"", body);
        Assert.DoesNotContain("System.", body);
        Assert.DoesNotContain("Microsoft.AspNetCore", body);
    }
}
