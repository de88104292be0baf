using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Dashboard;

/// <summary>
/// Every tile counts live data and opens the list that shows exactly that count, for every role: the tile and the
/// list's own count are read from the pages the person sees (a portal of its own, so nothing moves in between).
/// </summary>
public sealed partial class DashboardTilesTests : IAsyncLifetime
{
    private readonly PortalFactory factory = new(overrides: new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("ops@demo.local")]
    [InlineData("cs@demo.local")]
    [InlineData("admin@demo.local")]
    public async Task Each_tile_opens_a_list_whose_count_equals_the_tile(string email)
    {
        using var browser = await PortalSession.SignInAsync(factory, email);
        var dashboard = await browser.GetStringAsync("/");
        var tiles = Tile().Matches(dashboard).Select(m => (Key: m.Groups["key"].Value, Href: WebUtility.HtmlDecode(m.Groups["href"].Value), Count: Number(m.Groups["count"].Value))).ToList();

        Assert.True(tiles.Select(t => t.Key).SequenceEqual(["OrdersToReview", "AwaitingWaybills", "AwaitingPickup", "InTransit", "OpenExceptions", "ReturnsToReview"]), "Tiles: " + string.Join(", ", tiles.Select(t => t.Key)) + "\n" + dashboard[Math.Max(0, dashboard.IndexOf("dashboard-tiles", StringComparison.Ordinal) - 200)..][..Math.Min(1500, dashboard.Length)]);
        foreach (var (key, href, count) in tiles)
        {
            var response = await browser.GetAsync(href);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{email}: tile {key} opens {href}, which answers {(int)response.StatusCode}");
            var list = await response.Content.ReadAsStringAsync();
            var shown = ListCount(list) ?? (list.Contains("returns-empty", StringComparison.Ordinal) ? 0 : throw new Xunit.Sdk.XunitException($"{href} shows no count"));
            Assert.True(shown == count, $"{email}: tile {key} says {count}, its list {href} shows {shown}");
        }
        Assert.Contains(tiles, t => t.Key == "OrdersToReview" && t.Count > 0);
    }

    private static long? ListCount(string html)
    {
        foreach (var pattern in new[] { OrdersCount(), ExceptionsCount(), ReturnsCount() })
        {
            if (pattern.Match(html) is { Success: true } m)
            {
                return Number(m.Groups["n"].Value);
            }
        }
        return null;
    }

    private static long Number(string text) => long.Parse(new string(text.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);

    [GeneratedRegex("""href="(?<href>[^"]+)" class="dashboard-tile-link" data-testid="tile-(?<key>\w+)".*?data-testid="tile-count"[^>]*>(?<count>[^<]+)<""", RegexOptions.Singleline)]
    private static partial Regex Tile();

    [GeneratedRegex("""data-testid="orders-count"[^>]*>\D*(?<n>[\d,]+)""")]
    private static partial Regex OrdersCount();

    [GeneratedRegex("""data-testid="chip-all"[^>]*>.*?\((?<n>[\d,]+)\)""", RegexOptions.Singleline)]
    private static partial Regex ExceptionsCount();

    [GeneratedRegex("""data-testid="returns-count"[^>]*>\D*(?<n>[\d,]+)""")]
    private static partial Regex ReturnsCount();
}
