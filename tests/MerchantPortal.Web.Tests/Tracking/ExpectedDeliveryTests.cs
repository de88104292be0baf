using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>
/// Where the portal's own delivery-date prediction shows: the shipment and order answers, the shipments list (sorted by
/// it, filtered to "will be late") and the public /track page. The predictor is another part's work: these tests write
/// the shipment's predicted fields themselves, as the predictor does at a scan.
/// </summary>
[Collection(SharedPortal.Name)]
public partial class ExpectedDeliveryTests(SharedPortal portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    // Saturday 5 Dec 2026, 10:00 in Beijing.
    private static readonly DateTime Saturday = new(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_shipment_answer_carries_the_prediction_beside_the_carriers_estimate_and_null_without_one()
    {
        var predicted = await CreateShipmentAsync(portal.Factory, NewZtoNumber(), status: ShipmentStatus.InTransit);
        var unpredicted = await CreateShipmentAsync(portal.Factory, NewZtoNumber(), status: ShipmentStatus.InTransit);
        await PredictAsync(portal.Factory, predicted.Id, Saturday, promisedBy: Saturday.AddHours(2), carrierEstimate: Saturday.AddDays(-1));
        using var api = portal.Factory.CreateApiClient();

        var ours = (await api.GetFromJsonAsync<ShipmentView>($"/api/v1/shipments/{predicted.TrackingNo}", Json))!;
        var none = (await api.GetFromJsonAsync<ShipmentView>($"/api/v1/shipments/{unpredicted.TrackingNo}", Json))!;

        Assert.Equal(new ExpectedDelivery(Saturday, Saturday.AddHours(-8), Saturday.AddHours(30), DeliveryStage.InTransit, LaneLevel.CarrierLane, Saturday.AddDays(-2)), ours.ExpectedDelivery);
        Assert.Equal(Saturday.AddDays(-1), ours.EstimatedDelivery);
        Assert.True(ours.WillBeLate, "the window ends a day after the promise");
        Assert.Null(none.ExpectedDelivery);
        Assert.False(none.WillBeLate);
        var raw = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/shipments/{predicted.TrackingNo}")).RootElement.GetProperty("expectedDelivery");
        Assert.Equal("InTransit", raw.GetProperty("stage").GetString());
        Assert.Equal("CarrierLane", raw.GetProperty("lane").GetString());
        Assert.False(raw.TryGetProperty("window", out _), "the customer-safe view of the dates is not repeated in the answer");
    }

    [Fact]
    public async Task The_shipments_list_sorts_by_the_expected_date_pages_on_it_and_filters_the_parcels_that_will_be_late()
    {
        var lane = "测试" + Guid.NewGuid().ToString("N")[..8];
        var early = await LaneShipmentAsync(lane, ShipmentStatus.InTransit);
        var late = await LaneShipmentAsync(lane, ShipmentStatus.InTransit);
        var later = await LaneShipmentAsync(lane, ShipmentStatus.OutForDelivery);
        var deliveredLate = await LaneShipmentAsync(lane, ShipmentStatus.Delivered);
        var none = await LaneShipmentAsync(lane, ShipmentStatus.InTransit);
        await PredictAsync(portal.Factory, late.Id, Saturday.AddDays(1), promisedBy: Saturday.AddDays(1));
        await PredictAsync(portal.Factory, early.Id, Saturday, promisedBy: Saturday.AddDays(3));
        await PredictAsync(portal.Factory, later.Id, Saturday.AddDays(2), promisedBy: null);
        await PredictAsync(portal.Factory, deliveredLate.Id, Saturday.AddDays(-5), promisedBy: Saturday.AddDays(-6));
        using var api = portal.Factory.CreateApiClient();

        var first = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?lane={lane}&sort=Expected&limit=2", Json))!;
        var second = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?lane={lane}&sort=Expected&limit=2&beforeId={first.NextBeforeId}", Json))!;
        var third = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?lane={lane}&sort=Expected&limit=2&beforeId={second.NextBeforeId}", Json))!;
        var willBeLate = (await api.GetFromJsonAsync<TrackingEndpoints.ShipmentPage>($"/api/v1/shipments?lane={lane}&willBeLate=true", Json))!;

        Assert.Equal([deliveredLate.TrackingNo, early.TrackingNo, late.TrackingNo, later.TrackingNo, none.TrackingNo],
            [.. first.Items.Concat(second.Items).Concat(third.Items).Select(r => r.TrackingNo)]);
        Assert.Null(third.NextBeforeId);
        Assert.Null(third.Items.Single().ExpectedDelivery);
        Assert.Equal([late.TrackingNo], willBeLate.Items.Select(r => r.TrackingNo));
        Assert.True(willBeLate.Items.Single().WillBeLate);
    }

    [Fact]
    public async Task The_order_answer_carries_the_expected_delivery_of_its_parcel_on_its_way()
    {
        var number = await PublicTrackingTests.ShippedParcelAsync(portal.Factory, "13800004321");
        var (shipment, _) = await LoadAsync(portal.Factory, number);
        await PredictAsync(portal.Factory, shipment.Id, Saturday, promisedBy: null, carrierEstimate: Saturday.AddHours(5));
        string orderNo;
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            orderNo = await db.Set<Order>().Where(o => o.Id == shipment.OrderId).Select(o => o.OrderNo).SingleAsync();
        }
        using var api = portal.Factory.CreateApiClient();

        var order = (await api.GetFromJsonAsync<OrderDetail>($"/api/v1/orders/{orderNo}", Json))!;

        Assert.Equal(Saturday, order.ExpectedDelivery?.Expected);
        Assert.Equal(DeliveryStage.InTransit, order.ExpectedDelivery?.Stage);
        Assert.Equal(Saturday.AddHours(5), order.CarrierEstimatedDelivery);
    }

    [Fact]
    public async Task The_public_page_shows_the_expected_date_in_both_languages_and_says_plainly_when_there_is_none()
    {
        // A portal of its own: the shared one's lookups per IP are counted by the other public-page tests.
        await using var factory = new PortalFactory();
        var number = await PublicTrackingTests.ShippedParcelAsync(factory, "13800005678");
        var unpredicted = await PublicTrackingTests.ShippedParcelAsync(factory, "13800005679");
        var (shipment, _) = await LoadAsync(factory, number);
        var (other, _) = await LoadAsync(factory, unpredicted);
        await PredictAsync(factory, shipment.Id, Saturday, promisedBy: null);
        await ForgetEstimatesAsync(factory, other.Id);
        using var zh = factory.CreateBrowserLikeClient();
        zh.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var en = factory.CreateBrowserLikeClient();
        en.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var chinese = await LookupAsync(zh, number, "5678");
        var english = await LookupAsync(en, number, "5678");
        var nothingYet = await LookupAsync(en, unpredicted, "5679");

        Assert.Equal("预计 12月5日 周六 送达（12月5日–12月6日）", Expected(chinese));
        Assert.Equal("Expected Sat 5 Dec (5–6 Dec)", Expected(english));
        Assert.Equal("No estimate yet", Expected(nothingYet));
        // Customer-safe: the stage and lane behind the prediction stay internal.
        Assert.DoesNotContain("CarrierLane", english, StringComparison.Ordinal);
        Assert.DoesNotContain("same carrier and route", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_see_the_expected_day_its_window_and_basis_the_broken_promise_and_the_carriers_estimate_labelled_as_the_carriers()
    {
        var predicted = await CreateShipmentAsync(portal.Factory, NewZtoNumber(), status: ShipmentStatus.InTransit);
        var unpredicted = await CreateShipmentAsync(portal.Factory, NewZtoNumber(), status: ShipmentStatus.InTransit);
        await PredictAsync(portal.Factory, predicted.Id, Saturday, promisedBy: Saturday.AddHours(2), carrierEstimate: Saturday.AddDays(-1));
        using var client = await PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/shipments/{predicted.TrackingNo}"));
        var none = WebUtility.HtmlDecode(await client.GetStringAsync($"/shipments/{unpredicted.TrackingNo}"));

        Assert.Contains("Expected Sat 5 Dec", html, StringComparison.Ordinal);
        Assert.Contains("Window: 5–6 Dec", html, StringComparison.Ordinal);
        Assert.Contains("From the in transit stage, on the history of the same carrier and route", html, StringComparison.Ordinal);
        Assert.Contains("May arrive after the promised Sat 5 Dec", html, StringComparison.Ordinal);
        Assert.Contains("Carrier's estimate: Fri 4 Dec", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"shipment-expected-none\"", none, StringComparison.Ordinal);
        Assert.Contains("No estimate yet", none, StringComparison.Ordinal);
        Assert.Contains("The carrier gave no estimate", none, StringComparison.Ordinal);
    }

    private async Task<Shipment> LaneShipmentAsync(string lane, ShipmentStatus status)
    {
        var s = await CreateShipmentAsync(portal.Factory, NewZtoNumber(), status: status);
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Set<Shipment>().Where(x => x.Id == s.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DestinationProvince, lane));
        return s;
    }

    /// <summary>
    /// A parcel with no estimate of either kind: the carrier sent none, and its last scan came before the portal
    /// predicted anything (a parcel shipped before an upgrade keeps none until its next scan).
    /// </summary>
    private static async Task ForgetEstimatesAsync(PortalFactory factory, long shipmentId)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Set<Shipment>().Where(x => x.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.EstimatedDeliveryUtc, (DateTime?)null)
            .SetProperty(x => x.PredictedDeliveryUtc, (DateTime?)null)
            .SetProperty(x => x.PredictedEarliestUtc, (DateTime?)null)
            .SetProperty(x => x.PredictedLatestUtc, (DateTime?)null)
            .SetProperty(x => x.PredictedAtUtc, (DateTime?)null)
            .SetProperty(x => x.PredictedFromStage, (DeliveryStage?)null)
            .SetProperty(x => x.PredictedFromLane, (LaneLevel?)null));
    }

    /// <summary>
    /// What the predictor writes at a scan: the expected time, a window from 8 hours before to 30 hours after it, made
    /// two days earlier from the in-transit stage on the carrier's lane.
    /// </summary>
    internal static async Task PredictAsync(PortalFactory factory, long shipmentId, DateTime expectedUtc, DateTime? promisedBy, DateTime? carrierEstimate = null)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Set<Shipment>().Where(s => s.Id == shipmentId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PredictedDeliveryUtc, expectedUtc)
            .SetProperty(s => s.PredictedEarliestUtc, expectedUtc.AddHours(-8))
            .SetProperty(s => s.PredictedLatestUtc, expectedUtc.AddHours(30))
            .SetProperty(s => s.PredictedAtUtc, expectedUtc.AddDays(-2))
            .SetProperty(s => s.PredictedFromStage, DeliveryStage.InTransit)
            .SetProperty(s => s.PredictedFromLane, LaneLevel.CarrierLane)
            .SetProperty(s => s.PromisedByUtc, promisedBy)
            .SetProperty(s => s.EstimatedDeliveryUtc, carrierEstimate));
    }

    private static string Expected(string html)
    {
        var match = ExpectedLine().Match(html);
        Assert.True(match.Success, "The tracking result has no expected-delivery line.");
        return match.Groups[1].Value.Trim();
    }

    private static async Task<string> LookupAsync(HttpClient client, string trackingNo, string last4)
    {
        var page = await client.GetStringAsync("/track");
        var token = Token().Match(page);
        Assert.True(token.Success, "The tracking page has no antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "track",
            ["Input.TrackingNo"] = trackingNo,
            ["Input.PhoneLast4"] = last4,
        });
        var response = await client.PostAsync("/track", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("data-testid=\"track-expected\"[^>]*>([^<]*)<")]
    private static partial Regex ExpectedLine();
}
