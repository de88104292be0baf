using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Lookup;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Lookup;

/// <summary>Every form of text the lookup box takes, through the query the page calls and through GET /api/v1/lookup.</summary>
[Collection(SharedPortal.Name)]
public class LookupFormsTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Orders written straight to the database, each with its own number, name, phone and tracking number.</summary>
    private async Task<List<Order>> OrdersAsync(int count, Func<int, Order> make)
    {
        var orders = Enumerable.Range(0, count).Select(make).ToList();
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.AddRange(orders);
        await db.SaveChangesAsync();
        return orders;
    }

    private static Order Order(string orderNo, string name, string phone, string? trackingNo = null) => new()
    {
        OrderNo = orderNo, ReceiverName = name, ReceiverPhone = phone, PhoneLast4 = phone[^4..], Province = "浙江省", City = "杭州市",
        TrackingNo = trackingNo, CarrierCode = trackingNo is null ? null : "ZTO", TotalAmount = 10m, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
    };

    /// <summary>A name nobody else in the shared database has: a common name and two random CJK characters.</summary>
    private static string UniqueName() => "孙涛" + (char)(0x4E00 + Random.Shared.Next(0x5000)) + (char)(0x4E00 + Random.Shared.Next(0x5000));

    private static string UniquePhone() => "139" + Random.Shared.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(List<string> Query, List<string> Api, bool ApiCapped)> LookupAsync(string text)
    {
        var query = (await portal.Factory.GetService<OrderQueries>().LookupAsync(text, fullPii: true)).Select(r => r.OrderNo).ToList();
        using var api = portal.Factory.CreateApiClient();
        using var response = await api.GetAsync("/api/v1/lookup?q=" + Uri.EscapeDataString(text));
        response.EnsureSuccessStatusCode();
        var rows = (await response.Content.ReadFromJsonAsync<List<OrderRow>>(Json))!;
        return (query, rows.Select(r => r.OrderNo).ToList(), response.Headers.TryGetValues(LookupEndpoints.CappedHeader, out var capped) && capped.Single() == "true");
    }

    [Theory]
    [InlineData("{name}{last4}")]
    [InlineData("{name} {last4}")]
    [InlineData("{last4} {name}")]
    [InlineData("{name} {phone}")]
    public async Task A_name_followed_by_the_phones_last_digits_finds_that_persons_order_with_or_without_a_space(string form)
    {
        var name = UniqueName();
        var phone = UniquePhone();
        var mine = (await OrdersAsync(1, _ => Order("LKN-" + Guid.NewGuid().ToString("N")[..10], name, phone)))[0];
        // Someone of the same name with another phone is not found.
        await OrdersAsync(1, _ => Order("LKN-" + Guid.NewGuid().ToString("N")[..10], name, UniquePhone()));

        var (query, api, _) = await LookupAsync(form.Replace("{name}", name).Replace("{last4}", phone[^4..]).Replace("{phone}", phone));

        Assert.Equal([mine.OrderNo], query);
        Assert.Equal(query, api);
    }

    [Fact]
    public async Task A_phones_last_four_digits_and_a_full_phone_find_the_order_newest_first()
    {
        var phone = UniquePhone();
        var mine = (await OrdersAsync(1, _ => Order("LKP-" + Guid.NewGuid().ToString("N")[..10], UniqueName(), phone)))[0];

        var (byLast4, byLast4Api, _) = await LookupAsync(phone[^4..]);
        var (byPhone, byPhoneApi, _) = await LookupAsync(phone);
        var (byFullWidth, _, _) = await LookupAsync(string.Concat(phone.Select(c => (char)(c - '0' + '０'))));

        Assert.Equal(mine.OrderNo, byLast4[0]);
        Assert.Equal(byLast4, byLast4Api);
        Assert.Equal([mine.OrderNo], byPhone);
        Assert.Equal(byPhone, byPhoneApi);
        Assert.Equal([mine.OrderNo], byFullWidth);
    }

    [Fact]
    public async Task The_start_of_an_order_number_or_of_a_tracking_number_finds_the_orders_it_begins()
    {
        var stem = "LKS" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var orders = await OrdersAsync(3, i => Order($"{stem}-{i}", UniqueName(), UniquePhone(), $"T{stem}{i}"));
        await OrdersAsync(1, _ => Order("X" + stem, UniqueName(), UniquePhone()));

        var (byOrderNo, byOrderNoApi, orderNoCapped) = await LookupAsync(stem);
        var (byTracking, byTrackingApi, _) = await LookupAsync("T" + stem);
        var (whole, _, _) = await LookupAsync($"{stem}-1");

        Assert.Equal(orders.Select(o => o.OrderNo), byOrderNo);
        Assert.Equal(byOrderNo, byOrderNoApi);
        Assert.False(orderNoCapped);
        Assert.Equal(orders.Select(o => o.OrderNo), byTracking);
        Assert.Equal(byTracking, byTrackingApi);
        Assert.Equal([$"{stem}-1"], whole);
    }

    [Fact]
    public async Task A_prefix_that_many_orders_start_with_shows_the_first_ten_in_number_order_and_says_there_are_more()
    {
        var stem = "LKM" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var orders = await OrdersAsync(25, i => Order($"{stem}-{i:D2}", UniqueName(), UniquePhone()));

        var result = await portal.Factory.GetService<OrderQueries>().LookupWithCapAsync(stem, fullPii: false);
        var (_, api, apiCapped) = await LookupAsync(stem);

        Assert.True(result.Capped);
        Assert.Equal(orders.Take(10).Select(o => o.OrderNo), result.Items.Select(r => r.OrderNo));
        Assert.Equal(result.Items.Select(r => r.OrderNo), api);
        Assert.True(apiCapped);
        Assert.False((await portal.Factory.GetService<OrderQueries>().LookupWithCapAsync($"{stem}-1", fullPii: false)).Capped);
    }

    [Theory]
    [InlineData("DM2612010000001", null)]
    [InlineData("John 2879", "John")]
    [InlineData("孙涛2879", "孙涛")]
    [InlineData("2879孙涛", "孙涛")]
    [InlineData("孙涛 13912342879", "孙涛")]
    [InlineData("孙涛 287", null)]
    [InlineData("查找a1b2c3 4321", "查找a1b2c3")]
    [InlineData("Mary Ann 4321", "Mary Ann")]
    public void Only_a_name_with_four_or_more_digits_is_read_as_name_and_digits_and_an_order_number_never_is(string text, string? name) =>
        Assert.Equal(name, OrderQueries.NameAndDigits(text)?.Name);
}
