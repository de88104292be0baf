using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// 10.6: markup in names is data. The API stores and returns it verbatim (JSON escapes nothing a client would
/// misread), and the pages render it as text: the prerendered HTML carries &amp;lt;script&amp;gt;, never the tag.
/// </summary>
[Collection(SharedPortal.Name)]
public class MarkupEscapingTests(SharedPortal portal)
{
    private const string Payload = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";

    public static TheoryData<string> Cases() => ["webhook", "api key"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_name_with_markup_comes_back_verbatim_from_the_API_and_escaped_on_its_page(string @case)
    {
        using var api = portal.Factory.CreateApiClient();
        var name = Payload + " " + Guid.NewGuid().ToString("N")[..6];
        var (create, list, page) = @case switch
        {
            "webhook" => (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { name, url = "https://example.invalid/hook", eventTypes = new[] { "exception.opened" } }),
                "/api/v1/webhook-subscriptions", "/admin/webhooks"),
            _ => (await api.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes = new[] { "orders:read" } }), "/api/v1/api-keys", "/admin/api-keys"),
        };
        Assert.True(create.IsSuccessStatusCode, $"{@case}: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync()}");

        var listed = JsonDocument.Parse(await api.GetStringAsync(list)).RootElement;
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("name").GetString() == name);

        using var admin = await PortalSession.SignInAsync(portal.Factory, "admin@demo.local");
        var html = await admin.GetStringAsync(page);
        Assert.Contains(WebUtility.HtmlEncode(name), html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x onerror", html);
    }

    [Fact]
    public async Task An_order_with_markup_in_the_receiver_shows_escaped_on_its_detail_page()
    {
        using var api = portal.Factory.CreateApiClient();
        var orderNo = "XSS-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Api",
            receiver = new { name = Payload, mobile = "13812345678", province = "广东省", city = "深圳市", district = "南山区", address = Payload },
            lines = new[] { new { sku = "SKU-1", name = "Item", quantity = 1, unitPrice = 10m, weightKg = 1m } },
            remark = Payload,
        });
        if (!created.IsSuccessStatusCode)
        {
            // Refusing markup is also an answer, as long as it says which field and why.
            Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
            Assert.Contains("errors", await created.Content.ReadAsStringAsync());
            return;
        }
        var json = await api.GetStringAsync($"/api/v1/orders/{orderNo}");
        Assert.Contains("onerror=alert(1)", JsonDocument.Parse(json).RootElement.GetRawText().Replace("\\u003C", "<").Replace("\\u003E", ">").Replace("\\u0022", "\""));

        using var admin = await PortalSession.SignInAsync(portal.Factory, "admin@demo.local");
        var html = await admin.GetStringAsync($"/orders/{orderNo}");
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("<img src=x onerror", html);
    }

    [Fact]
    public async Task The_public_tracking_form_refuses_or_escapes_a_hostile_and_oversized_number()
    {
        using var client = portal.Factory.CreateBrowserLikeClient();
        foreach (var number in new[] { Payload, new string('9', 100_000) })
        {
            var response = await Account.AccountForms.PostAsync(client, "/track", "track", new Dictionary<string, string>
            {
                ["Input.TrackingNo"] = number,
                ["Input.PhoneLast4"] = "<b>",
            });
            var html = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} {html[..Math.Min(300, html.Length)]}");
            Assert.DoesNotContain("<script>alert(1)", html);
            Assert.DoesNotContain("<img src=x onerror", html);
            Assert.DoesNotContain(new string('9', 1000), html);
            if (number.Length > 64)
            {
                Assert.Contains("data-testid=\"track-too-long\"", html);
            }
        }
    }
}
