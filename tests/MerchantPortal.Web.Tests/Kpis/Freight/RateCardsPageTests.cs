using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>
/// The rate cards page (bUnit, with the shared portal's real services and database) words a refused card in the
/// reader's language, reason by reason: the service's messages are the API's English, the page translates the codes.
/// </summary>
[Collection(SharedPortal.Name)]
public class RateCardsPageTests(SharedPortal portal) : BunitTestBase
{
    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<RateCardService>());
        Context.Services.AddSingleton(portal.Factory.GetService<RegionCatalog>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<RateCardsPage>());
    }

    /// <summary>
    /// Three new rows always repeat a province: a new row is the default row while there is none, else the
    /// catalog's first province. Saving is refused, so the shared database keeps its card.
    /// </summary>
    private static void AddThreeRowsAndSave(IRenderedComponent<CascadingAuthenticationState> page)
    {
        for (var i = 0; i < 3; i++)
        {
            page.WaitForElement("[data-testid=rates-add]").Click();
        }
        page.Find("[data-testid=rates-save]").Click();
    }

    [Fact]
    public void A_Chinese_user_saving_a_card_with_a_province_twice_is_told_why_in_Chinese()
    {
        var page = Render("zh-CN");
        var province = portal.Factory.GetService<RegionCatalog>().Provinces[0].Name;
        AddThreeRowsAndSave(page);

        page.WaitForAssertion(() => Assert.Contains($"{province}重复出现，每个省份只保留一行。", page.Markup));
        Assert.DoesNotContain("appears twice", page.Markup);
        Assert.DoesNotContain("Unknown province", page.Markup);
    }

    [Fact]
    public void An_English_user_gets_the_same_refusal_in_English()
    {
        var page = Render("en");
        var province = portal.Factory.GetService<RegionCatalog>().Provinces[0].Name;
        AddThreeRowsAndSave(page);

        page.WaitForAssertion(() => Assert.Contains($"{province} appears twice; keep one row per province.", page.Markup));
        Assert.DoesNotContain("重复出现", page.Markup);
    }

    [Fact]
    public async Task The_API_keeps_naming_each_field_of_each_row_in_English()
    {
        var account = (await portal.Factory.GetService<CarrierAccountService>().ListAsync())[0].Id;
        using var api = portal.Factory.CreateApiClient();
        using var response = await api.PutAsJsonAsync($"/api/v1/freight/rate-cards/{account}", new[]
        {
            new RateCardRowInput(null, 1m, 10m, 4m),
            new RateCardRowInput("", 1m, 9m, 4m),
            new RateCardRowInput("火星", 0m, 9m, -1m),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["rows[1].destinationProvince", "rows[2].additionalPerKg", "rows[2].destinationProvince", "rows[2].firstWeightKg"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Only one default row per card.", errors.GetProperty("rows[1].destinationProvince")[0].GetString());
        // One reason for the unknown province: it is not also counted as a second default row.
        Assert.Equal(["Unknown province '火星'."], errors.GetProperty("rows[2].destinationProvince").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_service_names_each_refusal_by_a_code_the_page_has_words_for_in_both_languages()
    {
        var account = (await portal.Factory.GetService<CarrierAccountService>().ListAsync())[0].Id;
        var refused = await Assert.ThrowsAsync<RateCardValidationException>(() => portal.Factory.GetService<RateCardService>().SaveAsync(account,
        [
            new RateCardRowInput(null, 1m, 10m, 4m), new RateCardRowInput(null, 1m, 10m, 4m), new RateCardRowInput("火星", 1m, 9m, 4m),
            new RateCardRowInput("广东", 1m, 9m, 4m), new RateCardRowInput("广东", 2000m, -1m, 20000m),
        ], "test"));

        Assert.Equal(["AdditionalPerKgOutOfRange", "DuplicateDefault", "DuplicateProvince", "FirstPriceOutOfRange", "FirstWeightOutOfRange", "UnknownProvince"],
            refused.Problems.Select(p => p.Code).Order(StringComparer.Ordinal));
        var resources = new System.Resources.ResourceManager("MerchantPortal.Web.Features.Kpis.Freight.FreightResources", typeof(RateCardService).Assembly);
        foreach (var culture in new[] { CultureInfo.InvariantCulture, new CultureInfo("zh-CN") })
        {
            var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!;
            Assert.All(refused.Problems, p => Assert.False(string.IsNullOrEmpty(set.GetString("Rates.Error." + p.Code)), $"{culture.Name} Rates.Error.{p.Code}"));
        }
    }
}
