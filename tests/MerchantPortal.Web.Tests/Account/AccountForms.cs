using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Account;

/// <summary>Posts the static-SSR account forms as a browser does: GET the page for its antiforgery token, then POST.</summary>
public static partial class AccountForms
{
    public const string NewPassword = "a brand new passphrase";

    /// <summary>The token comes from <paramref name="tokenFrom"/> when the page itself shows no form (a post it should refuse).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string formName, IDictionary<string, string> fields, string? tokenFrom = null)
    {
        var page = await client.GetAsync(tokenFrom ?? url);
        var html = await page.Content.ReadAsStringAsync();
        var token = Token().Match(html);
        Assert.True(token.Success, $"{url} has no form token ({(int)page.StatusCode} {page.Headers.Location}).");
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    /// <summary>Invites through the service and returns the relative invitation link.</summary>
    public static async Task<Invitation> InviteAsync(PortalFactory factory, string email, string role)
    {
        var (result, invitation) = await factory.GetService<UserAdminService>().InviteAsync(email, "测试" + role, role, "test");
        Assert.True(result.Succeeded, $"invite {email}: {result.Error} {result.Detail}");
        return invitation!;
    }

    /// <summary>Opens the invitation link in a fresh client and sets the password; returns the client (signed in on success).</summary>
    public static async Task<(HttpClient Client, HttpResponseMessage Response)> AcceptAsync(PortalFactory factory, string link, string password = NewPassword)
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await PostAsync(client, link, "accept-invite", new Dictionary<string, string>
        {
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        return (client, response);
    }

    /// <summary>A new user with the role, signed in through the invitation (the password is <see cref="NewPassword"/>).</summary>
    public static async Task<(string UserId, HttpClient Client)> NewSignedInUserAsync(PortalFactory factory, string role)
    {
        var invitation = await InviteAsync(factory, $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local", role);
        var (client, response) = await AcceptAsync(factory, invitation.Link);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (invitation.UserId, client);
    }

    public static async Task<string> ReadAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>True when the answer sends the client to the login page (a refused or ended session).</summary>
    public static bool IsSentToLogin(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/Login", StringComparison.Ordinal);

    public static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/AccessDenied", StringComparison.Ordinal));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) from the Base32 key the enrolment page shows.</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key);
        var counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (var i = 7; i >= 0; i--)
        {
            message[i] = (byte)(counter & 0xff);
            counter >>= 8;
        }
        var hash = HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
