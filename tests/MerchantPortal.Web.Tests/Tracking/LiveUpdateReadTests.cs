using System.Data.Common;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>What one tick of the live-update notifier asks the database (targets.md P6: every 250 ms, on every instance).</summary>
[Collection(SharedPortal.Name)]
public class LiveUpdateReadTests(SharedPortal portal)
{
    [Fact]
    public async Task A_tick_with_open_gaps_reads_tracking_events_by_primary_key_ranges_only()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        if (!db.Database.IsSqlite())
        {
            return; // The plan read below is SQLite's (EXPLAIN QUERY PLAN).
        }
        EventIdGaps.Gap[] open = [new(10, 20, TimeSpan.Zero), new(30, 40, TimeSpan.Zero)];
        await using var command = ShipmentChangeNotifier.UnseenScans(db, 100, open).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;

        var plan = await ReadPlanAsync(db, command);

        // Every table is read by a SEARCH on its primary key; a SCAN may only read back a subquery (the page, ≤ 5,000 rows).
        var subqueries = plan.Where(l => l.StartsWith("CO-ROUTINE ", StringComparison.Ordinal) || l.StartsWith("MATERIALIZE ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToHashSet();
        var tableScans = plan.Where(l => l.StartsWith("SCAN ", StringComparison.Ordinal) && !subqueries.Contains(l["SCAN ".Length..])).ToList();
        Assert.True(tableScans.Count == 0, "table scan in the plan:\n" + string.Join("\n", plan));
        Assert.True(plan.Count(l => l.Contains("USING INTEGER PRIMARY KEY (rowid>", StringComparison.Ordinal)) == 3, "expected the page and both gaps read by key:\n" + string.Join("\n", plan));
    }

    private static async Task<List<string>> ReadPlanAsync(PortalDbContext db, DbCommand command)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(reader.GetOrdinal("detail")));
            }
            return lines;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
