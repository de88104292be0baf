using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>
/// Live updates when event ids become visible out of order: on a multi-writer engine transaction A takes id 10,
/// B takes 11 and commits first, A commits later (<see cref="ShipmentChangeNotifier"/>). On a server engine that is
/// done with two real transactions; SQLite has one writer, so there the late commit is reproduced with explicit ids.
/// </summary>
[Collection(SharedPortal.Name)]
[Trait("Database", "Server")]
public class LiveUpdateCommitOrderTests(SharedPortal portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_lower_id_committed_after_a_higher_one_is_still_seen()
    {
        var first = await CreateShipmentAsync(portal.Factory, NewZtoNumber());
        var second = await CreateShipmentAsync(portal.Factory, NewZtoNumber());
        var notifier = portal.Factory.GetService<ShipmentChangeNotifier>();
        var heardFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heardSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = notifier.Subscribe(first.TrackingNo, () => { heardFirst.TrySetResult(); return Task.CompletedTask; });
        using var b = notifier.Subscribe(second.TrackingNo, () => { heardSecond.TrySetResult(); return Task.CompletedTask; });

        var dbFactory = portal.Factory.GetService<IDbContextFactory<PortalDbContext>>();
        await using var probe = await dbFactory.CreateDbContextAsync();
        if (probe.Database.IsSqlite())
        {
            await CommitLowerIdLastWithExplicitIdsAsync(dbFactory, first.Id, second.Id, heardSecond.Task);
        }
        else
        {
            await CommitLowerIdLastInTwoTransactionsAsync(dbFactory, first.Id, second.Id, heardSecond.Task);
        }

        await AssertHeardAsync(heardFirst.Task, "the scan with the lower id, committed after the notifier had read the higher one");
    }

    /// <summary>One writer: the higher id is stored first and read by the notifier, then the lower one is stored.</summary>
    private static async Task CommitLowerIdLastWithExplicitIdsAsync(IDbContextFactory<PortalDbContext> dbFactory, long firstShipment, long secondShipment, Task heardSecond)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        // Far enough above the newest id that no scan stored meanwhile by the shared portal reaches the lower one.
        var higher = (await db.Set<TrackingEvent>().MaxAsync(e => (long?)e.Id) ?? 0) + 1000;
        db.Add(Scan(secondShipment, "B", higher));
        await db.SaveChangesAsync();
        await AssertHeardAsync(heardSecond, "the scan with the higher id");

        db.Add(Scan(firstShipment, "A", higher - 1));
        await db.SaveChangesAsync();
    }

    /// <summary>Two writers: A inserts (taking the lower id) and holds its transaction while B inserts and commits.</summary>
    private static async Task CommitLowerIdLastInTwoTransactionsAsync(IDbContextFactory<PortalDbContext> dbFactory, long firstShipment, long secondShipment, Task heardSecond)
    {
        await using var dbA = await dbFactory.CreateDbContextAsync();
        await using var dbB = await dbFactory.CreateDbContextAsync();
        await using var txA = await dbA.Database.BeginTransactionAsync();
        var scanA = Scan(firstShipment, "A");
        dbA.Add(scanA);
        await dbA.SaveChangesAsync();

        await using (var txB = await dbB.Database.BeginTransactionAsync())
        {
            var scanB = Scan(secondShipment, "B");
            dbB.Add(scanB);
            await dbB.SaveChangesAsync();
            await txB.CommitAsync();
            Assert.True(scanA.Id < scanB.Id, $"A took id {scanA.Id}, B took {scanB.Id}: not the out-of-order commit this test is about");
        }
        // Needs reads that do not wait for A's row (PostgreSQL; SQL Server only with READ_COMMITTED_SNAPSHOT on).
        await AssertHeardAsync(heardSecond, "the committed scan with the higher id while the lower one was still uncommitted");

        await txA.CommitAsync();
    }

    private static TrackingEvent Scan(long shipmentId, string which, long id = 0)
    {
        var at = DateTime.UtcNow;
        var description = $"【杭州市】快件已到达 ({which})";
        return new TrackingEvent
        {
            Id = id,
            ShipmentId = shipmentId,
            TimeUtc = at,
            Description = description,
            Status = ShipmentStatus.InTransit,
            Source = TrackingSource.Push,
            DedupeKey = TrackingEvent.KeyOf(at, description),
        };
    }

    /// <summary>Waits for the callback (returns as soon as it comes) and fails with a sentence if it never does.</summary>
    private static async Task AssertHeardAsync(Task heard, string what)
    {
        var done = await Task.WhenAny(heard, Task.Delay(Patience));
        Assert.True(done == heard, $"No live update within {Patience.TotalSeconds:0} s for {what}");
    }
}
