using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Dashboard;

public static class DashboardEndpoints
{
    public sealed record DashboardTileDto(string Key, long Count);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/dashboard", async (DashboardQueries queries, CancellationToken ct) =>
                (await queries.GetTilesAsync(ct)).Select(t => new DashboardTileDto(t.Key, t.Count)).ToList())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .WithName("GetDashboard")
            .WithSummary("The dashboard's tile counts (orders to review, approved orders awaiting waybills, orders awaiting pickup, orders in transit, open exceptions, returns to review), each equal to its list.");
    }
}
