using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Account;

[Collection(SharedPortal.Name)]
public partial class AccountSecurityTests(SharedPortal portal)
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task A_password_change_keeps_this_session_and_refuses_every_other_session_at_its_next_request()
    {
        var (_, here) = await AccountForms.NewSignedInUserAsync(Factory, Roles.Ops);
        var email = await EmailAsync(here);
        using var elsewhere = await PortalSession.SignInAsync(Factory, email, AccountForms.NewPassword);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/orders")).StatusCode);

        var changed = await AccountForms.PostAsync(here, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = AccountForms.NewPassword,
            ["Input.NewPassword"] = "another long passphrase",
            ["Input.ConfirmPassword"] = "another long passphrase",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.EndsWith("/Account/Manage/ChangePassword", changed.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/orders")).StatusCode);
        Assert.True(AccountForms.IsSentToLogin(await elsewhere.GetAsync("/orders")));
        Assert.True(AccountForms.IsSentToLogin(await elsewhere.GetAsync("/orders")), "the refused cookie must stay refused");
        using var again = await PortalSession.SignInAsync(Factory, email, "another long passphrase");
    }

    [Fact]
    public async Task A_wrong_current_password_or_a_short_new_one_changes_nothing()
    {
        var (_, client) = await AccountForms.NewSignedInUserAsync(Factory, Roles.CustomerService);
        foreach (var (old, next) in new[] { ("wrong current password", "another long passphrase"), (AccountForms.NewPassword, "short") })
        {
            var response = await AccountForms.PostAsync(client, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
            {
                ["Input.OldPassword"] = old,
                ["Input.NewPassword"] = next,
                ["Input.ConfirmPassword"] = next,
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("data-testid=\"status-message\"", await response.Content.ReadAsStringAsync());
        }
        using var same = await PortalSession.SignInAsync(Factory, await EmailAsync(client), AccountForms.NewPassword);
    }

    [Fact]
    public async Task With_two_factor_on_signing_in_needs_a_TOTP_code_and_a_recovery_code_works_once()
    {
        var (_, client) = await AccountForms.NewSignedInUserAsync(Factory, Roles.Ops);
        var email = await EmailAsync(client);
        var recoveryCodes = await EnableTwoFactorAsync(client);
        Assert.Equal(10, recoveryCodes.Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders")).StatusCode);
        Assert.Contains("data-testid=\"twofactor-state\"", await client.GetStringAsync("/Account/Manage/TwoFactorAuthentication"));

        // The password alone now leads to the code page, with no session yet.
        using var second = Factory.CreateBrowserLikeClient();
        var password = await PortalSession.PostLoginAsync(second, email, AccountForms.NewPassword);
        Assert.Contains("/Account/LoginWith2fa", password.Headers.Location!.ToString());
        Assert.True(AccountForms.IsSentToLogin(await second.GetAsync("/orders")));
        var wrong = await AccountForms.PostAsync(second, "/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var code = await AccountForms.PostAsync(second, "/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string>
        {
            ["Input.TwoFactorCode"] = Totp.Code(key!, DateTimeOffset.UtcNow),
        });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/orders")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithRecoveryCodeAsync(email, recoveryCodes[0])).StatusCode);
        var reused = await SignInWithRecoveryCodeAsync(email, recoveryCodes[0]);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("data-testid=\"status-message\"", await reused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_code_pages_without_a_pending_sign_in_send_the_visitor_to_the_login_page()
    {
        using var client = Factory.CreateBrowserLikeClient();
        foreach (var page in new[] { "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode" })
        {
            var response = await client.GetAsync(page);
            Assert.True(AccountForms.IsSentToLogin(response), $"{page}: {(int)response.StatusCode}");
        }
    }

    private string? key;

    /// <summary>Reads the shared key from the enrolment page, answers with a TOTP code, returns the recovery codes shown.</summary>
    private async Task<List<string>> EnableTwoFactorAsync(HttpClient client)
    {
        var page = await AccountForms.ReadAsync(await client.GetAsync("/Account/Manage/EnableAuthenticator"));
        key = SharedKey().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(key), "no shared key on the enrolment page");
        Assert.Contains("<svg", page);
        var enabled = await AccountForms.PostAsync(client, "/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string>
        {
            ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow),
        });
        var html = await AccountForms.ReadAsync(enabled);
        Assert.Contains("data-testid=\"recovery-codes\"", html);
        return RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList();
    }

    private async Task<HttpResponseMessage> SignInWithRecoveryCodeAsync(string email, string recoveryCode)
    {
        var client = Factory.CreateBrowserLikeClient();
        await PortalSession.PostLoginAsync(client, email, AccountForms.NewPassword);
        return await AccountForms.PostAsync(client, "/Account/LoginWithRecoveryCode", "login-with-recovery-code", new Dictionary<string, string>
        {
            ["Input.RecoveryCode"] = recoveryCode,
        });
    }

    private static async Task<string> EmailAsync(HttpClient client)
    {
        var page = await AccountForms.ReadAsync(await client.GetAsync("/Account/Manage"));
        return Email().Match(page).Groups[1].Value;
    }

    [GeneratedRegex("data-testid=\"shared-key\">([A-Z0-9 ]+)</kbd>")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<code class=\"recovery-code\">([^<]+)</code>")]
    private static partial Regex RecoveryCode();

    [GeneratedRegex("value=\"([^\"]+@test\\.local)\" id=\"username\"")]
    private static partial Regex Email();
}
