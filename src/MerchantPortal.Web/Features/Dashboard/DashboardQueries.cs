using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Dashboard;

/// <summary>
/// A count a feature contributes to a dashboard tile, from its own table. The dashboard owns no data: until the
/// feature behind a tile registers its counter, the tile counts nothing and shows zero.
/// </summary>
public interface IDashboardCounter
{
    string Tile { get; }
    Task<long> CountAsync(PortalDbContext db, BusinessDay today, CancellationToken ct);
}

public sealed record DashboardTile(string Key, long Count, string Href, string Icon);

public sealed class DashboardQueries(IDbContextFactory<PortalDbContext> dbFactory, IEnumerable<IDashboardCounter> counters, BusinessCalendar calendar)
{
    /// <summary>
    /// Each tile opens the list that shows exactly what it counts (DashboardTilesTests compares them for every role):
    /// the work waiting for someone, and the parcels under way.
    /// </summary>
    public static readonly IReadOnlyList<(string Key, string Href, string Icon)> Tiles =
    [
        ("OrdersToReview", "/orders?status=PendingReview", MudBlazor.Icons.Material.Filled.FactCheck),
        ("AwaitingWaybills", "/orders?status=Approved", MudBlazor.Icons.Material.Filled.Print),
        ("AwaitingPickup", "/orders?status=WaybillIssued", MudBlazor.Icons.Material.Filled.ReceiptLong),
        ("InTransit", "/orders?status=Shipped", MudBlazor.Icons.Material.Filled.LocalShipping),
        ("OpenExceptions", "/exceptions", MudBlazor.Icons.Material.Filled.ReportProblem),
        ("ReturnsToReview", "/returns?status=Requested", MudBlazor.Icons.Material.Filled.AssignmentReturn),
    ];

    public async Task<IReadOnlyList<DashboardTile>> GetTilesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = calendar.Today();
        var result = new List<DashboardTile>(Tiles.Count);
        foreach (var (key, href, icon) in Tiles)
        {
            long count = 0;
            foreach (var counter in counters.Where(c => c.Tile == key))
            {
                count += await counter.CountAsync(db, today, ct);
            }
            result.Add(new DashboardTile(key, count, href, icon));
        }
        return result;
    }
}
