using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>
/// Every sort of the orders list, paged by keyset with a small page through a few hundred orders with many equal sort
/// values, visits every order once and in order, through the query the page calls and through GET /api/v1/orders.
/// </summary>
[Collection(SharedPortal.Name)]
public class OrderListSortTests(SharedPortal portal)
{
    private const int PageSize = 11;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private static readonly string[] Provinces = ["浙江省", "广东省", "北京市"];
    private static readonly string?[] Carriers = ["SF", "ZTO", "YD", null];
    private static readonly OrderStatus[] Statuses = [OrderStatus.PendingReview, OrderStatus.Approved, OrderStatus.Shipped, OrderStatus.Delivered];

    /// <summary>300 orders under one order-number stem (the list's free text then shows only them), few distinct values per column.</summary>
    private async Task<(string Stem, List<Order> Orders)> SeedAsync()
    {
        var stem = "SRT" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var orders = Enumerable.Range(0, 300).Select(i => new Order
        {
            OrderNo = $"{stem}-{i:D3}", ReceiverName = "排序", ReceiverPhone = "13900000000", PhoneLast4 = "0000", City = "某市",
            Province = Provinces[i % 3],
            CarrierCode = Carriers[i * 7 % 4],
            Status = Statuses[i * 5 % 4],
            TotalAmount = new[] { 9.9m, 10m, 100m, 20.5m, 1999.99m }[i * 3 % 5],
            PaidAtUtc = i % 6 == 0 ? null : start.AddHours(i % 4),
            // Some creation times equal too, so Newest/Oldest need the Id tie-break as well.
            CreatedAtUtc = start.AddMinutes(i / 3),
            UpdatedAtUtc = start,
        }).ToList();
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        // Shuffled, so Ids do not follow any sort key.
        db.AddRange(orders.OrderBy(_ => Random.Shared.Next()));
        await db.SaveChangesAsync();
        return (stem, orders);
    }

    /// <summary>The order a sort promises: its key (orders without one last, either way), then Id in the same direction.</summary>
    private static List<long> Expected(IEnumerable<Order> orders, OrderSort sort)
    {
        (Func<Order, object?> key, bool descending) = sort switch
        {
            OrderSort.Newest => (o => o.CreatedAtUtc, true),
            OrderSort.Oldest => (o => o.CreatedAtUtc, false),
            OrderSort.PaidAsc => (o => o.PaidAtUtc, false),
            OrderSort.PaidDesc => (o => o.PaidAtUtc, true),
            OrderSort.AmountAsc => (o => o.TotalAmount, false),
            OrderSort.AmountDesc => (o => o.TotalAmount, true),
            OrderSort.ProvinceAsc => (o => o.Province, false),
            OrderSort.ProvinceDesc => (o => o.Province, true),
            OrderSort.StatusAsc => (o => (int)o.Status, false),
            OrderSort.StatusDesc => (o => (int)o.Status, true),
            OrderSort.CarrierAsc => (o => o.CarrierCode, false),
            OrderSort.CarrierDesc => ((Func<Order, object?>)(o => o.CarrierCode), true),
            _ => throw new ArgumentOutOfRangeException(nameof(sort)),
        };
        var comparer = Comparer<object?>.Create((a, b) => a is string x && b is string y ? string.CompareOrdinal(x, y) : Comparer<object?>.Default.Compare(a, b));
        var valued = orders.Where(o => key(o) is not null);
        var empty = orders.Where(o => key(o) is null);
        var ids = descending
            ? valued.OrderByDescending(key, comparer).ThenByDescending(o => o.Id).Concat(empty.OrderByDescending(o => o.Id))
            : valued.OrderBy(key, comparer).ThenBy(o => o.Id).Concat(empty.OrderBy(o => o.Id));
        return [.. ids.Select(o => o.Id)];
    }

    public static TheoryData<OrderSort> Sorts() => [.. Enum.GetValues<OrderSort>()];

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Paging_a_sort_with_a_small_page_visits_every_order_once_and_in_order_through_the_query_and_the_api(OrderSort sort)
    {
        var (stem, orders) = await SeedAsync();
        var expected = Expected(orders, sort);
        var queries = portal.Factory.GetService<OrderQueries>();

        var viaQuery = new List<long>();
        string? cursor = null;
        do
        {
            var page = await queries.ListAsync(new OrderFilter(Q: stem, Sort: sort), cursor, PageSize, fullPii: false);
            Assert.InRange(page.Items.Count, 1, PageSize);
            viaQuery.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        using var api = portal.Factory.CreateApiClient();
        var viaApi = new List<long>();
        cursor = null;
        do
        {
            var page = (await api.GetFromJsonAsync<OrderEndpoints.OrderListResponse>(
                $"/api/v1/orders?q={stem}&sort={sort}&limit={PageSize}" + (cursor is null ? "" : "&cursor=" + cursor), Json))!;
            viaApi.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(300, viaQuery.Distinct().Count());
        Assert.Equal(expected, viaQuery);
        Assert.Equal(expected, viaApi);
    }

    [Fact]
    public async Task Streaming_all_matching_orders_in_a_column_sort_yields_each_once()
    {
        var (stem, orders) = await SeedAsync();
        var streamed = new List<long>();
        await foreach (var chunk in portal.Factory.GetService<OrderQueries>().StreamAsync(new OrderFilter(Q: stem, Sort: OrderSort.CarrierDesc), fullPii: false))
        {
            streamed.AddRange(chunk.Select(r => r.Id));
        }

        Assert.Equal(Expected(orders, OrderSort.CarrierDesc), streamed);
        Assert.Equal(300, await portal.Factory.GetService<OrderQueries>().CountAllAsync(new OrderFilter(Q: stem)));
    }

    [Fact]
    public async Task A_cursor_of_another_sort_starts_the_list_again_instead_of_skipping_orders()
    {
        var (stem, orders) = await SeedAsync();
        var queries = portal.Factory.GetService<OrderQueries>();
        var amountCursor = (await queries.ListAsync(new OrderFilter(Q: stem, Sort: OrderSort.AmountDesc), null, PageSize, fullPii: false)).NextCursor;

        var page = await queries.ListAsync(new OrderFilter(Q: stem, Sort: OrderSort.ProvinceAsc), amountCursor, PageSize, fullPii: false);

        Assert.Equal(Expected(orders, OrderSort.ProvinceAsc).Take(PageSize), page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task The_lists_free_text_finds_orders_by_the_start_of_their_number()
    {
        var (stem, _) = await SeedAsync();
        var queries = portal.Factory.GetService<OrderQueries>();

        var started = await queries.ListAsync(new OrderFilter(Q: stem + "-01"), null, 50, fullPii: false);
        var tooShort = await queries.ListAsync(new OrderFilter(Q: stem[..3]), null, 50, fullPii: false);

        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"{stem}-{i:D3}"), started.Items.Select(r => r.OrderNo).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(tooShort.Items, r => r.OrderNo.StartsWith(stem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_order_whose_number_is_exactly_the_text_comes_first_then_the_numbers_it_starts_and_none_twice()
    {
        var (stem, _) = await SeedAsync();
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            // The oldest of all: by Newest it would come last.
            db.Add(new Order
            {
                OrderNo = $"{stem}-01", ReceiverName = "排序", ReceiverPhone = "13900000000", PhoneLast4 = "0000", City = "某市", Province = "广东省",
                CreatedAtUtc = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), UpdatedAtUtc = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });
            await db.SaveChangesAsync();
        }
        var queries = portal.Factory.GetService<OrderQueries>();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await queries.ListAsync(new OrderFilter(Q: $"{stem}-01"), cursor, 4, fullPii: false);
            if (cursor is null)
            {
                Assert.Equal($"{stem}-01", page.Items[0].OrderNo);
                Assert.Equal(4, page.Items.Count);
                Assert.Equal(11, page.Count);
            }
            seen.AddRange(page.Items.Select(r => r.OrderNo));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(11, seen.Count);
        Assert.Equal(11, seen.Distinct().Count());

        using var api = portal.Factory.CreateApiClient();
        var viaApi = (await api.GetFromJsonAsync<OrderEndpoints.OrderListResponse>($"/api/v1/orders?q={stem}-01&limit=3", Json))!;
        Assert.Equal($"{stem}-01", viaApi.Items[0].OrderNo);
        // Three characters are not a prefix search: only exact matches.
        Assert.DoesNotContain((await queries.ListAsync(new OrderFilter(Q: stem[..3]), null, 50, fullPii: false)).Items, r => r.OrderNo.StartsWith(stem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_sort_is_refused_with_a_400_that_lists_the_allowed_sorts()
    {
        using var api = portal.Factory.CreateApiClient();

        using var response = await api.GetAsync("/api/v1/orders?sort=Cheapest");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("sort")[0].GetString()!;
        Assert.Contains("'Cheapest'", message, StringComparison.Ordinal);
        Assert.All(Enum.GetNames<OrderSort>(), name => Assert.Contains(name, message, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/orders?sort=3")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/orders?sort=amountdesc&limit=1")).StatusCode);
    }
}
