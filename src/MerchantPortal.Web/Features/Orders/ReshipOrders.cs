using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Replacement orders (补发): a copy of an order's receiver and lines, numbered "{OrderNo}-R{n}" and pointing back
/// at the original, created PendingReview so Ops approve it and issue its waybill through the normal flow (stock and
/// carrier choices stay theirs). Called inside the caller's transaction (the exception case that asks for it links
/// it in the same commit), so this adds and saves but never commits.
/// </summary>
public static class ReshipOrders
{
    public const string HistoryAction = "Reship";

    /// <summary>The new order, saved (its id is known) within the caller's open transaction.</summary>
    public static async Task<Order> CreateAsync(PortalDbContext db, long originalOrderId, string actor, string why, DateTime nowUtc, CancellationToken ct)
    {
        var original = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == originalOrderId, ct);
        // Reships of a reship are numbered from the first original, so "-R1-R1" never appears.
        var rootId = original.ReshipOfOrderId ?? original.Id;
        var root = rootId == original.Id ? original.OrderNo : await db.Set<Order>().Where(o => o.Id == rootId).Select(o => o.OrderNo).SingleAsync(ct);
        var n = await db.Set<Order>().CountAsync(o => o.ReshipOfOrderId == rootId, ct) + 1;
        var orderNo = $"{root}-R{n}";
        // A number taken by hand (or an import) is skipped rather than collided with.
        while (await db.Set<Order>().AnyAsync(o => o.OrderNo == orderNo, ct))
        {
            orderNo = $"{root}-R{++n}";
        }
        var remark = $"补发 reship of {original.OrderNo}: {why}";
        var order = new Order
        {
            OrderNo = orderNo,
            Channel = original.Channel,
            Status = OrderStatus.PendingReview,
            BuyerName = original.BuyerName,
            ReceiverName = original.ReceiverName,
            ReceiverPhone = original.ReceiverPhone,
            PhoneLast4 = original.PhoneLast4,
            Province = original.Province,
            City = original.City,
            District = original.District,
            AddressDetail = original.AddressDetail,
            Postcode = original.Postcode,
            WarehouseId = original.WarehouseId,
            TotalAmount = original.TotalAmount,
            TotalWeightKg = original.TotalWeightKg,
            LineCount = original.LineCount,
            Tags = Truncate(string.IsNullOrEmpty(original.Tags) ? "reship" : original.Tags + ",reship", 200),
            Remark = Truncate(remark, 500),
            ReshipOfOrderId = rootId,
            CreatedAtUtc = nowUtc,
            UpdatedAtUtc = nowUtc,
            Lines = [.. original.Lines.OrderBy(l => l.LineNo).Select(l => new OrderLine
            {
                LineNo = l.LineNo, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WeightKg = l.WeightKg,
            })],
        };
        db.Add(order);
        await db.SaveChangesAsync(ct);
        db.Add(new OrderHistory { OrderId = order.Id, AtUtc = nowUtc, Actor = actor, Action = HistoryAction, ToStatus = OrderStatus.PendingReview, Details = Truncate(remark, 1000) });
        db.Add(new OrderHistory { OrderId = original.Id, AtUtc = nowUtc, Actor = actor, Action = HistoryAction, Details = Truncate($"Replacement {orderNo}: {why}", 1000) });
        db.Audit(nowUtc, actor, "orders.reship", "Order", orderNo, original.OrderNo + " " + order.LineCount.ToString(CultureInfo.InvariantCulture) + " lines");
        await db.SaveChangesAsync(ct);
        return order;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>The reship reference column (kept beside the code that writes it; the rest of Order is in OrderEntities).</summary>
internal sealed class OrderReshipConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.ReshipOfOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ReshipOfOrderId);
    }
}
