using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// A booked pickup the courier never collects, on the portal's simulated clock (started at the real time, because the
/// sandbox that books and cancels pickups runs on real time): the no-show sweep opens exactly one PickupNoShow case
/// about the return, and the case closes itself when the pickup is rebooked or the parcel is collected after all.
/// </summary>
public class PickupNoShowCaseTests : IAsyncLifetime
{
    private readonly ClockedPortal P = new();

    public Task InitializeAsync()
    {
        P.Start();
        P.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await P.DisposeAsync();

    private async Task<(long ReturnId, string OrderNo, JsonElement Booking)> BookedReturnAsync(HttpClient api)
    {
        var orderNo = await ShippedOrderAsync(P, api);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        var (start, end) = Tomorrow();
        var booked = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end });
        Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
        return (id, orderNo, await booked.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Tomorrow 09:00–12:00 Beijing time on the portal's clock.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Tomorrow()
    {
        var day = DateTime.SpecifyKind((P.Now + MerchantPortal.Web.Infrastructure.BusinessCalendar.Offset).Date.AddDays(1), DateTimeKind.Unspecified);
        var start = new DateTimeOffset(day.AddHours(9), MerchantPortal.Web.Infrastructure.BusinessCalendar.Offset);
        return (start, start.AddHours(3));
    }

    private async Task<List<ExceptionCase>> ReturnCasesAsync(long returnId)
    {
        await using var db = await P.DbAsync();
        return await db.Set<ExceptionCase>().AsNoTracking().Where(c => c.ReturnId == returnId).OrderBy(c => c.Id).ToListAsync();
    }

    private Task SweepAsync() => P.GetService<PickupNoShowJob>().RunAsync(CancellationToken.None);

    /// <summary>From now to just past the booked window's end plus the sweep's grace.</summary>
    private void PastTheWindow(JsonElement booking, TimeSpan extra)
    {
        var windowEnd = booking.GetProperty("windowEnd").GetDateTime();
        P.Advance(DateTime.SpecifyKind(windowEnd, DateTimeKind.Utc) + PickupNoShowJob.Grace + extra - P.Now);
    }

    [Fact]
    public async Task A_booked_pickup_the_courier_never_collects_opens_exactly_one_PickupNoShow_case_about_the_return()
    {
        using var api = P.CreateApiClient();
        using var receiver = new TestReceiver(_ => (204, ""));
        var subscription = await P.GetService<WebhookService>().CreateAsync(
            new WebhookSubscriptionInput("no-show cases", receiver.Url("/cases"), [WebhookEvents.ExceptionOpened, WebhookEvents.ExceptionResolved]), "admin@demo.local");
        var (returnId, orderNo, booking) = await BookedReturnAsync(api);

        PastTheWindow(booking, -TimeSpan.FromMinutes(1));
        await SweepAsync();
        Assert.Empty(await ReturnCasesAsync(returnId));

        P.Advance(TimeSpan.FromMinutes(2));
        await SweepAsync();
        await SweepAsync();

        var c = Assert.Single(await ReturnCasesAsync(returnId));
        Assert.Equal((ExceptionType.PickupNoShow, CaseStatus.Open, (long?)null), (c.Type, c.Status, c.ShipmentId));
        Assert.Equal(booking.GetProperty("shipperCode").GetString(), c.ShipperCode);
        Assert.Equal(9, c.RuleId);
        await using (var db = await P.DbAsync())
        {
            Assert.True(await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.HasOpenException).SingleAsync());
            Assert.Equal(c.OrderId, await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => (long?)o.Id).SingleAsync());
        }

        // The API and the queue show it with the return instead of a parcel.
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/exceptions?type=PickupNoShow&returnId={returnId}");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(c.Id, item.GetProperty("id").GetInt64());
        Assert.Equal(returnId, item.GetProperty("returnId").GetInt64());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("shipmentId").ValueKind);
        Assert.Equal(orderNo, item.GetProperty("orderNo").GetString());
        Assert.StartsWith("RMA", item.GetProperty("rmaNo").GetString(), StringComparison.Ordinal);
        Assert.True((await P.GetService<ExceptionQueries>().OpenCountsAsync()).GetValueOrDefault(ExceptionType.PickupNoShow) >= 1);

        // Its actions: a second return of the same goods is refused (the case is handled on its return).
        var second = await P.GetService<ExceptionService>().StartReturnAsync(c.Id, [new NewReturnLine("SKU-R", 1)], ReturnReason.Damaged, null, ReturnResolution.Refund, "ops@demo.local");
        Assert.Equal((CaseActionOutcome.Invalid, "case"), (second.Outcome, second.Problems![0].Field));

        // The webhook names the case and the return.
        await OutboxTestData.DispatchAsync(P);
        var opened = Assert.Single(receiver.Requests, r => r.Headers["X-MerchantPortal-Event"] == WebhookEvents.ExceptionOpened);
        var data = JsonDocument.Parse(opened.Body).RootElement.GetProperty("data");
        Assert.Equal((c.Id, returnId, orderNo, "PickupNoShow"), (data.GetProperty("caseId").GetInt64(), data.GetProperty("returnId").GetInt64(), data.GetProperty("orderNo").GetString(), data.GetProperty("type").GetString()));
        await P.GetService<WebhookService>().DeleteAsync(subscription.Subscription!.Id, "admin@demo.local");
    }

    [Fact]
    public async Task The_queue_and_the_case_page_link_the_return_where_there_is_no_parcel_in_Chinese_and_English()
    {
        using var api = P.CreateApiClient();
        var (returnId, orderNo, booking) = await BookedReturnAsync(api);
        PastTheWindow(booking, TimeSpan.FromMinutes(1));
        await SweepAsync();
        var c = Assert.Single(await ReturnCasesAsync(returnId));
        string rma;
        await using (var db = await P.DbAsync())
        {
            rma = await db.Set<ReturnRequest>().Where(r => r.Id == returnId).Select(r => r.RmaNo).SingleAsync();
        }
        using var ops = await Infrastructure.PortalSession.SignInAsync(P, "ops@demo.local");

        // Decoded: Blazor's prerender may write Chinese text as character references.
        var queue = WebUtility.HtmlDecode(await ops.GetStringAsync("/exceptions?type=PickupNoShow"));
        var casePage = WebUtility.HtmlDecode(await ops.GetStringAsync($"/exceptions/{c.Id}"));

        Assert.Contains($"href=\"/returns/{returnId}\"", queue, StringComparison.Ordinal);
        Assert.Contains("上门取件未履约", queue, StringComparison.Ordinal);
        Assert.Contains($"href=\"/returns/{returnId}\"", casePage, StringComparison.Ordinal);
        Assert.Contains(rma, casePage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/orders/{orderNo}\"", casePage, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/shipments/", casePage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"case-return\"", casePage, StringComparison.Ordinal);

        await ops.GetAsync("/culture?culture=en&redirectUri=/");
        Assert.Contains("Pickup no-show", await ops.GetStringAsync($"/exceptions/{c.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebooking_the_pickup_closes_the_no_show_case_and_a_later_sweep_opens_none()
    {
        using var api = P.CreateApiClient();
        var (returnId, orderNo, booking) = await BookedReturnAsync(api);
        PastTheWindow(booking, TimeSpan.FromMinutes(1));
        await SweepAsync();
        Assert.Equal(CaseStatus.Open, Assert.Single(await ReturnCasesAsync(returnId)).Status);

        var (start, end) = Tomorrow();
        var rebooked = await api.PostAsJsonAsync($"/api/v1/returns/{returnId}/pickup", new { windowStart = start, windowEnd = end });
        Assert.True(rebooked.StatusCode == HttpStatusCode.Created, await rebooked.Content.ReadAsStringAsync());
        await SweepAsync();

        var c = Assert.Single(await ReturnCasesAsync(returnId));
        Assert.Equal((CaseStatus.Resolved, CaseWriter.System), (c.Status, c.ResolvedBy));
        Assert.StartsWith("Pickup rebooked", c.Resolution, StringComparison.Ordinal);
        await using var db = await P.DbAsync();
        Assert.False(await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.HasOpenException).SingleAsync());
        Assert.Equal(CaseNoteKind.AutoResolved, (await db.Set<ExceptionCaseNote>().Where(n => n.CaseId == c.Id).OrderBy(n => n.Id).ToListAsync()).Last().Kind);
    }

    [Fact]
    public async Task A_courier_who_collects_after_the_no_show_closes_its_case()
    {
        using var api = P.CreateApiClient();
        var (returnId, _, booking) = await BookedReturnAsync(api);
        PastTheWindow(booking, TimeSpan.FromMinutes(1));
        await SweepAsync();
        Assert.Equal(CaseStatus.Open, Assert.Single(await ReturnCasesAsync(returnId)).Status);

        long shipmentId;
        await using (var db = await P.DbAsync())
        {
            var trackingNo = booking.GetProperty("trackingNo").GetString();
            shipmentId = await db.Set<Features.Tracking.Shipment>().Where(s => s.TrackingNo == trackingNo).Select(s => s.Id).SingleAsync();
        }
        await P.TransitionAsync(shipmentId, ShipmentStatus.PickedUp);

        var c = Assert.Single(await ReturnCasesAsync(returnId));
        Assert.Equal(CaseStatus.Resolved, c.Status);
        Assert.StartsWith("Collected after all", c.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_return_after_a_no_show_closes_its_case()
    {
        using var api = P.CreateApiClient();
        var (returnId, _, booking) = await BookedReturnAsync(api);
        PastTheWindow(booking, TimeSpan.FromMinutes(1));
        await SweepAsync();

        var cancelled = await P.GetService<ReturnService>().CancelAsync(returnId, "cs@demo.local");

        Assert.True(cancelled.Ok, string.Join("; ", cancelled.Problems.Select(p => p.Message)));
        Assert.Equal(CaseStatus.Resolved, Assert.Single(await ReturnCasesAsync(returnId)).Status);
    }
}
