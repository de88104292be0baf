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
}
