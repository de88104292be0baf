using System.Net;
using System.Net.Http.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>
/// The same act sent to two instances at the same moment (a double click on two tabs behind a load balancer, a
/// retrying client): the database, not either process, decides that it happens once. `./portal test` runs these on
/// SQLite and again on PostgreSQL, where the two writers really overlap.
/// </summary>
[Trait("Database", TestDatabase.ServerTrait)]
public sealed class ReturnRaceTests(TwoInstances portals) : IClassFixture<TwoInstances>
{
    [Fact]
    public async Task One_pickup_booked_on_two_instances_at_once_books_one_courier()
    {
        using var first = portals.First.CreateApiClient();
        using var second = portals.Second.CreateApiClient();
        var id = await CreatedIdAsync(await CreateReturnAsync(first, await ShippedOrderAsync(portals.First, first), 1));
        var (start, end) = TomorrowMorning();
        // Both instances have served this return once, so neither answer waits on a first compile or a cold pool.
        (await first.GetAsync($"/api/v1/returns/{id}")).EnsureSuccessStatusCode();
        (await second.GetAsync($"/api/v1/returns/{id}")).EnsureSuccessStatusCode();

        var answers = await AtOnce.RunAsync(
            () => first.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end }),
            () => second.PostAsJsonAsync($"/api/v1/returns/{id}/pickup", new { windowStart = start, windowEnd = end }));

        var codes = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.Created));
        // The other is told the booking exists (200) or is being made right now (409); it never books a second courier.
        Assert.All(codes.Where(c => c != HttpStatusCode.Created), c => Assert.Contains(c, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        await using var db = await portals.First.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var pickups = await db.Set<Pickup>().AsNoTracking().Where(p => p.ReturnId == id).ToListAsync();
        Assert.Equal(PickupStatus.Booked, Assert.Single(pickups).Status);
    }

    [Fact]
    public async Task One_refund_confirmed_differently_on_two_instances_at_once_ends_in_one_outcome_told_once()
    {
        await portals.First.GetService<RefundSettings>().SetAsync(RefundMethod.MerchantSystem, null, null, null, "test", CancellationToken.None);
        using var first = portals.First.CreateApiClient();
        using var second = portals.Second.CreateApiClient();
        var (returnId, refundId) = await PendingRefundAsync(first);

        var succeeded = new { status = "Succeeded", reference = "PAY-RACE-1" };
        var failed = new { status = "Failed", reason = "card closed" };
        var answers = await AtOnce.RunAsync(
            () => first.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", succeeded),
            () => second.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", failed),
            () => second.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", succeeded),
            () => first.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", failed));

        await using var db = await portals.First.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var refund = await db.Set<Refund>().AsNoTracking().SingleAsync(r => r.Id == refundId);
        Assert.Contains(refund.Status, new[] { RefundStatus.Succeeded, RefundStatus.Failed });
        // Each caller is told the truth: the answers asking for the outcome that holds are 200, the others 409.
        string[] asked = ["Succeeded", "Failed", "Succeeded", "Failed"];
        for (var i = 0; i < answers.Length; i++)
        {
            var expected = asked[i] == refund.Status.ToString() ? HttpStatusCode.OK : HttpStatusCode.Conflict;
            Assert.True(answers[i].StatusCode == expected, $"answer {i} ({asked[i]}): {(int)answers[i].StatusCode} {await answers[i].Content.ReadAsStringAsync()}; the refund is {refund.Status}");
        }
        var ret = await db.Set<ReturnRequest>().AsNoTracking().SingleAsync(r => r.Id == returnId);
        var told = await db.Set<OutboxMessage>().CountAsync(m => m.ReturnId == returnId && m.Milestone == NotificationMilestone.Refunded);
        // The customer hears "refunded" once if it succeeded, never if it failed.
        Assert.Equal(refund.Status == RefundStatus.Succeeded ? (true, 1) : (false, 0), (ret.Status == ReturnStatus.Refunded, told));
    }

    /// <summary>A received return whose refund went to the merchant's own system and waits for its confirmation.</summary>
    private async Task<(long ReturnId, long RefundId)> PendingRefundAsync(HttpClient api)
    {
        var returnId = await CreatedIdAsync(await CreateReturnAsync(api, await ShippedOrderAsync(portals.First, api), 1));
        await using (var db = await portals.First.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Set<ReturnRequest>().Where(r => r.Id == returnId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReturnStatus.Received));
            db.Add(new Refund { ReturnId = returnId, Kind = ReturnResolution.Refund, Amount = 60m, Status = RefundStatus.Requested, Trigger = "received", DecidedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await portals.First.GetService<RefundJob>().RunAsync(returnId, CancellationToken.None);
        await using var read = await portals.First.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var refund = await read.Set<Refund>().AsNoTracking().SingleAsync(r => r.ReturnId == returnId);
        Assert.Equal(RefundStatus.Pending, refund.Status);
        return (returnId, refund.Id);
    }
}
