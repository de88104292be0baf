using System.Net;
using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>Signs in through the real login form (antiforgery token and all), as a browser would.</summary>
public static partial class PortalSession
{
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "The login page has no antiforgery token.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/Account/Login", form);
    }

    /// <summary>Signs in and asserts success (a redirect away from the login page).</summary>
    public static async Task<HttpClient> SignInAsync(PortalFactory factory, string email, string password = PortalFactory.DemoPassword)
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await PostLoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} did not redirect: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
