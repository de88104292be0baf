using System.Net;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>Crafted redirect targets and oversized pushes get an ordinary answer, never a 500.</summary>
[Collection(SharedPortal.Name)]
public class CraftedInputTests(SharedPortal portal)
{
    [Theory]
    [InlineData("/%5Cevil.example")]
    [InlineData("//evil.example/")]
    [InlineData("/%09/evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_culture_switch_to_a_target_off_the_portal_goes_home(string target)
    {
        using var client = portal.Factory.CreateBrowserLikeClient();

        var response = await client.GetAsync("/culture?culture=en&redirectUri=" + target);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/orders")]
    public async Task Signing_in_with_a_return_url_off_the_portal_lands_on_the_portal(string returnUrl)
    {
        using var client = portal.Factory.CreateBrowserLikeClient();

        var response = await PortalSession.PostLoginAsync(client, "ops@demo.local", PortalFactory.DemoPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == portal.Factory.BaseAddress.Host, $"redirected to {location}");
        Assert.DoesNotContain("evil", location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_over_the_size_limit_is_refused_as_the_protocol_asks()
    {
        var huge = PushJson(NewZtoNumber(), "2", "2", new Trace("2026-11-26 09:00:00", new string('快', 2_200_000), "1"));
        using var client = portal.Factory.CreateApiClient(apiKey: null);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = huge,
            ["RequestType"] = "102",
            ["DataSign"] = KdniaoSigner.Sign(huge, AppKey),
        });

        var response = await client.PostAsync(TrackingEndpoints.PushPath, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(answer.GetProperty("Success").GetBoolean());
    }
}
