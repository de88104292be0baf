using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

[Collection(SharedPortal.Name)]
public partial class PublicTrackingTests(SharedPortal portal)
{
    private const string CourierPhone = "13912345678";

    [Fact]
    public async Task Wrong_digits_and_an_unknown_number_show_the_same_nothing_and_the_right_digits_a_customer_safe_timeline()
    {
        var number = await ShippedParcelAsync(portal.Factory, "13800001234");
        using var client = portal.Factory.CreateBrowserLikeClient();

        var wrong = await LookupAsync(client, number, "9999");
        var unknown = await LookupAsync(client, NewZtoNumber(), "1234");
        var right = await LookupAsync(client, number, "1234");

        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("data-testid=\"track-none\"", wrong.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("track-result", wrong.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("杭州", wrong.Html, StringComparison.Ordinal);
        Assert.Equal(TrackNone().Match(wrong.Html).Value, TrackNone().Match(unknown.Html).Value);
        Assert.Contains("data-testid=\"track-result\"", right.Html, StringComparison.Ordinal);
        Assert.Contains("正在为您派件", right.Html, StringComparison.Ordinal);
        Assert.Contains("route-map", right.Html, StringComparison.Ordinal);
        // Internal data stays internal: the courier's name and mobile number, the pickup code.
        Assert.DoesNotContain(CourierPhone, right.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("王师傅", right.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("886612", right.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_link_in_a_shipping_message_fills_in_its_number_and_looks_nothing_up_until_the_digits_are_given()
    {
        using var client = portal.Factory.CreateBrowserLikeClient();

        var linked = await client.GetStringAsync("/track?no=ZT1234567890");
        var marked = await client.GetStringAsync("/track?no=" + Uri.EscapeDataString("<b>ZT1</b>"));
        var overlong = await client.GetStringAsync("/track?no=" + new string('9', 65));

        Assert.Contains("value=\"ZT1234567890\"", linked, StringComparison.Ordinal);
        Assert.DoesNotContain("track-none", linked, StringComparison.Ordinal);
        Assert.DoesNotContain("track-result", linked, StringComparison.Ordinal);
        Assert.Contains("redirectUri=%2Ftrack%3Fno%3DZT1234567890", linked, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>ZT1</b>", marked, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"" + new string('9', 65), overlong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookups_beyond_the_limit_get_429_with_the_styled_page_saying_when_to_try_again_in_the_visitors_language()
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { ["Tracking:PublicPage:PermitLimit"] = "3" });
        using var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await LookupAsync(client, NewZtoNumber(), "1234")).Status);
        }
        var limited = await LookupAsync(client, NewZtoNumber(), "1234");
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var chinese = await LookupAsync(client, NewZtoNumber(), "1234");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(limited.RetryAfterSeconds is > 0 and <= 300, $"Retry-After {limited.RetryAfterSeconds}");
        Assert.Contains("<main data-testid=\"track-limited\">", limited.Html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", limited.Html, StringComparison.Ordinal);
        Assert.Contains("Too many tracking lookups", limited.Html, StringComparison.Ordinal);
        Assert.Matches(@"Please try again after \d\d:\d\d \(in about [1-5] min, Beijing time\)", limited.Html);
        Assert.Contains("background: #1e88e5", limited.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("查询", limited.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, chinese.Status);
        Assert.NotNull(chinese.RetryAfterSeconds);
        Assert.Contains("<html lang=\"zh-CN\">", chinese.Html, StringComparison.Ordinal);
        Assert.Contains("查询次数过多", chinese.Html, StringComparison.Ordinal);
        Assert.Matches(@"请在 \d\d:\d\d（约 [1-5] 分钟后，北京时间）再试。", chinese.Html);
        Assert.DoesNotContain("Too many", chinese.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/track")).StatusCode);
    }

    [Fact]
    public async Task The_signed_short_link_in_a_shipping_message_opens_the_page_with_its_number_and_a_forged_one_opens_it_empty()
    {
        var number = await ShippedParcelAsync(portal.Factory, "13800005678");
        string link;
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var shipment = await db.Set<Shipment>().SingleAsync(x => x.TrackingNo == number);
            link = (await MerchantPortal.Web.Features.Monitoring.CustomerValues.ForAsync(db, shipment, CancellationToken.None))["trackingUrl"];
        }
        Assert.StartsWith("/t/", link, StringComparison.Ordinal);
        var token = link["/t/".Length..];
        var other = NewZtoNumber();
        var forged = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(other)) + token[token.IndexOf('.', StringComparison.Ordinal)..];

        using var client = portal.Factory.CreateBrowserLikeClient(followRedirects: true);
        var opened = await client.GetStringAsync(link);
        var refused = await client.GetStringAsync("/t/" + forged);
        var garbage = await client.GetStringAsync("/t/not-a-token");

        Assert.Contains($"value=\"{number}\"", opened, StringComparison.Ordinal);
        Assert.DoesNotContain("track-result", opened, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"track-no\"", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(other, refused, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"track-no\"", garbage, StringComparison.Ordinal);
        // The same number signs the same way on every call: one link per parcel, whichever message carries it.
        var key = await portal.Factory.GetService<TrackingLinkKey>().GetAsync();
        Assert.Equal(link, TrackingLinks.Path(number, key));
        Assert.Null(TrackingLinks.Read(token, [.. key.Select(b => (byte)(b ^ 1))]));
    }

    [Fact]
    public async Task Html_in_the_brand_name_is_shown_as_text()
    {
        var settings = portal.Factory.GetService<PortalSettings>();
        await settings.SetAsync(TrackingBrand.NameKey, "<script>alert('x')</script> Shop", "test");
        try
        {
            using var client = portal.Factory.CreateBrowserLikeClient();
            var html = await client.GetStringAsync("/track");

            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Shop", html, StringComparison.Ordinal);
        }
        finally
        {
            await settings.SetAsync<string?>(TrackingBrand.NameKey, null, "test");
        }
    }

    [Theory]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("//evil.example/logo.png", false)]
    [InlineData("https://cdn.example/logo.png", false)]
    [InlineData("/assets/brand/logo.png", true)]
    public void Only_a_path_on_the_portal_is_a_logo(string url, bool valid) => Assert.Equal(valid, TrackingBrand.IsValidLogoUrl(url));

    [Theory]
    [InlineData("#1e88e5", true)]
    [InlineData("#fff", true)]
    [InlineData("red;background:url(x)", false)]
    public void Only_a_hex_colour_is_a_brand_colour(string color, bool valid) => Assert.Equal(valid, TrackingBrand.IsValidColor(color));

    /// <summary>An order with the given phone, its shipment, and a push with a courier line in a scan.</summary>
    internal static async Task<string> ShippedParcelAsync(PortalFactory factory, string phone)
    {
        var orderNo = "TRK-" + Guid.NewGuid().ToString("N")[..10];
        using (var api = factory.CreateApiClient())
        {
            var created = await api.PostAsJsonAsync("/api/v1/orders", new
            {
                orderNo,
                channel = "Tmall",
                receiver = new { name = "韩梅梅", mobile = phone, province = "北京", city = "北京市", district = "朝阳区", address = "建国路 1 号", postcode = "100020" },
                lines = new[] { new { sku = "SKU-T", name = "茶具", quantity = 1, unitPrice = 88.0m, weightKg = 1.2m } },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var number = NewZtoNumber();
        var shipment = await CreateShipmentAsync(factory, number);
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var orderId = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
            await db.Set<Shipment>().Where(s => s.Id == shipment.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.OrderId, orderId));
        }
        await PushAsync(factory, PushJson(number, "2", "202",
            new Trace("2026-11-26 18:00:00", "【杭州市】已揽收", "1"),
            new Trace("2026-11-27 02:00:00", "【杭州市】快件已从【杭州转运中心】发出,准备发往【北京转运中心】", "2"),
            new Trace("2026-11-28 04:00:00", "【北京市】快件已到达【北京转运中心】", "204", "北京市"),
            new Trace("2026-11-28 09:00:00", $"【北京市】派件员 王师傅 {CourierPhone} 正在为您派件,取件码 886612", "202", "北京市")));
        return number;
    }

    private static async Task<(HttpStatusCode Status, string Html, int? RetryAfterSeconds)> LookupAsync(HttpClient client, string trackingNo, string last4)
    {
        var page = await client.GetStringAsync("/track");
        var token = Token().Match(page);
        Assert.True(token.Success, "The tracking page has no antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "track",
            ["Input.TrackingNo"] = trackingNo,
            ["Input.PhoneLast4"] = last4,
        });
        var response = await client.PostAsync("/track", form);
        // Blazor encodes non-ASCII text as character references; compare what a browser shows.
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<p[^>]*data-testid=\"track-none\"[^>]*>[^<]*</p>")]
    private static partial Regex TrackNone();
}
