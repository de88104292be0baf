using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// The whole return on the sandbox's clock, over real HTTP. Each test has its own portal: they move the sandbox's
/// clock and read its statistics.
/// </summary>
public class ReturnFlowTests
{
    [Fact]
    public async Task A_return_is_booked_collected_carried_received_and_refunded_exactly_once()
    {
        await using var factory = new PortalFactory();
        using var api = factory.CreateApiClient();
        factory.Start();
        // Refunds are paid through the in-process WeChat Pay sandbox (60.00 each: processing, then a signed notification).
        await MerchantPortal.Web.Setup.PaymentSandboxSetup.ConnectAsync(factory.Services, "test", CancellationToken.None);
        var orderNo = await ShippedOrderAsync(factory, api);
        var sf = await AccountAsync(factory, "SF");
        var (start, end) = TomorrowMorning();

        // Three returns of one cup each: the sandbox decides each parcel's fate (a few are lost or refused on the
        // way), so at least one of three reaches the warehouse; each is checked for what its parcel did.
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1)));
        }
        var fourth = await CreateReturnAsync(api, orderNo, 1);
        Assert.Contains("lines[0].quantity", (await ProblemAsync(fourth, HttpStatusCode.BadRequest)).EnumerateObject().Select(p => p.Name));

        var bookings = new List<JsonElement>();
        foreach (var id in ids)
        {
            var booked = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end, carrierAccountId = sf });
            Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
            bookings.Add(await booked.Content.ReadFromJsonAsync<JsonElement>());
        }
        var repeated = await api.PostAsJsonAsync($"/api/v1/returns/{ids[0]}/pickup", new { windowStart = start, windowEnd = end, carrierAccountId = sf });
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        var repeatedBody = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(repeatedBody.GetProperty("alreadyBooked").GetBoolean());
        Assert.Equal(bookings[0].GetProperty("orderCode").GetString(), repeatedBody.GetProperty("orderCode").GetString());
        Assert.Equal(3, (await SandboxStatsAsync(factory)).GetProperty("pickupsBooked").GetInt64());
        Assert.All(bookings, b => Assert.Matches(@"^SF\d{12}$", b.GetProperty("trackingNo").GetString()!));
        Assert.All(bookings, b => Assert.Matches(@"^\d{6}$", b.GetProperty("pickupCode").GetString()!));

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/returns/{ids[0]}");
        Assert.Equal("PickupBooked", detail.GetProperty("status").GetString());
        Assert.Equal(orderNo, detail.GetProperty("orderNo").GetString());
        Assert.Equal("Reverse", detail.GetProperty("shipment").GetProperty("direction").GetString());

        using (var sandbox = factory.CreateApiClient(apiKey: null))
        {
            (await sandbox.PostAsJsonAsync("/sandbox/kdniao/admin/advance", new { hours = 24 * 8 })).EnsureSuccessStatusCode();
            (await sandbox.PostAsync("/sandbox/kdniao/admin/push-now?force=true", null)).EnsureSuccessStatusCode();
        }
        var numbers = bookings.Select(b => b.GetProperty("trackingNo").GetString()!).ToList();
        var parcels = await WaitForAsync(async () => await Task.WhenAll(numbers.Select(n => LoadAsync(factory, n))),
            all => all.All(p => p.Shipment.Status != ShipmentStatus.Pending));
        var delivered = ids.Where((id, i) => parcels[i].Shipment.Status == ShipmentStatus.Delivered).ToList();
        Assert.NotEmpty(delivered);

        // Every return followed its parcel; the delivered ones were refunded by the job the observer enqueued, once the
        // payment sandbox's notification confirmed the money moved. The wait
        // covers every return: a parcel's first scan and its return's move past PickupBooked are separate steps, and
        // waiting only for the refunds let a not-delivered return be checked before it had moved (flaky, 1 in 3).
        var returns = await WaitForAsync(async () => await Task.WhenAll(ids.Select(id => ReturnTestData.LoadAsync(factory, id))),
            all => all.All(r => r.Status >= ReturnStatus.PickedUp) && all.Where(r => delivered.Contains(r.Id)).All(r => r.Status == ReturnStatus.Refunded),
            // The refunds are Hangfire jobs the observer enqueued; on a loaded machine (a filtered run beside the sweep's
            // own portal) 30 s was not always enough.
            TimeSpan.FromSeconds(90), all => string.Join(", ", all.Select(r => $"{r.RmaNo} {r.Status}")) + $" (delivered: {string.Join(", ", delivered)})");
        Assert.All(returns, r => Assert.True(r.Status >= ReturnStatus.PickedUp, $"{r.RmaNo} is {r.Status}"));
        Assert.All(returns.Where(r => !delivered.Contains(r.Id)), r => Assert.NotEqual(ReturnStatus.Refunded, r.Status));

        // The trigger running again (a retried job, the sweeper) changes nothing: one refund at the provider, one message.
        var job = factory.GetService<RefundJob>();
        await job.RunAsync(delivered[0], CancellationToken.None);
        await job.RunAsync(delivered[0], CancellationToken.None);
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var refunds = await db.Set<Refund>().AsNoTracking().Where(r => ids.Contains(r.ReturnId)).ToListAsync();
            Assert.Equal(delivered.Order(), refunds.Select(r => r.ReturnId).Order());
            Assert.All(refunds, r => Assert.Equal((RefundStatus.Succeeded, 60.0m, 1, RefundMethod.WeChatPay), (r.Status, r.Amount, r.Attempts, r.Method)));
            Assert.All(refunds, r => Assert.False(string.IsNullOrEmpty(r.Reference), "no WeChat Pay refund_id"));
            Assert.All(await db.Set<Pickup>().AsNoTracking().Where(p => ids.Contains(p.ReturnId)).ToListAsync(), p => Assert.Equal(PickupStatus.Collected, p.Status));
            var outbox = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.ReturnId != null && ids.Contains(m.ReturnId.Value)).ToListAsync();
            Assert.DoesNotContain(outbox, m => m.EventType == "refund.requested");
            Assert.Equal(delivered.Order(), outbox.Where(m => m.Milestone == NotificationMilestone.Refunded).Select(m => m.ReturnId!.Value).Order());
            Assert.Equal(ids.Order(), outbox.Where(m => m.Milestone == NotificationMilestone.PickupBooked).Select(m => m.ReturnId!.Value).Order());
            Assert.Equal(ids.Order(), outbox.Where(m => m.Milestone == NotificationMilestone.PickedUp).Select(m => m.ReturnId!.Value).Order());
        }
        var body = await api.GetFromJsonAsync<JsonElement>($"/api/v1/returns/{delivered[0]}");
        Assert.Equal("Refunded", body.GetProperty("status").GetString());
        Assert.Single(body.GetProperty("refunds").EnumerateArray());

        // Collected: the pickup can no longer be cancelled, and the API says why.
        var cancel = await api.DeleteAsync($"/api/v1/returns/{ids[0]}/pickup");
        var errors = await ProblemAsync(cancel, HttpStatusCode.Conflict);
        Assert.Contains("already collected", errors.GetProperty("pickup")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pickup_is_cancelled_before_collection_and_rebooked_under_a_new_order_code()
    {
        await using var factory = new PortalFactory();
        using var api = factory.CreateApiClient();
        var orderNo = await ShippedOrderAsync(factory, api);
        var id = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 2));
        var (start, end) = TomorrowMorning();

        var first = await (await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end })).Content.ReadFromJsonAsync<JsonElement>();
        var cancelled = await api.DeleteAsync($"/api/v1/returns/{id}/pickup");
        var afterCancel = await ReturnTestData.LoadAsync(factory, id);
        var second = await api.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start.AddHours(3), windowEnd = end.AddHours(3) });

        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(ReturnStatus.Approved, afterCancel.Status);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var rebooked = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("-P1", first.GetProperty("orderCode").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("-P2", rebooked.GetProperty("orderCode").GetString(), StringComparison.Ordinal);
        var stats = await SandboxStatsAsync(factory);
        Assert.Equal(2, stats.GetProperty("pickupsBooked").GetInt64());
        Assert.Equal(1, stats.GetProperty("callsByRequestType").GetProperty("1802").GetInt64());
    }
}
