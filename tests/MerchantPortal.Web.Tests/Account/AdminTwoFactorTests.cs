using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Account;

/// <summary>Own portal with Security:RequireTwoFactorForAdmin on (Development keeps it off).</summary>
public sealed partial class AdminTwoFactorTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new(overrides: new Dictionary<string, string?> { ["Security:RequireTwoFactorForAdmin"] = "true" });

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task An_Admin_without_two_factor_is_sent_to_enrol_from_every_page_until_it_is_enabled()
    {
        using var admin = await PortalSession.SignInAsync(factory, "admin@demo.local");
        foreach (var page in new[] { "/", "/admin/users", "/orders", "/admin/jobs" })
        {
            var response = await admin.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/Manage/EnableAuthenticator?required=true", response.Headers.Location!.ToString());
        }
        var enrol = await AccountForms.ReadAsync(await admin.GetAsync("/Account/Manage/EnableAuthenticator?required=true"));
        Assert.Contains("data-testid=\"twofactor-required\"", enrol);

        using var ops = await PortalSession.SignInAsync(factory, "ops@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/orders")).StatusCode);

        var key = SharedKey().Match(enrol).Groups[1].Value;
        var enabled = await AccountForms.PostAsync(admin, "/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string>
        {
            ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow),
        });
        Assert.Contains("data-testid=\"recovery-codes\"", await enabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);

        // Turning it off again is refused while the rule is on: no button, and a forged post changes nothing.
        Assert.DoesNotContain("disable-2fa", await admin.GetStringAsync("/Account/Manage/Disable2fa"));
        var disable = await AccountForms.PostAsync(admin, "/Account/Manage/Disable2fa", "disable-2fa", new Dictionary<string, string>(), tokenFrom: "/Account/Manage/ChangePassword");
        Assert.NotEqual(HttpStatusCode.Redirect, disable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    [GeneratedRegex("data-testid=\"shared-key\">([A-Z0-9 ]+)</kbd>")]
    private static partial Regex SharedKey();
}
