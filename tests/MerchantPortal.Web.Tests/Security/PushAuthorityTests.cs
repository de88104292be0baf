using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;
using Shipment = MerchantPortal.Web.Features.Tracking.Shipment;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>
/// A push proves only which aggregator merchant sent it (DataSign with that merchant's AppKey), so it may move only
/// the parcels that merchant's accounts subscribed or issued (carrier-protocol.md §2.5).
/// </summary>
[Collection(SharedPortal.Name)]
public class PushAuthorityTests(SharedPortal portal)
{
    private const string OtherMerchant = "push-authority-b";
    private const string OtherAppKey = "push-authority-b-appkey";

    private static readonly Trace PickedUp = new("2026-11-26 09:00:00", "【杭州市】快件已揽收", "1");
    private static readonly Trace Signed = new("2026-11-27 11:00:00", "【杭州市】快件已签收", "301");

    [Fact]
    public async Task A_push_signed_by_another_merchant_moves_none_of_our_parcels_and_sends_no_message_and_no_refund()
    {
        var factory = portal.Factory;
        using var api = factory.CreateApiClient();
        await OtherMerchantAccountAsync(factory);

        // Merchant A's parcels: an order's outgoing ZTO parcel and a return's SF parcel (a refund follows its delivery).
        var orderNo = await Returns.ReturnTestData.ShippedOrderAsync(factory, api);
        var forward = NewZtoNumber();
        var registered = await api.PostAsJsonAsync("/api/v1/shipments", new { orderNo, shipperCode = "ZTO", trackingNo = forward });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var returnId = await Returns.ReturnTestData.CreatedIdAsync(await Returns.ReturnTestData.CreateReturnAsync(api, orderNo, 1));
        var (start, end) = Returns.ReturnTestData.TomorrowMorning();
        var booked = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync($"/api/v1/returns/{returnId}/pickup",
            new { windowStart = start, windowEnd = end, carrierAccountId = await Returns.ReturnTestData.AccountAsync(factory, "SF") }), HttpStatusCode.Created);
        var reverse = booked.GetProperty("trackingNo").GetString()!;

        // Merchant B (its own EBusinessID, AppKey and an SF account) signs "delivered" for both.
        var push = PushJsonFrom(OtherMerchant, [("ZTO", forward), ("SF", reverse)], "3", "301", PickedUp, Signed);
        var answer = await PushAsync(factory, push, sign: KdniaoSigner.Sign(push, OtherAppKey));

        // Acknowledged as the protocol asks (a refusal would only make the aggregator send it again), and ignored.
        Assert.Equal(OtherMerchant, answer.GetProperty("EBusinessID").GetString());
        Assert.True(answer.GetProperty("Success").GetBoolean());
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var shipments = await db.Set<Shipment>().AsNoTracking().Where(s => s.TrackingNo == forward || s.TrackingNo == reverse).ToListAsync();
        Assert.Equal(2, shipments.Count);
        Assert.All(shipments, s => Assert.NotEqual(ShipmentStatus.Delivered, s.Status));
        var ids = shipments.Select(s => s.Id).ToList();
        // The sandbox really tracks the booked return parcel and our own merchant's pushes may move it meanwhile
        // (a pickup scan, transit): what must be absent is every trace of B's push and what a delivery would start.
        string[] pushedStations = [PickedUp.Station, Signed.Station];
        Assert.Empty(await db.Set<TrackingEvent>().AsNoTracking().Where(e => ids.Contains(e.ShipmentId) && pushedStations.Contains(e.Description)).ToListAsync());
        Assert.Empty(await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => (m.ShipmentId != null && ids.Contains(m.ShipmentId.Value)) || m.ReturnId == returnId)
            .Where(m => m.Milestone == NotificationMilestone.Delivered || m.Milestone == NotificationMilestone.Refunded)
            .ToListAsync());
        Assert.Empty(await db.Set<Refund>().AsNoTracking().Where(r => r.ReturnId == returnId).ToListAsync());
        var status = (await db.Set<ReturnRequest>().AsNoTracking().SingleAsync(r => r.Id == returnId)).Status;
        Assert.True(status is ReturnStatus.PickupBooked or ReturnStatus.PickedUp or ReturnStatus.InTransit, $"return is {status}");
    }

    [Fact]
    public async Task A_push_of_the_right_merchant_for_a_parcel_of_another_carrier_account_moves_nothing()
    {
        var factory = portal.Factory;
        var accountB = await OtherMerchantAccountAsync(factory);
        var theirs = NewZtoNumber();
        var ours = NewZtoNumber();
        await CreateShipmentAsync(factory, theirs);
        await CreateShipmentAsync(factory, ours);
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            // "ours" was subscribed through B's account: B's pushes may move it, and only it.
            await db.Set<Shipment>().Where(s => s.TrackingNo == ours).ExecuteUpdateAsync(u => u.SetProperty(s => s.CarrierAccountId, accountB));
        }

        var push = PushJsonFrom(OtherMerchant, [("ZTO", theirs), ("ZTO", ours)], "2", "2", PickedUp);
        var answer = await PushAsync(factory, push, sign: KdniaoSigner.Sign(push, OtherAppKey));

        Assert.True(answer.GetProperty("Success").GetBoolean());
        Assert.Empty((await LoadAsync(factory, theirs)).Events);
        Assert.Single((await LoadAsync(factory, ours)).Events);
    }

    private static async Task<int> OtherMerchantAccountAsync(PortalFactory factory)
    {
        const string name = "push authority: merchant B";
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            if (await db.Set<CarrierAccount>().Where(a => a.Name == name).Select(a => (int?)a.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }
        }
        var created = await factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Sandbox, null, OtherMerchant, OtherAppKey, "SF", "acct", null, "7550002", null, null), "test");
        return created.Id;
    }
}
