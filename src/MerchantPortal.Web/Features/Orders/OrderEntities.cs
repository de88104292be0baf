using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>PendingReview → Approved / OnHold → WaybillIssued → Shipped → Delivered, with Exception, Returned, Cancelled.</summary>
public enum OrderStatus
{
    PendingReview = 0,
    Approved = 1,
    OnHold = 2,
    WaybillIssued = 3,
    Shipped = 4,
    Delivered = 5,
    Exception = 6,
    Returned = 7,
    Cancelled = 8,
}

public enum OrderChannel
{
    Tmall,
    Taobao,
    JD,
    Douyin,
    Pinduoduo,
    OwnStore,
    Api,
    Other,
    Kuaishou,
    Youzan,
}

/// <summary>
/// An order and its ship-to address. Written by the Orders feature only (service, import, API); later features
/// (waybills, tracking) fill <see cref="CarrierCode"/>/<see cref="TrackingNo"/> through their own services.
/// Times are UTC <see cref="DateTime"/>s: SQLite cannot order by DateTimeOffset.
/// </summary>
public sealed class Order
{
    public long Id { get; set; }
    public required string OrderNo { get; set; }
    public OrderChannel Channel { get; set; }
    public OrderStatus Status { get; set; }
    public string? BuyerName { get; set; }
    public required string ReceiverName { get; set; }
    public required string ReceiverPhone { get; set; }
    /// <summary>Denormalized so "last four digits + name" is an index seek, not a scan of every phone.</summary>
    public required string PhoneLast4 { get; set; }
    public required string Province { get; set; }
    public string City { get; set; } = "";
    public string District { get; set; } = "";
    public string AddressDetail { get; set; } = "";
    public string? Postcode { get; set; }
    /// <summary>The buyer's e-mail, when the shop gave one: customer messages then go by e-mail too.</summary>
    public string? CustomerEmail { get; set; }
    /// <summary>"zh-CN" or "en": the language the customer reads messages in; null = the portal's default (zh-CN).</summary>
    public string? CustomerCulture { get; set; }
    public int? WarehouseId { get; set; }
    public string? CarrierCode { get; set; }
    public string? TrackingNo { get; set; }
    public bool HasOpenException { get; set; }
    public decimal TotalAmount { get; set; }
    public decimal TotalWeightKg { get; set; }
    public int LineCount { get; set; }
    public DateTime? PaidAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? Tags { get; set; }
    public string? Remark { get; set; }
    public long? ImportId { get; set; }
    /// <summary>Hash of the pushed content, so an API re-push of the same order number can tell "same" from "different".</summary>
    public string? ContentHash { get; set; }
    /// <summary>A replacement (补发) of that order, created from an exception case (ReshipOrders.cs).</summary>
    public long? ReshipOfOrderId { get; set; }
    /// <summary>The shop (店铺) the order was sold in; null for orders from before shops existed or pushed without one.</summary>
    public int? ShopId { get; set; }
    /// <summary>
    /// The platform's export masked or encrypted the receiver (138****0000, encrypted cells): the order is kept but gets
    /// no waybill until the real name, phone and address are provided.
    /// </summary>
    public bool ReceiverMasked { get; set; }
    /// <summary>合并发货: this order ships in the parcel of that order (the lead), which carries both orders' lines.</summary>
    public long? MergedIntoOrderId { get; set; }
    /// <summary>拆单: how many parcels the order ships in (1 unless split; <see cref="OrderParcelLine"/> says what each holds).</summary>
    public int ParcelCount { get; set; } = 1;
    public List<OrderLine> Lines { get; set; } = [];
}

public sealed class OrderLine
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public int LineNo { get; set; }
    public string? Sku { get; set; }
    public required string Name { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal WeightKg { get; set; }
}

/// <summary>
/// 拆单: how many of a line's units go in one parcel of a split order. Only split orders have rows; parcel numbers run
/// 1..<see cref="Order.ParcelCount"/> and each parcel gets its own waybill (<c>Waybill.ParcelNo</c>).
/// </summary>
public sealed class OrderParcelLine
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public int ParcelNo { get; set; }
    /// <summary>The order line's <see cref="OrderLine.LineNo"/> (no foreign key: lines and parcels both cascade from the order).</summary>
    public int LineNo { get; set; }
    public int Quantity { get; set; }
}

/// <summary>The order's own history: every status change, import, creation and edit.</summary>
public sealed class OrderHistory
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public OrderStatus? FromStatus { get; set; }
    public OrderStatus? ToStatus { get; set; }
    public string? Details { get; set; }
}

/// <summary>A ship-from warehouse, managed by Admin.</summary>
public sealed class Warehouse
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Province { get; set; }
    public required string City { get; set; }
    public string District { get; set; } = "";
    /// <summary>Street address: printed as the sender on labels and used for pickups.</summary>
    public string Address { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string ContactPhone { get; set; } = "";
    /// <summary>The carrier account waybills of this warehouse use unless a batch names another.</summary>
    public int? DefaultCarrierAccountId { get; set; }
    public bool Active { get; set; } = true;
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("Orders");
        b.Property(x => x.OrderNo).HasMaxLength(64);
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.BuyerName).HasMaxLength(100);
        b.Property(x => x.ReceiverName).HasMaxLength(100);
        b.Property(x => x.ReceiverPhone).HasMaxLength(20);
        b.Property(x => x.PhoneLast4).HasMaxLength(4);
        b.Property(x => x.Province).HasMaxLength(20);
        b.Property(x => x.City).HasMaxLength(50);
        b.Property(x => x.District).HasMaxLength(50);
        b.Property(x => x.AddressDetail).HasMaxLength(300);
        b.Property(x => x.Postcode).HasMaxLength(10);
        b.Property(x => x.CustomerEmail).HasMaxLength(256);
        b.Property(x => x.CustomerCulture).HasMaxLength(10);
        b.Property(x => x.CarrierCode).HasMaxLength(20);
        b.Property(x => x.TrackingNo).HasMaxLength(40);
        b.Property(x => x.Tags).HasMaxLength(200);
        b.Property(x => x.Remark).HasMaxLength(500);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.Restrict);

        // P1: every list sort is (key, Id) so keyset paging seeks; each common filter leads its own index so
        // "filter + newest first" reads one index range and stops after a page. Exact lookups are single seeks.
        b.HasIndex(x => x.OrderNo).IsUnique();
        b.HasIndex(x => new { x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.Status, x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.Channel, x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.Province, x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.WarehouseId, x.CreatedAtUtc, x.Id });
        b.HasIndex(x => new { x.CarrierCode, x.CreatedAtUtc, x.Id });
        // The list's column sorts (OrderKeyset): key then Id, so "sorted by X" pages are index ranges. On SQLite the
        // amount index is on CAST(TotalAmount AS REAL) (the SQLite migration says why).
        b.HasIndex(x => new { x.PaidAtUtc, x.Id });
        b.HasIndex(x => new { x.TotalAmount, x.Id });
        b.HasIndex(x => new { x.Province, x.Id });
        b.HasIndex(x => new { x.Status, x.Id });
        b.HasIndex(x => new { x.CarrierCode, x.Id });
        // Ops sort the orders of one status or one province (approved ones by paid time, 广东省 by amount): the filter's
        // column, then the sort's key, then the tie-break, so that page is one range too instead of every matching
        // order sorted. (The SQLite migration indexes the amount as CAST(TotalAmount AS REAL), as the sort reads it.)
        b.HasIndex(x => new { x.Status, x.PaidAtUtc, x.Id });
        b.HasIndex(x => new { x.Status, x.TotalAmount, x.Id });
        b.HasIndex(x => new { x.Status, x.Province, x.Id });
        b.HasIndex(x => new { x.Status, x.CarrierCode, x.Id });
        b.HasIndex(x => new { x.Province, x.PaidAtUtc, x.Id });
        b.HasIndex(x => new { x.Province, x.TotalAmount, x.Id });
        b.HasIndex(x => new { x.Province, x.Status, x.Id });
        b.HasIndex(x => new { x.Province, x.CarrierCode, x.Id });
        b.HasIndex(x => x.TrackingNo);
        b.HasIndex(x => x.ReceiverPhone);
        b.HasIndex(x => new { x.PhoneLast4, x.ReceiverName });
        b.HasIndex(x => x.ReceiverName);
        b.HasIndex(x => x.ImportId);
        b.HasOne<Shop>().WithMany().HasForeignKey(x => x.ShopId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.ShopId, x.CreatedAtUtc, x.Id });
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.MergedIntoOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.MergedIntoOrderId);
        // Merge suggestions look for orders of one shop with the same receiver and phone.
        b.HasIndex(x => new { x.ShopId, x.ReceiverPhone, x.ReceiverName });
        // Database defaults: the bulk writers' raw INSERTs leave these out, and SQLite's table rebuilds keep only
        // what the model says.
        b.Property(x => x.ParcelCount).HasDefaultValue(1);
        b.Property(x => x.ReceiverMasked).HasDefaultValue(false);
    }
}

internal sealed class OrderParcelLineConfiguration : IEntityTypeConfiguration<OrderParcelLine>
{
    public void Configure(EntityTypeBuilder<OrderParcelLine> b)
    {
        b.ToTable("OrderParcelLines");
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.OrderId, x.ParcelNo, x.LineNo }).IsUnique();
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("OrderLines");
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(300);
        b.HasIndex(x => new { x.OrderId, x.LineNo });
    }
}

internal sealed class OrderHistoryConfiguration : IEntityTypeConfiguration<OrderHistory>
{
    public void Configure(EntityTypeBuilder<OrderHistory> b)
    {
        b.ToTable("OrderHistory");
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(50);
        b.Property(x => x.Details).HasMaxLength(1000);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.OrderId, x.Id });
    }
}

internal sealed class WarehouseConfiguration : IEntityTypeConfiguration<Warehouse>
{
    public void Configure(EntityTypeBuilder<Warehouse> b)
    {
        b.ToTable("Warehouses");
        b.Property(x => x.Code).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Province).HasMaxLength(20);
        b.Property(x => x.City).HasMaxLength(50);
        b.Property(x => x.District).HasMaxLength(50);
        b.Property(x => x.Address).HasMaxLength(200);
        b.Property(x => x.ContactName).HasMaxLength(50);
        b.Property(x => x.ContactPhone).HasMaxLength(20);
        b.HasOne<MerchantPortal.Web.Features.CarrierAccounts.CarrierAccount>().WithMany().HasForeignKey(x => x.DefaultCarrierAccountId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => x.Code).IsUnique();
        // Stable demo rows so a clean database always has somewhere to ship from; Admin edits them later.
        b.HasData(
            new Warehouse { Id = 1, Code = "HZ01", Name = "杭州仓 Hangzhou DC", Province = "浙江省", City = "杭州市", District = "余杭区", Address = "仓前街道文一西路 1818 号 3 号仓库", ContactName = "王店长", ContactPhone = "057188886666" },
            new Warehouse { Id = 2, Code = "GZ01", Name = "广州仓 Guangzhou DC", Province = "广东省", City = "广州市", District = "白云区", Address = "太和镇物流园 B 区 12 栋", ContactName = "李主管", ContactPhone = "02066668888" },
            new Warehouse { Id = 3, Code = "BJ01", Name = "北京仓 Beijing DC", Province = "北京市", City = "北京市", District = "大兴区", Address = "亦庄经济开发区科创十三街 20 号", ContactName = "赵经理", ContactPhone = "01088889999" });
    }
}
