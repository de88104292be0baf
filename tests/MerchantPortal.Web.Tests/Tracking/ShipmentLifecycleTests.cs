using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>
/// Against the in-process carrier sandbox over real HTTP. Each test has its own portal: they move the sandbox's
/// clock and would otherwise change what other tests see.
/// </summary>
public class ShipmentLifecycleTests
{
    private static object NewOrder(string orderNo) => new
    {
        orderNo,
        channel = "Tmall",
        receiver = new { name = "韩梅梅", mobile = "13900139000", province = "上海", city = "上海市", district = "浦东新区", address = "世纪大道 1 号", postcode = "200120" },
        lines = new[] { new { sku = "SKU-T", name = "茶具", quantity = 1, unitPrice = 88.0m, weightKg = 1.2m } },
    };

    [Fact]
    public async Task A_registered_shipment_is_subscribed_and_a_sandbox_push_gives_it_scans_and_a_status()
    {
        await using var factory = new PortalFactory();
        using var api = factory.CreateApiClient();
        var orderNo = "TRK-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/orders", NewOrder(orderNo))).StatusCode);
        var number = NewZtoNumber();

        // No shipperCode: the carrier is recognised by 2002 from the number's format.
        var registered = await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo, trackingNo = number });
        var again = await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo, trackingNo = number });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (shipment, _) = await LoadAsync(factory, number);
        Assert.Equal("ZTO", shipment.ShipperCode);
        Assert.NotNull(shipment.SubscribedAtUtc);
        var order = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");
        Assert.Equal(number, order.GetProperty("order").GetProperty("trackingNo").GetString());
        using (var browser = await PortalSession.SignInAsync(factory, "cs@demo.local"))
        {
            var page = await browser.GetStringAsync($"/orders/{orderNo}");
            Assert.Contains("order-shipments", page, StringComparison.Ordinal);
            Assert.Contains($"/shipments/{number}", page, StringComparison.Ordinal);
        }

        using var sandbox = factory.CreateApiClient(apiKey: null);
        (await sandbox.PostAsJsonAsync("/sandbox/kdniao/admin/advance", new { hours = 48 })).EnsureSuccessStatusCode();
        var pushed = await (await sandbox.PostAsync("/sandbox/kdniao/admin/push-now?force=true", null)).Content.ReadFromJsonAsync<JsonElement>();

        var tracked = await WaitForAsync(() => LoadAsync(factory, number), s => s.Events.Count > 0 && s.Shipment.Status != ShipmentStatus.Pending);
        Assert.Equal(0, pushed.GetProperty("failed").GetInt32());
        Assert.NotNull(tracked.Shipment.LastCheckedAtUtc);
        Assert.NotNull(tracked.Shipment.LastSource);
    }

    [Fact]
    public async Task The_poll_job_updates_due_shipments_and_leaves_the_others_alone()
    {
        await using var factory = new PortalFactory();
        factory.Start();
        var due = NewZtoNumber();
        var notDue = NewZtoNumber();
        var delivered = NewZtoNumber();
        await CreateShipmentAsync(factory, due, nextCheckAtUtc: DateTime.UtcNow.AddMinutes(-5));
        await CreateShipmentAsync(factory, notDue, nextCheckAtUtc: DateTime.UtcNow.AddHours(3));
        await CreateShipmentAsync(factory, delivered, status: ShipmentStatus.Delivered);

        // Run twice on purpose: the second run finds nothing due for these and changes nothing.
        await factory.GetService<TrackingPollJob>().RunAsync(CancellationToken.None);
        var afterFirst = await LoadAsync(factory, due);
        await factory.GetService<TrackingPollJob>().RunAsync(CancellationToken.None);
        var afterSecond = await LoadAsync(factory, due);

        Assert.True(afterFirst.Shipment.LastSource == TrackingSource.Poll,
            $"polled: source {afterFirst.Shipment.LastSource}, checked {afterFirst.Shipment.LastCheckedAtUtc}, next {afterFirst.Shipment.NextCheckAtUtc}, {afterFirst.Events.Count} scan(s)");
        Assert.NotNull(afterFirst.Shipment.LastCheckedAtUtc);
        // A number the sandbox did not issue may have started its journey days ago and be delivered already.
        Assert.True(afterFirst.Shipment.NextCheckAtUtc is null ? afterFirst.Shipment.Status.IsFinal() : afterFirst.Shipment.NextCheckAtUtc > DateTime.UtcNow,
            $"the next check is in the future, or never for a final state: {afterFirst.Shipment.Status} next {afterFirst.Shipment.NextCheckAtUtc}");
        Assert.Equal(afterFirst.Events.Select(e => e.Id), afterSecond.Events.Select(e => e.Id));
        Assert.Null((await LoadAsync(factory, notDue)).Shipment.LastCheckedAtUtc);
        Assert.Null((await LoadAsync(factory, delivered)).Shipment.LastCheckedAtUtc);
    }
}

[Collection(SharedPortal.Name)]
public class ShipmentApiTests(SharedPortal portal)
{
    /// <summary>A key of its own: the access-matrix walk revokes key 1 (the demo key) in this shared portal.</summary>
    private async Task<HttpClient> ApiAsync()
    {
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("shipment tests", [ApiScopes.ShipmentsRead, ApiScopes.ShipmentsWrite], "test");
        return portal.Factory.CreateApiClient(key.Key);
    }

    [Fact]
    public async Task The_shipment_API_answers_the_documented_shape_with_scans_newest_first()
    {
        var number = NewZtoNumber();
        await CreateShipmentAsync(portal.Factory, number);
        await PushAsync(portal.Factory, PushJson(number, "2", "202",
            new Trace("2026-11-26 09:00:00", "【杭州市】快件已揽收", "1"),
            new Trace("2026-11-27 08:30:00", "【上海市】快件派送中", "202", "上海市")));
        using var api = await ApiAsync();

        var body = await api.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{number}");

        var names = body.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "trackingNo", "shipperCode", "orderNo", "status", "subStatus", "events", "lastCheckedAt", "nextCheckAt", "lastSource" }, names);
        Assert.Equal(("OutForDelivery", "202", "Push"), (body.GetProperty("status").GetString(), body.GetProperty("subStatus").GetString(), body.GetProperty("lastSource").GetString()));
        var events = body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal("2026-11-27T00:30:00Z", events[0].GetProperty("time").GetString());
        Assert.Equal(("上海市", "【上海市】快件派送中", "OutForDelivery"),
            (events[0].GetProperty("location").GetString(), events[0].GetProperty("description").GetString(), events[0].GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/shipments/NO-SUCH-NUMBER")).StatusCode);
    }

    [Fact]
    public async Task Registering_for_an_unknown_order_gets_400_naming_orderNo()
    {
        using var api = await ApiAsync();
        var response = await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo = "NO-SUCH-ORDER", shipperCode = "ZTO", trackingNo = NewZtoNumber() });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("errors").TryGetProperty("orderNo", out _));
    }
}
