using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Packing;

/// <summary>Orders with lines, their live waybills on a carrier account of the tests' own, and catalogued SKUs with barcodes.</summary>
internal static class PackingTestData
{
    public static async Task<PortalDbContext> Db(PortalFactory factory) =>
        await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public static async Task<int> AccountAsync(PortalFactory factory, string code)
    {
        await using var db = await Db(factory);
        var account = new CarrierAccount
        {
            Name = "打包测试 " + code,
            EBusinessId = "test",
            AppKeyProtected = "unused",
            ShipperCode = code,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            Version = Guid.NewGuid(),
            IsDisabled = true,
        };
        db.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    }

    public static async Task CatalogueAsync(PortalFactory factory, string sku, string name, string barcode)
    {
        await using var db = await Db(factory);
        db.Add(new CatalogueSku { Sku = sku, Name = name, Barcode = barcode, UpdatedAtUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>An order with (sku, name, quantity) lines; returns it saved.</summary>
    public static async Task<Order> OrderAsync(PortalFactory factory, string orderNo, (string Sku, string Name, int Quantity)[] lines, decimal weightKg = 0.8m, long? mergedInto = null, int parcelCount = 1)
    {
        var now = DateTime.UtcNow;
        var order = new Order
        {
            OrderNo = orderNo,
            Channel = OrderChannel.OwnStore,
            Status = OrderStatus.WaybillIssued,
            ReceiverName = "王晓明",
            ReceiverPhone = "13800138000",
            PhoneLast4 = "8000",
            Province = "浙江省",
            City = "杭州市",
            District = "西湖区",
            AddressDetail = "文三路 478 号",
            TotalWeightKg = weightKg,
            TotalAmount = 59,
            LineCount = lines.Length,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            MergedIntoOrderId = mergedInto,
            ParcelCount = parcelCount,
            Lines = [.. lines.Select((l, i) => new OrderLine { LineNo = i + 1, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = 10m, WeightKg = 0.2m * l.Quantity })],
        };
        await using var db = await Db(factory);
        db.Add(order);
        await db.SaveChangesAsync();
        return order;
    }

    public static async Task<string> WaybillAsync(PortalFactory factory, Order order, int accountId, string shipperCode, int parcelNo = 1, bool voided = false, DateTime? issuedUtc = null)
    {
        var number = Unique("PK");
        await using var db = await Db(factory);
        db.Add(new Waybill
        {
            OrderId = order.Id,
            LiveOrderId = voided ? null : order.Id,
            ParcelNo = parcelNo,
            OrderNo = order.OrderNo,
            CarrierAccountId = accountId,
            ShipperCode = shipperCode,
            TrackingNo = number,
            OrderCode = $"{order.OrderNo}-P{parcelNo}-1",
            PickKey = order.OrderNo,
            LabelJson = "{}",
            IssuedAtUtc = issuedUtc ?? DateTime.UtcNow,
            VoidedAtUtc = voided ? DateTime.UtcNow : null,
            VoidedBy = voided ? "test" : null,
        });
        await db.SaveChangesAsync();
        return number;
    }
}
