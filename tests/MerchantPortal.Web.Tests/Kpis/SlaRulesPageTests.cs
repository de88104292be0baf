using System.Globalization;
using Bunit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// The SLA rules page (bUnit, with the shared portal's real services and database) words a refused rule in the
/// reader's language: the service's messages are the API's English, the page translates the problem codes.
/// </summary>
[Collection(SharedPortal.Name)]
public class SlaRulesPageTests(SharedPortal portal) : BunitTestBase
{
    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<SlaRuleService>());
        Context.Services.AddSingleton(portal.Factory.GetService<CarrierAccountService>());
        Context.Services.AddSingleton(portal.Factory.GetService<RegionCatalog>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<SlaRulesPage>());
    }

    [Fact]
    public void A_Chinese_user_saving_a_rule_without_a_carrier_is_told_why_in_Chinese()
    {
        var page = Render("zh-CN");
        page.WaitForElement("[data-testid=sla-new]").Click();
        page.WaitForElement("[data-testid=sla-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("请选择快递公司（编码 1–20 个字符，例如 ZTO）。", page.Markup));
        Assert.DoesNotContain("A carrier code (1–20 characters, e.g. ZTO) is required.", page.Markup);
        Assert.DoesNotContain("Choose a carrier", page.Markup);
    }

    [Fact]
    public void An_English_user_gets_the_same_refusal_in_English()
    {
        var page = Render("en");
        page.WaitForElement("[data-testid=sla-new]").Click();
        page.WaitForElement("[data-testid=sla-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("Choose a carrier (a code of 1–20 characters, e.g. ZTO).", page.Markup));
    }

    [Fact]
    public async Task The_service_keeps_naming_each_field_in_English_for_the_API()
    {
        var refused = await Assert.ThrowsAsync<SlaRuleValidationException>(() =>
            portal.Factory.GetService<SlaRuleService>().SaveAsync(null, new SlaRuleInput("", "火星", null, 99), "test"));
        Assert.Equal(["originProvince", "promisedDays", "shipperCode"], refused.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Unknown province '火星'.", refused.Errors["originProvince"]);
        Assert.Equal("UnknownProvince", refused.Problems.Single(p => p.Field == "originProvince").Code);
    }
}
