using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>
/// The public tracking section of /admin/settings (bUnit, a portal of its own: the brand is global). A brand name over
/// 60 characters — only possible around the field, whose maxlength stops typing — is refused in the reader's
/// language and nothing is saved; it used to be cut to 60 silently.
/// </summary>
public class TrackingSettingsSectionTests(SharedPortal portal) : BunitTestBase, IClassFixture<SharedPortal>
{
    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<PortalSettings>());
        Context.Services.AddSingleton(portal.Factory.GetService<BrandLogos>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<TrackingSettingsSection>());
    }

    [Theory]
    [InlineData("zh-CN", "名称最多 60 个字符。")]
    [InlineData("en", "The name has at most 60 characters.")]
    public async Task A_brand_name_over_60_characters_is_refused_in_the_readers_language_and_not_cut(string culture, string message)
    {
        var settings = portal.Factory.GetService<PortalSettings>();
        var before = await settings.GetAsync<string?>(TrackingBrand.NameKey, null);
        var page = Render(culture);

        page.WaitForElement("input[data-testid=settings-brand-name], [data-testid=settings-brand-name] input").Change(new string('名', 61));
        page.Find("[data-testid=settings-tracking-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(message, page.Markup));
        Assert.Empty(page.FindAll("[data-testid=settings-tracking-saved]"));
        Assert.Equal(before, await settings.GetAsync<string?>(TrackingBrand.NameKey, null));
    }

    [Fact]
    public async Task A_name_of_60_characters_is_saved_whole()
    {
        var page = Render("en");

        page.WaitForElement("input[data-testid=settings-brand-name], [data-testid=settings-brand-name] input").Change(new string('名', 60));
        page.Find("[data-testid=settings-tracking-save]").Click();

        page.WaitForElement("[data-testid=settings-tracking-saved]");
        Assert.Equal(new string('名', 60), await portal.Factory.GetService<PortalSettings>().GetAsync<string?>(TrackingBrand.NameKey, null));
    }

    [Theory]
    [InlineData("en", "logo.svg", "logo.svg contains a script, an event handler or a link to another file")]
    [InlineData("zh-CN", "logo.svg", "logo.svg 含有脚本、事件处理或指向其他文件的链接")]
    [InlineData("en", "big.png", "big.png is larger than 512 KB.")]
    [InlineData("zh-CN", "big.png", "big.png 超过 512 KB")]
    [InlineData("en", "logo.png", "logo.png is not a PNG, JPEG or SVG image")]
    [InlineData("zh-CN", "logo.png", "logo.png 不是 PNG、JPEG 或 SVG 图片")]
    public async Task A_refused_logo_is_explained_in_the_readers_language_and_nothing_changes(string culture, string file, string message)
    {
        var settings = portal.Factory.GetService<PortalSettings>();
        var before = await settings.GetAsync<string?>(TrackingBrand.LogoUrlKey, null);
        var content = file switch
        {
            "logo.svg" => System.Text.Encoding.UTF8.GetBytes(MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.ScriptSvg),
            "big.png" => MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.Padded(BrandLogos.MaxBytes + 1),
            _ => "GIF89a, named .png"u8.ToArray(),
        };
        var page = Render(culture);

        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, file));

        page.WaitForAssertion(() => Assert.Contains(message, page.Find("[data-testid=settings-logo-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal(before, await settings.GetAsync<string?>(TrackingBrand.LogoUrlKey, null));
    }

    [Fact]
    public async Task An_uploaded_png_becomes_the_public_pages_logo_served_by_the_portal()
    {
        var page = Render("en");

        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.Png, "shop.png"));

        page.WaitForAssertion(() => Assert.Contains("shop.png is now the logo", page.Find("[data-testid=settings-logo-uploaded]").TextContent, StringComparison.Ordinal));
        var url = await portal.Factory.GetService<PortalSettings>().GetAsync<string?>(TrackingBrand.LogoUrlKey, null);
        Assert.StartsWith(BrandLogos.PathPrefix, url, StringComparison.Ordinal);
        Assert.Equal(url, page.Find("[data-testid=settings-logo-preview]").GetAttribute("src"));
        using var anonymous = portal.Factory.CreateBrowserLikeClient();
        var served = await anonymous.GetAsync(url);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.Png, await served.Content.ReadAsByteArrayAsync());
        Assert.Contains($"src=\"{url}\"", await anonymous.GetStringAsync("/track"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systems_upload_the_logo_through_the_API_and_are_told_by_name_why_one_is_refused()
    {
        var key = await portal.Factory.GetService<MerchantPortal.Web.Features.Admin.ApiKeys.ApiKeyService>().CreateAsync("logo api test", [ApiScopes.Admin], "test");
        using var api = portal.Factory.CreateApiClient(key.Key);

        var accepted = await ApiAnswers.JsonAsync(await api.PostAsync("/api/v1/settings/tracking-brand/logo",
            Multipart(System.Text.Encoding.UTF8.GetBytes(MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.PlainSvg), "logo.txt")), System.Net.HttpStatusCode.OK);
        Assert.Equal("image/svg+xml", accepted.GetProperty("contentType").GetString());
        var url = accepted.GetProperty("logoUrl").GetString()!;
        Assert.Equal(url, (await TrackingBrand.LoadAsync(portal.Factory.GetService<PortalSettings>())).LogoUrl);
        using (var anonymous = portal.Factory.CreateBrowserLikeClient())
        {
            var served = await anonymous.GetAsync(url);
            Assert.Equal("image/svg+xml", served.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'none'", served.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        foreach (var (content, words) in new (byte[] Content, string Words)[]
                 {
                     (System.Text.Encoding.UTF8.GetBytes(MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.ScriptSvg), "contains a script"),
                     (MerchantPortal.Web.Tests.Tracking.BrandLogoCheckTests.Padded(BrandLogos.MaxBytes + 1), "larger than 512 KB"),
                     ("GIF89a"u8.ToArray(), "must be a PNG, JPEG or SVG"),
                 })
        {
            var refused = await ApiAnswers.JsonAsync(await api.PostAsync("/api/v1/settings/tracking-brand/logo", Multipart(content, "logo.png")), System.Net.HttpStatusCode.BadRequest);
            Assert.Contains(words, refused.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(url, (await TrackingBrand.LoadAsync(portal.Factory.GetService<PortalSettings>())).LogoUrl);
    }

    [Fact]
    public async Task The_colour_picked_is_saved_as_a_hex_colour_the_public_page_uses()
    {
        var page = Render("en");
        var picker = page.FindComponent<MudColorPicker>();

        await page.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(new MudBlazor.Utilities.MudColor(255, 87, 34, 255)));
        page.Find("[data-testid=settings-tracking-save]").Click();

        page.WaitForElement("[data-testid=settings-tracking-saved]");
        Assert.Equal("#ff5722", await portal.Factory.GetService<PortalSettings>().GetAsync<string?>(TrackingBrand.PrimaryColorKey, null));
        using var anonymous = portal.Factory.CreateBrowserLikeClient();
        Assert.Contains("--track-primary: #ff5722", await anonymous.GetStringAsync("/track"), StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Multipart(byte[] content, string name) => new() { { new ByteArrayContent(content), "file", name } };
}
