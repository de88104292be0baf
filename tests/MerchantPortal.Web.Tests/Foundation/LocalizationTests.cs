using System.Collections;
using System.Globalization;
using System.Net;
using System.Resources;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

public class LocalizationTests
{
    private static readonly CultureInfo Chinese = new("zh-CN");

    public static TheoryData<string> ResourceSets()
    {
        var data = new TheoryData<string>();
        foreach (var name in typeof(Program).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".resources", StringComparison.Ordinal)))
        {
            data.Add(name[..^".resources".Length]);
        }
        return data;
    }

    [Fact]
    public void The_portal_has_resource_sets_to_check()
    {
        Assert.True(ResourceSets().Count >= 4, "Expected the shell, account, dashboard and admin resource sets.");
    }

    [Theory]
    [MemberData(nameof(ResourceSets))]
    public void Every_key_exists_in_English_and_in_Chinese(string baseName)
    {
        var manager = new ResourceManager(baseName, typeof(Program).Assembly);
        var english = Keys(manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false));
        var chinese = Keys(manager.GetResourceSet(Chinese, createIfNotExists: true, tryParents: false));
        Assert.NotEmpty(english);
        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Theory]
    [MemberData(nameof(ResourceSets))]
    public void No_translation_is_empty(string baseName)
    {
        var manager = new ResourceManager(baseName, typeof(Program).Assembly);
        foreach (var culture in new[] { CultureInfo.InvariantCulture, Chinese })
        {
            var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!;
            foreach (DictionaryEntry entry in set)
            {
                Assert.False(string.IsNullOrWhiteSpace(entry.Value as string), $"{baseName} [{culture.Name}] {entry.Key} is empty");
            }
        }
    }

    [Fact]
    public async Task The_culture_switch_is_kept_in_a_cookie_and_the_login_page_follows_it()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserLikeClient();
        var switched = await client.GetAsync("/culture?culture=en&redirectUri=/Account/Login");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains(".AspNetCore.Culture", string.Join(';', switched.Headers.GetValues("Set-Cookie")));
        Assert.Contains("Log in", await client.GetStringAsync("/Account/Login"));

        await client.GetAsync("/culture?culture=zh-CN&redirectUri=/Account/Login");
        Assert.Contains("登录", WebUtility.HtmlDecode(await client.GetStringAsync("/Account/Login")));
    }

    [Fact]
    public async Task The_culture_switch_never_redirects_off_site()
    {
        await using var factory = new PortalFactory();
        using var client = factory.CreateBrowserLikeClient();
        var response = await client.GetAsync("/culture?culture=en&redirectUri=//evil.example/");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private static HashSet<string> Keys(ResourceSet? set) =>
        set is null ? [] : set.Cast<DictionaryEntry>().Select(e => (string)e.Key).ToHashSet();
}
