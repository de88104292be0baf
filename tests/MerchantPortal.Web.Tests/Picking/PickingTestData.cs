using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>Approved orders with the lines a pick list test needs, catalogue locations, and a warehouse of the test's own.</summary>
internal static class PickingTestData
{
    public static string Prefix() => "PK" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>One approved order per entry, created a minute apart in the given order (the oldest leads a merge).</summary>
    public static async Task<string[]> CreateOrdersAsync(PortalFactory factory, string prefix, int warehouseId, params (string? Sku, string Name, int Quantity)[][] orders)
    {
        var start = DateTime.UtcNow.AddHours(-1);
        var created = orders.Select((lines, i) => new Order
        {
            OrderNo = $"{prefix}-{i + 1}",
            Channel = OrderChannel.OwnStore,
            Status = OrderStatus.Approved,
            ReceiverName = "王晓明",
            ReceiverPhone = "13800138000",
            PhoneLast4 = "8000",
            Province = "浙江省",
            City = "杭州市",
            District = "西湖区",
            AddressDetail = "文三路 478 号华星时代广场 A 座 1203 室",
            WarehouseId = warehouseId,
            TotalWeightKg = 1.2m,
            TotalAmount = 59,
            LineCount = lines.Length,
            Remark = i == 0 ? "请尽快发货，电话 13900139000" : null,
            CreatedAtUtc = start.AddMinutes(i),
            UpdatedAtUtc = start.AddMinutes(i),
            PaidAtUtc = start.AddMinutes(i),
            Lines = [.. lines.Select((l, n) => new OrderLine { LineNo = n + 1, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = 10, WeightKg = 0.3m * l.Quantity })],
        }).ToList();
        await using var db = await WaybillTestData.Db(factory);
        db.AddRange(created);
        await db.SaveChangesAsync();
        return [.. created.Select(o => o.OrderNo)];
    }

    public static async Task CatalogueAsync(PortalFactory factory, params (string Sku, string Name, string? Location)[] skus)
    {
        await using var db = await WaybillTestData.Db(factory);
        db.AddRange(skus.Select(s => new CatalogueSku { Sku = s.Sku, Name = s.Name, Location = s.Location, WeightKg = 0.3m, UpdatedAtUtc = DateTime.UtcNow }));
        await db.SaveChangesAsync();
    }

    /// <summary>A warehouse whose default carrier account is <paramref name="accountId"/>, so a wave's group holds only the test's orders.</summary>
    public static async Task<int> WarehouseAsync(PortalFactory factory, string prefix, int accountId)
    {
        await using var db = await WaybillTestData.Db(factory);
        var warehouse = new Warehouse
        {
            Code = prefix, Name = "测试仓 " + prefix, Province = "浙江省", City = "杭州市", District = "余杭区", Address = "仓前街道 1 号",
            ContactName = "仓管", ContactPhone = "057188880000", DefaultCarrierAccountId = accountId,
        };
        db.Add(warehouse);
        await db.SaveChangesAsync();
        return warehouse.Id;
    }
}
