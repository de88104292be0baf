using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

// Deliberately in the Waybills feature's namespace: a sample of the write FeatureOwnershipTests must catch.
namespace MerchantPortal.Web.Features.Waybills;

internal static class PlantedOrderWriter
{
    public static async Task ReopenAsync(PortalDbContext db, long orderId, CancellationToken ct)
    {
        await db.Set<Order>().Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Approved), ct);
        var order = await db.Set<Order>().SingleAsync(o => o.Id == orderId, ct);
        order.Status = OrderStatus.Approved;
        db.Add(new OrderHistory { OrderId = orderId, Actor = "planted", Action = "Reopened" });
    }
}
