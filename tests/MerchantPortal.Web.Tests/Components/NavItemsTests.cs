using MerchantPortal.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Routing;

namespace MerchantPortal.Web.Tests.Components;

/// <summary>One menu entry highlighted at a time: an entry whose sub-path another entry owns matches its path exactly.</summary>
public class NavItemsTests
{
    [Theory]
    [InlineData("Dashboard", NavLinkMatch.All)]
    [InlineData("Kpis", NavLinkMatch.All)]
    [InlineData("HubAlerts", NavLinkMatch.Prefix)]
    [InlineData("Freight", NavLinkMatch.Prefix)]
    [InlineData("Orders", NavLinkMatch.Prefix)]
    [InlineData("Shipments", NavLinkMatch.Prefix)]
    public void An_entry_matches_its_sub_pages_unless_another_entry_owns_them(string key, NavLinkMatch expected) =>
        Assert.Equal(expected, NavItems.MatchFor(NavItems.Main.Single(i => i.Key == key)));

    [Fact]
    public void No_page_of_the_menu_highlights_two_entries()
    {
        var all = NavItems.Main.Concat(NavItems.Admin).Where(i => !i.ForceLoad).ToList();
        foreach (var page in all.Select(i => i.Href))
        {
            var active = all.Where(i => NavItems.MatchFor(i) == NavLinkMatch.All
                ? page == i.Href
                : page == i.Href || page.StartsWith(i.Href.TrimEnd('/') + "/", StringComparison.Ordinal)).Select(i => i.Key).ToList();
            Assert.True(active.Count == 1, $"{page} highlights {string.Join(", ", active)}");
        }
    }
}
