using System.Globalization;
using Bunit;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Catalogue;
using MerchantPortal.Web.Features.Orders.Shops;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>/admin/shops and /catalogue (bunit, real SQLite database, real services).</summary>
public class ShopAndCataloguePagesTests : BunitTestBase
{
    private async Task UseRealDatabaseAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = TempDirectory.Create("bunit-shops"),
        }).Build();
        Context.Services.AddPortalData(configuration, Path.GetTempPath());
        Context.Services.AddSingleton<RegionCatalog>();
        Context.Services.AddTransient<WarehouseService>();
        Context.Services.AddTransient<ShopService>();
        Context.Services.AddTransient<CatalogueService>();
        await using (var provider = Context.Services.BuildServiceProvider())
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.Database.MigrateAsync();
        }
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
    }

    [Fact]
    public async Task An_admin_adds_a_shop_on_the_page_and_a_half_filled_sender_is_shown_next_to_its_fields()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.Admin);
        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<ShopsPage>());

        page.Find("button[data-testid=shop-new]").Click();
        page.Find("input[data-testid=shop-code]").Change("tmall-flagship");
        page.Find("input[data-testid=shop-name]").Change("天猫旗舰店");
        page.Find("input[data-testid=shop-sender-name]").Change("客服");
        page.Find("button[data-testid=shop-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("Enter a mobile or landline number", page.Find("[data-testid=shop-form]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await Context.Services.GetRequiredService<ShopService>().ListAsync());

        page.Find("input[data-testid=shop-sender-name]").Change("");
        page.Find("button[data-testid=shop-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("tmall-flagship", page.Find("[data-testid=shop-table]").TextContent));
        Assert.Contains("The warehouse's", page.Find("[data-testid=shop-table]").TextContent);
    }

    [Fact]
    public async Task Ops_add_a_SKU_on_the_catalogue_page_and_find_it_in_the_paged_list()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations);
        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<CataloguePage>());
        page.WaitForAssertion(() => Assert.Contains("No SKUs yet", page.Find("[data-testid=catalogue-grid]").TextContent));

        page.Find("button[data-testid=catalogue-new]").Click();
        page.Find("input[data-testid=catalogue-sku]").Change("SKU-TEA-01");
        page.Find("input[data-testid=catalogue-name]").Change("西湖龙井 250g 礼盒");
        page.Find("button[data-testid=catalogue-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("more than 0", page.Find("[data-testid=catalogue-form]").TextContent));

        page.Find("input[data-testid=catalogue-weight]").Change("0.3");
        page.Find("button[data-testid=catalogue-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("SKU-TEA-01", page.Find("[data-testid=catalogue-grid]").TextContent));
        Assert.Equal(0.3m, (await Context.Services.GetRequiredService<CatalogueService>().ListAsync("SKU-TEA", 0, 10)).Items.Single().WeightKg);
    }
}
