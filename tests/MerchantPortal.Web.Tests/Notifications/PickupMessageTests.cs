using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>The pickup message the return page promises reaches the phone of the pickup, else of the order.</summary>
public class PickupMessageTests
{
    [Fact]
    public async Task Booking_a_pickup_sends_the_pickup_details_to_the_phone_on_the_pickup_or_else_on_the_order()
    {
        await using var factory = new PortalFactory();
        using var api = factory.CreateApiClient();
        var orderNo = await ShippedOrderAsync(factory, api);
        var sf = await AccountAsync(factory, "SF");
        var (start, end) = TomorrowMorning();
        var withOwnPhone = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        var withOrderPhone = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));

        var booked = await api.PostAsJsonAsync($"/api/v1/returns/{withOwnPhone}/pickup", new
        {
            windowStart = start, windowEnd = end, carrierAccountId = sf,
            address = new { name = "韩梅梅", phone = "13700137000", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号" },
        });
        Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
        var second = await api.PostAsJsonAsync($"/api/v1/returns/{withOrderPhone}/pickup", new { windowStart = start, windowEnd = end, carrierAccountId = sf });
        Assert.True(second.StatusCode == HttpStatusCode.Created, await second.Content.ReadAsStringAsync());

        await factory.GetService<NotificationDispatcher>().DispatchOutboxAsync(CancellationToken.None);

        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Milestone == NotificationMilestone.PickupBooked && (m.ReturnId == withOwnPhone || m.ReturnId == withOrderPhone)).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.NotEqual(OutboxNotes.NoRecipient, r.LastError));
        var ids = rows.Select(r => r.Id).ToList();
        var log = await db.Set<DeliveryLogEntry>().AsNoTracking().Where(l => ids.Contains(l.OutboxId)).ToListAsync();
        var own = log.Single(l => l.OutboxId == rows.Single(r => r.ReturnId == withOwnPhone).Id);
        var fromOrder = log.Single(l => l.OutboxId == rows.Single(r => r.ReturnId == withOrderPhone).Id);
        Assert.Equal(("13700137000", NotificationChannel.Sms), (own.Recipient, own.Channel));
        Assert.Equal("13800138000", fromOrder.Recipient);
        // The promised details: the window and the pickup code.
        Assert.Matches(@"时间\d{4}-\d{2}-\d{2} \d{2}:\d{2}-\d{2}:\d{2},取件码\d{6}", own.Body);
    }
}
