using System.Net;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// Signing out changes state, so only a form post with the antiforgery token does it: a link or image on another site
/// (a GET, or a post without the token) must not sign staff out. The idle watch posts the layout's hidden form.
/// </summary>
[Collection(SharedPortal.Name)]
public class SignOutTests(SharedPortal portal)
{
    [Fact]
    public async Task A_get_or_a_post_without_the_token_does_not_sign_out_and_the_pages_form_post_does()
    {
        using var cs = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");

        await cs.GetAsync("/Account/IdleSignOut");
        Assert.Equal(HttpStatusCode.OK, (await cs.GetAsync("/orders")).StatusCode);

        using var forged = new FormUrlEncodedContent(new Dictionary<string, string>());
        await cs.PostAsync("/Account/IdleSignOut", forged);
        var page = await cs.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // What the idle watch submits: the layout's hidden form with its token.
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"idle-sign-out\"", html, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = PortalSession.TokenIn(html)! });
        var signedOut = await cs.PostAsync("/Account/IdleSignOut", form);

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/Account/Login?idle=true", signedOut.Headers.Location?.OriginalString);
        var after = await cs.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
