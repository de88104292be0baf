using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>
/// The order follows its parcels through the same calls a shop system makes: create and approve the order, register
/// its parcel, and receive the aggregator's signed pushes (carrier-protocol.md §2.5).
/// </summary>
public sealed class OrderFollowsParcelsTests : IAsyncLifetime
{
    // The default future-scan rule (10 minutes) holds here: every scan these tests push is dated by the real clock.
    // Only the tests' pushes move these parcels: no poll sweep (no job server) and no sandbox pushes of its own
    // simulated journeys (a number the sandbox never issued may already be "delivered" at its first look).
    private readonly PortalFactory factory = new(overrides: new Dictionary<string, string?>
    {
        ["Tracking:FutureScanTolerance"] = "00:10:00",
        ["Jobs:RunServer"] = "false",
        ["CarrierSandbox:PushIntervalSeconds"] = "86400",
    });

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static string Beijing(DateTime utc) => utc.AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> ApprovedOrderAsync(HttpClient api)
    {
        var orderNo = "LC-" + Guid.NewGuid().ToString("N")[..10];
        var created = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo,
            channel = "Tmall",
            receiver = new { name = "韩梅梅", mobile = "13900139000", province = "上海", city = "上海市", district = "浦东新区", address = "世纪大道 1 号", postcode = "200120" },
            lines = new[] { new { sku = "SKU-T", name = "茶具", quantity = 1, unitPrice = 88.0m, weightKg = 1.2m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        (await api.PostAsync($"/api/v1/orders/{orderNo}/approve", null)).EnsureSuccessStatusCode();
        return orderNo;
    }

    private static async Task<string> RegisterAsync(HttpClient api, string orderNo)
    {
        var number = NewZtoNumber();
        var registered = await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo, shipperCode = "ZTO", trackingNo = number });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return number;
    }

    private static async Task<JsonElement> OrderAsync(HttpClient api, string orderNo) => await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");

    private static string Status(JsonElement detail) => detail.GetProperty("order").GetProperty("status").GetString()!;

    private static List<JsonElement> History(JsonElement detail) => [.. detail.GetProperty("history").EnumerateArray()];

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient api, string orderNo, string status, int seconds = 5) =>
        await WaitForAsync(() => OrderAsync(api, orderNo), d => Status(d) == status, TimeSpan.FromSeconds(seconds), d => Status(d));

    private static Trace[] SignedFor(DateTime now) =>
    [
        new(Beijing(now.AddHours(-30)), "【杭州市】快件已揽收", "1", "杭州市"),
        new(Beijing(now.AddHours(-20)), "【上海市】快件已到达上海分拨中心", "2", "上海市"),
        new(Beijing(now.AddHours(-2)), "【上海市】快件已签收，签收人：本人", "3", "上海市"),
    ];

    [Fact]
    public async Task A_registered_parcel_and_a_signed_for_push_deliver_the_order_and_a_replay_adds_nothing()
    {
        using var api = factory.CreateApiClient();
        var orderNo = await ApprovedOrderAsync(api);
        var number = await RegisterAsync(api, orderNo);
        var push = PushJson(number, "3", "301", SignedFor(DateTime.UtcNow));

        var answer = await PushAsync(factory, push);
        var delivered = await WaitForStatusAsync(api, orderNo, "Delivered");

        Assert.True(answer.GetProperty("Success").GetBoolean());
        var moves = History(delivered).Where(h => h.GetProperty("toStatus").ValueKind == JsonValueKind.String && h.GetProperty("action").GetString() == "ParcelScanned").ToList();
        var move = Assert.Single(moves);
        Assert.Equal("Approved", move.GetProperty("fromStatus").GetString());
        Assert.Equal("carrier:ZTO", move.GetProperty("actor").GetString());
        Assert.Contains(number, move.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Contains("已签收", move.GetProperty("details").GetString(), StringComparison.Ordinal);

        var story = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}/story");
        var kinds = story.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal("Order.ParcelScanned", kinds[0]);
        Assert.Equal(3, kinds.Count(k => k == "Scan"));
        Assert.Contains("Parcel.Registered", kinds);

        var rows = History(delivered).Count;
        Assert.True((await PushAsync(factory, push)).GetProperty("Success").GetBoolean());
        Assert.True((await PushAsync(factory, PushJson(number, "2", "201", SignedFor(DateTime.UtcNow)[..2]))).GetProperty("Success").GetBoolean());
        var after = await OrderAsync(api, orderNo);
        Assert.Equal("Delivered", Status(after));
        Assert.Equal(rows, History(after).Count);
    }

    [Fact]
    public async Task The_first_scan_ships_the_order_a_failed_delivery_puts_it_in_exception_and_moving_again_ships_it_again()
    {
        using var api = factory.CreateApiClient();
        var orderNo = await ApprovedOrderAsync(api);
        var number = await RegisterAsync(api, orderNo);
        var now = DateTime.UtcNow;
        Trace pickup = new(Beijing(now.AddHours(-30)), "【杭州市】快件已揽收", "1", "杭州市");
        Trace failed = new(Beijing(now.AddHours(-10)), "【上海市】派送不成功，收件人电话无人接听", "407", "上海市");
        Trace again = new(Beijing(now.AddHours(-1)), "【上海市】快件派送中，派件员：王师傅", "202", "上海市");

        await PushAsync(factory, PushJson(number, "2", "201", pickup));
        await WaitForStatusAsync(api, orderNo, "Shipped");
        await PushAsync(factory, PushJson(number, "4", "407", pickup, failed));
        await WaitForStatusAsync(api, orderNo, "Exception");
        await PushAsync(factory, PushJson(number, "2", "202", pickup, failed, again));
        var shipped = await WaitForStatusAsync(api, orderNo, "Shipped");

        var path = History(shipped).Where(h => h.GetProperty("toStatus").ValueKind == JsonValueKind.String)
            .Select(h => h.GetProperty("toStatus").GetString()).Reverse().ToList();
        Assert.Equal(["PendingReview", "Approved", "Shipped", "Exception", "Shipped"], path);
    }

    [Fact]
    public async Task An_order_with_two_parcels_is_delivered_only_when_both_are_signed_for()
    {
        using var api = factory.CreateApiClient();
        var orderNo = await ApprovedOrderAsync(api);
        var first = await RegisterAsync(api, orderNo);
        var second = await RegisterAsync(api, orderNo);
        var now = DateTime.UtcNow;

        await PushAsync(factory, PushJson(first, "3", "301", SignedFor(now)));
        await WaitForStatusAsync(api, orderNo, "Shipped");
        var partial = await OrderAsync(api, orderNo);
        Assert.Equal("Shipped", Status(partial));
        Assert.Equal(1, partial.GetProperty("parcels").GetProperty("delivered").GetInt32());
        Assert.Equal(2, partial.GetProperty("parcels").GetProperty("total").GetInt32());

        await PushAsync(factory, PushJson(second, "3", "301", SignedFor(now)));
        var delivered = await WaitForStatusAsync(api, orderNo, "Delivered");
        Assert.Equal(2, delivered.GetProperty("parcels").GetProperty("delivered").GetInt32());
    }

    [Fact]
    public async Task A_scan_dated_in_the_future_is_stored_flagged_and_moves_nothing()
    {
        using var api = factory.CreateApiClient();
        var orderNo = await ApprovedOrderAsync(api);
        var number = await RegisterAsync(api, orderNo);
        var now = DateTime.UtcNow;
        Trace pickup = new(Beijing(now.AddHours(-3)), "【杭州市】快件已揽收", "1", "杭州市");
        Trace future = new(Beijing(now.AddHours(5)), "【北京市】快件已签收，签收人：门卫", "3", "北京市");

        await PushAsync(factory, PushJson(number, "3", "301", pickup, future));
        var shipped = await WaitForStatusAsync(api, orderNo, "Shipped");

        Assert.DoesNotContain(History(shipped), h => h.GetProperty("toStatus").GetString() == "Delivered");
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var events = await db.Set<TrackingEvent>().AsNoTracking()
            .Where(e => db.Set<MerchantPortal.Web.Features.Tracking.Shipment>().Any(s => s.Id == e.ShipmentId && s.TrackingNo == number)).ToListAsync();
        Assert.Equal(2, events.Count);
        Assert.True(events.Single(e => e.Description.Contains("门卫", StringComparison.Ordinal)).DatedInFuture);
        Assert.False(events.Single(e => e.Description.Contains("揽收", StringComparison.Ordinal)).DatedInFuture);
        var shipment = await db.Set<MerchantPortal.Web.Features.Tracking.Shipment>().AsNoTracking().SingleAsync(s => s.TrackingNo == number);
        Assert.Equal(MerchantPortal.Carriers.ShipmentStatus.PickedUp, shipment.Status);
    }

    [Fact]
    public async Task The_order_page_tells_one_story_and_offers_a_return_only_once_the_order_has_shipped()
    {
        using var api = factory.CreateApiClient();
        var orderNo = await ApprovedOrderAsync(api);
        using var ops = await PortalSession.SignInAsync(factory, "ops@demo.local");

        var approved = await ops.GetStringAsync($"/orders/{orderNo}");
        var number = await RegisterAsync(api, orderNo);
        await PushAsync(factory, PushJson(number, "3", "301", SignedFor(DateTime.UtcNow)));
        await WaitForStatusAsync(api, orderNo, "Delivered");
        var delivered = await ops.GetStringAsync($"/orders/{orderNo}");

        Assert.DoesNotContain("order-create-return", approved, StringComparison.Ordinal);
        Assert.DoesNotContain("order-approve", approved, StringComparison.Ordinal);
        Assert.Contains("order-cancel", approved, StringComparison.Ordinal);
        Assert.Contains("order-create-return", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("order-cancel", delivered, StringComparison.Ordinal);
        foreach (var kind in new[] { "story-Order.Created", "story-Order.Approve", "story-Parcel.Registered", "story-Scan", "story-Order.ParcelScanned" })
        {
            Assert.Contains(kind, delivered, StringComparison.Ordinal);
        }
        // Newest first: the signing scan and the order's move to Delivered come before the approval.
        Assert.True(delivered.IndexOf("story-Order.ParcelScanned", StringComparison.Ordinal) < delivered.IndexOf("story-Order.Approve", StringComparison.Ordinal));
        Assert.Contains("快件已签收", System.Net.WebUtility.HtmlDecode(delivered), StringComparison.Ordinal);
    }
}
