using System.Globalization;
using Bunit;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The list page as Ops and CustomerService (bunit, real SQLite database, real services).</summary>
public class OrdersPageTests : BunitTestBase
{
    private async Task UseRealDatabaseAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = TempDirectory.Create("bunit-orders"),
        }).Build();
        Context.Services.AddPortalData(configuration, Path.GetTempPath());
        Context.Services.AddSingleton<RegionCatalog>();
        Context.Services.AddSingleton<OrderQueries>();
        Context.Services.AddSingleton<OrderService>();
        Context.Services.AddSingleton<SavedViewService>();
        Context.Services.AddTransient<ShopService>();
        Context.Services.AddSingleton<PortalSettings>();
        await using (var provider = Context.Services.BuildServiceProvider())
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.Database.MigrateAsync();
            var service = provider.GetRequiredService<OrderService>();
            foreach (var n in new[] { "P-1", "P-2", "P-3" })
            {
                await service.CreateAsync(new NewOrder(n, OrderChannel.Api, "韩梅梅", "13912345678", "广东省", "深圳市", "南山区", "科技园 8 栋", null,
                    [new NewOrderLine("S", "茶", 1, 1m, 0.1m)], null), "test");
            }
        }
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
    }

    [Fact]
    public async Task Ops_selects_an_order_approves_it_and_sees_the_new_status()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));
        Assert.Contains("13912345678", page.Find("[data-testid=orders-phone]").TextContent);
        page.Find("input[data-testid=row-select-P-2]").Change(true);
        page.Find("button[data-testid=orders-approve]").Click();

        page.WaitForAssertion(() => Assert.Contains("1 changed, 0 refused", page.Find("[data-testid=orders-message]").TextContent));
        var detail = await Context.Services.GetRequiredService<OrderQueries>().GetAsync("P-2", true);
        Assert.Equal(OrderStatus.Approved, detail!.Order.Status);
    }

    [Fact]
    public async Task Customer_service_sees_masked_phones_and_no_bulk_actions()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("cs@demo.local").SetRoles(Roles.CustomerService).SetPolicies(Policies.SignedIn);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));
        Assert.All(page.FindAll("[data-testid=orders-phone]"), td => Assert.Equal("139****5678", td.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=orders-approve]"));
        Assert.Empty(page.FindAll("[data-testid^=row-select-]"));
    }

    [Fact]
    public async Task A_user_saves_the_current_filter_as_a_named_view_of_their_own()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);
        Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/orders?status=PendingReview&province=广东省");

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));
        page.Find("input[data-testid=orders-view-name]").Change("Guangdong to review");
        page.Find("button[data-testid=orders-view-save]").Click();

        var views = Context.Services.GetRequiredService<SavedViewService>();
        page.WaitForAssertion(() => Assert.Single(views.ListAsync("ops@demo.local").GetAwaiter().GetResult()));
        var view = (await views.ListAsync("ops@demo.local")).Single();
        Assert.Equal("Guangdong to review", view.Name);
        Assert.Contains("status=PendingReview", view.Query);
        Assert.Empty(await views.ListAsync("cs@demo.local"));
    }

    [Fact]
    public async Task Filters_chosen_in_the_toolbar_go_into_the_address_and_typing_a_search_sends_it_after_a_pause()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);
        var navigation = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));

        // The status filter is a native select: its choices are the statuses in the page's language, "Any" first.
        var status = page.Find("select[data-testid=orders-filter-status]");
        Assert.Equal("Any", status.QuerySelector("option")!.TextContent);
        Assert.Contains(status.QuerySelectorAll("option"), o => o.GetAttribute("value") == "OnHold" && o.TextContent == "On hold");
        status.Change("OnHold");
        Assert.Contains("status=OnHold", navigation.Uri);

        page.Find("select[data-testid=orders-filter-province]").Change("广东省");
        Assert.Contains("province=" + Uri.EscapeDataString("广东省"), navigation.Uri);

        // Typing sends the search once the person pauses (no Enter needed).
        page.Find("input[data-testid=orders-search]").Input("P-2");
        page.WaitForAssertion(() => Assert.Contains("q=P-2", navigation.Uri), TimeSpan.FromSeconds(5));
        Assert.Equal("200", page.Find("input[data-testid=orders-search]").GetAttribute("maxlength"));
    }

    [Fact]
    public async Task The_column_chooser_hides_and_shows_a_column_of_the_grid()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-phone]").Count));

        page.Find("input[data-testid=orders-column-Phone]").Change(false);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=orders-phone]")));
        Assert.DoesNotContain(page.FindAll("th"), th => th.TextContent == "Phone");

        page.Find("input[data-testid=orders-column-Phone]").Change(true);
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-phone]").Count));
    }

    [Fact]
    public async Task Ticking_orders_shows_how_many_are_selected_and_select_all_matching_makes_the_bulk_action_take_every_matching_order()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=orders-selected]"));

        page.Find("input[data-testid=row-select-P-1]").Change(true);
        page.Find("input[data-testid=row-select-P-3]").Change(true);
        Assert.Equal("2 selected", page.Find("[data-testid=orders-selected]").TextContent.Trim());

        page.Find("button[data-testid=orders-select-all-matching]").Click();
        page.WaitForAssertion(() => Assert.Equal("All 3 matching orders selected", page.Find("[data-testid=orders-selected]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=orders-select-all-matching]"));
        page.Find("button[data-testid=orders-approve]").Click();

        page.WaitForAssertion(() => Assert.Contains("3 changed, 0 refused", page.Find("[data-testid=orders-message]").TextContent));
        var queries = Context.Services.GetRequiredService<OrderQueries>();
        foreach (var orderNo in new[] { "P-1", "P-2", "P-3" })
        {
            Assert.Equal(OrderStatus.Approved, (await queries.GetAsync(orderNo, true))!.Order.Status);
        }
    }

    [Fact]
    public async Task A_column_header_sorts_the_list_by_its_column_ascending_then_descending()
    {
        await UseRealDatabaseAsync();
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops).SetPolicies(Policies.SignedIn, Policies.Operations, Policies.FullPii);
        var navigation = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=orders-row]").Count));
        page.Find("button[data-testid=orders-sort-amount]").Click();
        Assert.Contains("sort=AmountAsc", navigation.Uri);

        navigation.NavigateTo("/orders?sort=AmountAsc");
        var sorted = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<OrdersPage>());
        sorted.WaitForAssertion(() => Assert.Equal("ascending", sorted.Find("button[data-testid=orders-sort-amount]").ParentElement!.GetAttribute("aria-sort")));
        sorted.Find("button[data-testid=orders-sort-amount]").Click();
        Assert.Contains("sort=AmountDesc", navigation.Uri);
        Assert.Contains(sorted.FindAll("select[data-testid=orders-sort-select] option"), o => o.GetAttribute("value") == "CarrierDesc" && o.TextContent == "Carrier, descending");
    }
}
