using System.Net;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>Signs in through the real login form (antiforgery token and all), as a browser would.</summary>
public static partial class PortalSession
{
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = TokenIn(page);
        Assert.True(token is not null, "The login page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token!,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(returnUrl is null ? "/Account/Login" : "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), form);
    }

    /// <summary>Signs in and asserts success (a redirect away from the login page).</summary>
    public static async Task<HttpClient> SignInAsync(PortalFactory factory, string email, string password = PortalFactory.DemoPassword)
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await PostLoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} did not redirect: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>The antiforgery token of a page's forms (the first), as a browser would post it back.</summary>
    public static string? TokenIn(string html)
    {
        var token = AntiforgeryToken().Match(html);
        return token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
