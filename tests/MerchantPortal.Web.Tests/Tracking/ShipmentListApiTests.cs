using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>GET /api/v1/shipments (the /shipments list) and GET /api/v1/waybill-batches (the /waybills list), read-only.</summary>
[Collection(SharedPortal.Name)]
public class ShipmentListApiTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public async Task The_shipment_list_pages_through_what_the_shipments_page_lists()
    {
        using var api = portal.Factory.CreateApiClient();
        var now = portal.Factory.GetService<TimeProvider>().GetUtcNow().UtcDateTime;
        var expected = await portal.Factory.GetService<ShipmentQueries>().ListAsync(new ShipmentFilter(), null, 5, now);
        Assert.True(expected.Count == 5, "the demo data has at least five shipments");

        var first = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>("/api/v1/shipments?limit=3", Json))!;
        var second = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?limit=2&beforeId={first.NextBeforeId}", Json))!;

        Assert.Equal(expected, [.. first.Items, .. second.Items]);
        var status = expected[0].Status;
        var filtered = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?status={status}&carrier={expected[0].ShipperCode}&limit=500", Json))!;
        Assert.NotEmpty(filtered.Items);
        Assert.All(filtered.Items, s => Assert.Equal((status, expected[0].ShipperCode), (s.Status, s.ShipperCode)));
    }

    [Fact]
    public async Task The_shipment_list_refuses_an_oversized_filter_naming_it()
    {
        using var api = portal.Factory.CreateApiClient();

        var response = await api.GetAsync($"/api/v1/shipments?carrier={new string('Z', 21)}&limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains("at most 20 characters; it had 21", errors.GetProperty("carrier")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("1 to 500", errors.GetProperty("limit")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_waybill_batch_list_is_what_the_waybills_page_lists_and_needs_orders_read()
    {
        using var api = portal.Factory.CreateApiClient();
        var expected = await portal.Factory.GetService<WaybillBatchService>().RecentAsync(20);

        var listed = await api.GetFromJsonAsync<List<BatchSummary>>("/api/v1/waybill-batches?limit=20", Json);

        Assert.Equal(expected, listed);
        var key = await portal.Factory.GetService<ApiKeyService>().CreateAsync("no orders:read", [ApiScopes.ShipmentsRead], "test");
        using var other = portal.Factory.CreateApiClient(key.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/waybill-batches")).StatusCode);
    }
}
