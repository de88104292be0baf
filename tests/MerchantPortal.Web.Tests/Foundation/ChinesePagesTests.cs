using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// Every page a Chinese-speaking user opens is in Chinese. Each page of the access matrix is fetched as
/// Admin with the zh-CN culture (the server prerenders it), and its visible text and accessible labels are searched
/// for English phrases: two or more Latin words in a row, which is what a forgotten string or an untranslated
/// template looks like. Data (order numbers, carrier codes, e-mail addresses) are single tokens and pass.
/// </summary>
[Collection(SharedPortal.Name)]
public partial class ChinesePagesTests(SharedPortal portal)
{
    /// <summary>Latin phrases that are names, not sentences: product and standard names a Chinese UI keeps as they are.</summary>
    private static readonly string[] Allowed =
    [
        "Merchant Portal", "API Key", "X-Api-Key", "Standard Webhooks", "webhook-id", "webhook-timestamp", "webhook-signature", "AccessKey ID", "AccessKey Secret", "SecretId", "SecretKey", "SmsSdkAppId", "TemplateParam", "TemplateParamSet", "Code 128", "Open API", "Google Authenticator", "Microsoft Authenticator",
        // Demo data is content the merchant typed, in whatever language (warehouse, user and key names), not UI text.
        "Guangzhou DC", "Beijing DC", "Hangzhou DC", "Shanghai DC", "Chengdu DC", "Demo Admin", "Demo Ops", "Demo Customer Service", "Demo key", "Ops Wang",
    ];

    public static TheoryData<string> PageRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var route in AccessMatrixTests.Pages.Keys.Where(r => !r.Equals("/Error", StringComparison.Ordinal)))
        {
            data.Add(route);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PageRoutes))]
    public async Task No_English_phrase_is_left_on_the_page_for_a_Chinese_user(string route)
    {
        var path = await ConcreteAsync(route);
        using var client = await PortalSession.SignInAsync(portal.Factory, "admin@demo.local");
        await client.GetAsync("/culture?culture=zh-CN&redirectUri=/");

        var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            // Some account pages send the visitor on (two-factor pages without a pending sign-in or with two-factor
            // off): check the page they land on.
            response = await client.GetAsync(response.Headers.Location);
        }
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode} {VisibleText(html)[..Math.Min(600, VisibleText(html).Length)]}");
        Assert.Contains("lang=\"zh-CN\"", html, StringComparison.Ordinal);

        var english = EnglishPhrases(VisibleText(html), await TypedNamesAsync()).Distinct().ToList();
        Assert.True(english.Count == 0, $"{path} shows English to a zh-CN user: {string.Join(" | ", english)}");
    }

    [Fact]
    public void The_detector_finds_an_English_sentence_and_passes_data()
    {
        Assert.Equal(["Two-factor authentication"], EnglishPhrases("双因素认证 Two-factor authentication 订单 DEMO-000123 ZTO admin@demo.local 7301234567890"));
    }

    /// <summary>Detail pages get a real order and shipment so their full content (not the not-found message) is checked.</summary>
    private async Task<string> ConcreteAsync(string route)
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var orderNo = await db.Set<Order>().OrderBy(o => o.Id).Select(o => o.OrderNo).FirstAsync();
        var trackingNo = await db.Set<Shipment>().OrderBy(s => s.Id).Select(s => s.TrackingNo).FirstOrDefaultAsync() ?? "NO-SUCH-NUMBER";
        return Regex.Replace(route, "\\{[^}]+\\}", m => m.Value.ToLowerInvariant() switch
        {
            "{orderno}" => orderNo,
            "{trackingno}" => trackingNo,
            _ => "987654",
        });
    }

    private static string VisibleText(string html)
    {
        var withoutCode = ScriptsAndStyles().Replace(html, " ");
        var labels = string.Join(" | ", LabelAttributes().Matches(withoutCode).Select(m => m.Groups[2].Value));
        // Element boundaries become a separator no phrase crosses: words of two neighbouring cells are not a sentence.
        var text = Tags().Replace(withoutCode, " | ");
        return WebUtility.HtmlDecode(text + " " + labels);
    }

    /// <summary>
    /// Names other tests of this shared portal typed (API keys such as "shipment tests", carrier accounts such as
    /// "probe fddfce", warehouses, users, webhooks): content, not UI text. Which of them a page shows depended on the
    /// order the tests ran in, and a random suffix of letters only made an account name look like a phrase.
    /// </summary>
    private async Task<IReadOnlyList<string>> TypedNamesAsync()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var names = new List<string>();
        names.AddRange(await db.Set<MerchantPortal.Web.Features.Admin.ApiKeys.ApiKey>().Select(k => k.Name).ToListAsync());
        names.AddRange(await db.Set<MerchantPortal.Web.Features.CarrierAccounts.CarrierAccount>().Select(a => a.Name).ToListAsync());
        names.AddRange(await db.Set<Warehouse>().Select(w => w.Name).ToListAsync());
        names.AddRange(await db.Set<MerchantPortal.Web.Features.Notifications.WebhookSubscription>().Select(w => w.Name).ToListAsync());
        names.AddRange((await db.Users.Select(u => u.DisplayName).ToListAsync()).OfType<string>());
        // Shop codes and names and printer names are typed by the merchant too (tmall-flagship, Zebra ZT411 packing).
        names.AddRange(await db.Set<Shop>().Select(s => s.Code).ToListAsync());
        names.AddRange(await db.Set<Shop>().Select(s => s.Name).ToListAsync());
        names.AddRange(await db.Set<MerchantPortal.Web.Features.Printing.Printer>().Select(p => p.Name).ToListAsync());
        return names;
    }

    private static IEnumerable<string> EnglishPhrases(string text, IEnumerable<string>? typed = null)
    {
        // Longest first, so a name is removed whole before a shorter name inside it.
        var names = Allowed.Concat(typed ?? []).Where(n => n.Length > 0).Distinct().OrderByDescending(n => n.Length);
        var cleaned = names.Aggregate(text, (t, a) => t.Replace(a, " ", StringComparison.OrdinalIgnoreCase));
        return Phrase().Matches(cleaned).Select(m => m.Value.Trim());
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptsAndStyles();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s(placeholder|aria-label|title|alt)=\"([^\"]*)\"")]
    private static partial Regex LabelAttributes();

    /// <summary>Two or more words of letters (one at least three lowercase letters long), separated by one space or a hyphen.</summary>
    [GeneratedRegex("(?<![\\w@.:-])(?=[A-Za-z' -]*[a-z]{3})[A-Za-z][A-Za-z']*(?:(?: |-)[A-Za-z][A-Za-z']*)+(?![\\w@.:-])")]
    private static partial Regex Phrase();
}
