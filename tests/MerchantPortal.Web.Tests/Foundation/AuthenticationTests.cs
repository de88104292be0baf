using System.Net;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Foundation;

public class AuthenticationTests
{
    [Fact]
    public async Task Five_wrong_passwords_lock_that_source_out_of_the_account_and_then_the_right_one_is_refused_with_a_clear_message()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserLikeClient();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await PortalSession.PostLoginAsync(client, "ops@demo.local", "not-the-password-" + attempt);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var refused = await PortalSession.PostLoginAsync(client, "ops@demo.local", PortalFactory.DemoPassword);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", page);
        Assert.True(page.Contains("15 minutes", StringComparison.Ordinal) || page.Contains("15 分钟", StringComparison.Ordinal), page);

        // Locked out for this source (SignInThrottle), not for everyone: see SignInHardeningTests.
        var end = factory.GetService<SignInThrottle>().BlockedUntil("ops@demo.local");
        Assert.InRange(end!.Value - DateTime.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
    }

    [Fact]
    public async Task A_wrong_password_gives_a_message_and_no_session()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserLikeClient();
        var response = await PortalSession.PostLoginAsync(client, "cs@demo.local", "definitely-wrong-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public void Passwords_need_twelve_characters_and_no_composition_rules()
    {
        using var factory = new PortalFactory();
        var options = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value;
        Assert.Equal(12, options.Password.RequiredLength);
        Assert.False(options.Password.RequireDigit || options.Password.RequireUppercase || options.Password.RequireLowercase || options.Password.RequireNonAlphanumeric);
        Assert.Equal(5, options.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(15), options.Lockout.DefaultLockoutTimeSpan);
    }

    [Fact]
    public async Task A_password_of_eleven_characters_is_refused_and_twelve_plain_letters_are_accepted()
    {
        await using var factory = new PortalFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var shortResult = await users.CreateAsync(new ApplicationUser { UserName = "a@x.local", Email = "a@x.local" }, "abcdefghijk");
        Assert.False(shortResult.Succeeded);
        var plainResult = await users.CreateAsync(new ApplicationUser { UserName = "b@x.local", Email = "b@x.local" }, "lanternorbit");
        Assert.True(plainResult.Succeeded, string.Join("; ", plainResult.Errors.Select(e => e.Description)));
    }

    [Fact]
    public void Sessions_end_after_30_idle_minutes_and_12_hours_at_most()
    {
        using var factory = new PortalFactory();
        var session = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PortalSessionOptions>>().Value;
        var cookie = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme);
        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(12), session.AbsoluteTimeout);

        var signedIn = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(IdentitySetup.AuthTimeClaim, DateTimeOffset.UtcNow.AddHours(-13).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))], "test"));
        Assert.True(IdentitySetup.IsPastAbsoluteTimeout(signedIn, TimeProvider.System, session));
        var fresh = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(IdentitySetup.AuthTimeClaim, DateTimeOffset.UtcNow.AddHours(-11).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))], "test"));
        Assert.False(IdentitySetup.IsPastAbsoluteTimeout(fresh, TimeProvider.System, session));
    }

    [Fact]
    public async Task Outside_Development_no_demo_user_is_seeded()
    {
        await using var factory = new ProductionPortal();
        factory.Start();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Null(await users.FindByEmailAsync("admin@demo.local"));
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        Assert.True(await roles.RoleExistsAsync(Roles.Admin));
    }

    [Fact]
    public async Task Outside_Development_the_first_Admin_comes_from_the_bootstrap_settings()
    {
        await using var factory = new ProductionPortal(new Dictionary<string, string?>
        {
            ["Bootstrap:AdminEmail"] = "owner@merchant.example",
            ["Bootstrap:AdminPassword"] = "a long enough passphrase",
        });
        factory.Start();
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var owner = await users.FindByEmailAsync("owner@merchant.example");
        Assert.NotNull(owner);
        Assert.True(await users.IsInRoleAsync(owner, Roles.Admin));
    }
}
