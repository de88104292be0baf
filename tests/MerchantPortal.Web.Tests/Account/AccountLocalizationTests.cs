using System.Collections;
using System.Globalization;
using System.Net;
using System.Resources;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Account;

/// <summary>
/// Every account page asked for in Chinese: it has Chinese text, none of the Identity template's English sentences,
/// and none of the English values of the account resources.
/// </summary>
[Collection(SharedPortal.Name)]
public partial class AccountLocalizationTests(SharedPortal portal)
{
    private static readonly string[] TemplateSentences =
    [
        "Two-factor authentication", "Change password", "Recovery codes", "Manage your account", "Profile", "Update password",
        "Old password", "New password", "Confirm password", "Phone number", "Authenticator app", "Authenticator code",
        "Remember this machine", "Log in", "recovery code", "Configure authenticator app", "Verification Code", "Verify",
        "Disable 2FA", "Reset authenticator", "Forget this browser", "Put these codes in a safe place", "Invalid user",
        "Unable to load", "Save", "Password", "Error",
    ];

    [Fact]
    public async Task Every_account_page_in_Chinese_has_no_English_left()
    {
        var factory = portal.Factory;
        var (_, user) = await AccountForms.NewSignedInUserAsync(factory, Roles.Ops);
        await ChineseAsync(user);
        var email = Regex.Match(await AccountForms.ReadAsync(await user.GetAsync("/Account/Manage")), "value=\"([^\"]+@test\\.local)\"").Groups[1].Value;
        var pages = new Dictionary<string, string>();
        foreach (var path in new[] { "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/EnableAuthenticator?required=true" })
        {
            pages[path] = await PageAsync(user, path);
        }
        var enrol = pages["/Account/Manage/EnableAuthenticator?required=true"];
        var key = Regex.Match(enrol, "data-testid=\"shared-key\">([A-Z0-9 ]+)</kbd>").Groups[1].Value;
        var enabled = await AccountForms.PostAsync(user, "/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        pages["recovery codes shown after enrolment"] = await AccountForms.ReadAsync(enabled);
        foreach (var path in new[] { "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/Disable2fa", "/Account/Manage/GenerateRecoveryCodes", "/Account/Manage/ResetAuthenticator" })
        {
            pages[path + " (two-factor on)"] = await PageAsync(user, path);
        }
        var wrongCode = await AccountForms.PostAsync(user, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = "not the password at all", ["Input.NewPassword"] = "a long enough password", ["Input.ConfirmPassword"] = "a long enough password",
        });
        pages["change password refused"] = await AccountForms.ReadAsync(wrongCode);

        using var anonymous = factory.CreateBrowserLikeClient();
        await ChineseAsync(anonymous);
        foreach (var path in new[] { "/Account/Login", "/Account/Lockout", "/Account/AccessDenied", "/Account/InvalidUser", "/Account/AcceptInvite" })
        {
            pages[path] = await PageAsync(anonymous, path);
        }
        var invitation = await AccountForms.InviteAsync(factory, $"zh-{Guid.NewGuid():N}@test.local", Roles.CustomerService);
        pages["/Account/AcceptInvite (valid link)"] = await PageAsync(anonymous, invitation.Link);

        using var twoFactor = factory.CreateBrowserLikeClient();
        await ChineseAsync(twoFactor);
        await PortalSession.PostLoginAsync(twoFactor, email, AccountForms.NewPassword);
        pages["/Account/LoginWith2fa"] = await PageAsync(twoFactor, "/Account/LoginWith2fa");
        pages["/Account/LoginWithRecoveryCode"] = await PageAsync(twoFactor, "/Account/LoginWithRecoveryCode");
        var badCode = await AccountForms.PostAsync(twoFactor, "/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" });
        pages["/Account/LoginWith2fa wrong code"] = await AccountForms.ReadAsync(badCode);

        var english = EnglishAccountSentences();
        var problems = new List<string>();
        foreach (var (page, html) in pages)
        {
            var text = VisibleText(html);
            if (!Regex.IsMatch(text, @"\p{IsCJKUnifiedIdeographs}"))
            {
                problems.Add($"{page}: no Chinese at all");
            }
            problems.AddRange(TemplateSentences.Concat(english)
                .Where(sentence => Regex.IsMatch(text, $@"(?<![A-Za-z]){Regex.Escape(sentence)}(?![A-Za-z])"))
                .Select(sentence => $"{page}: \"{sentence}\""));
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static async Task ChineseAsync(HttpClient client) =>
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/culture?culture=zh-CN&redirectUri=/")).StatusCode);

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
        return await AccountForms.ReadAsync(response);
    }

    /// <summary>Text a reader sees: no tags, scripts, styles or attribute values.</summary>
    private static string VisibleText(string html)
    {
        var body = Regex.Replace(html, "<(script|style|svg)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        return Regex.Replace(body, "<[^>]+>", " ");
    }

    /// <summary>The English values of the account resources (multi-word ones without placeholders).</summary>
    private static IEnumerable<string> EnglishAccountSentences()
    {
        var manager = new ResourceManager("MerchantPortal.Web.Components.Account.AccountResources", typeof(Program).Assembly);
        var set = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<DictionaryEntry>().Select(e => (string)e.Value!)
            .Where(v => v.Contains(' ', StringComparison.Ordinal) && !v.Contains('{', StringComparison.Ordinal))
            .ToList();
    }
}
