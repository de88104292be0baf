using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// A shop (店铺) on a platform: orders belong to one; its default warehouse and sender address apply to its orders'
/// waybills unless the order names another warehouse. Managed by Admin (/admin/shops).
/// </summary>
public sealed class Shop
{
    public int Id { get; set; }
    /// <summary>Short stable key the API and import files use ("tmall-flagship").</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrderChannel Platform { get; set; }
    public int? WarehouseId { get; set; }
    /// <summary>The sender printed on labels for this shop's orders; empty = the warehouse's contact and address.</summary>
    public string SenderName { get; set; } = "";
    public string SenderPhone { get; set; } = "";
    public string SenderProvince { get; set; } = "";
    public string SenderCity { get; set; } = "";
    public string SenderDistrict { get; set; } = "";
    public string SenderAddress { get; set; } = "";
    public bool Active { get; set; } = true;
    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>
/// One SKU of the product catalogue (商品资料): what an order line's SKU weighs and measures, its barcode (scanned at the
/// packing station) and where it is picked. Orders without weights take them from here.
/// </summary>
public sealed class CatalogueSku
{
    public int Id { get; set; }
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public string? Barcode { get; set; }
    public decimal WeightKg { get; set; }
    public decimal? LengthCm { get; set; }
    public decimal? WidthCm { get; set; }
    public decimal? HeightCm { get; set; }
    public int? WarehouseId { get; set; }
    /// <summary>Shelf location (库位) in the warehouse, the pick list's sort key.</summary>
    public string? Location { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

internal sealed class ShopConfiguration : IEntityTypeConfiguration<Shop>
{
    public void Configure(EntityTypeBuilder<Shop> b)
    {
        b.ToTable("Shops");
        b.Property(x => x.Code).HasMaxLength(32);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Platform).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SenderName).HasMaxLength(50);
        b.Property(x => x.SenderPhone).HasMaxLength(20);
        b.Property(x => x.SenderProvince).HasMaxLength(20);
        b.Property(x => x.SenderCity).HasMaxLength(50);
        b.Property(x => x.SenderDistrict).HasMaxLength(50);
        b.Property(x => x.SenderAddress).HasMaxLength(200);
        b.HasOne<Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.Name);
    }
}

internal sealed class CatalogueSkuConfiguration : IEntityTypeConfiguration<CatalogueSku>
{
    public void Configure(EntityTypeBuilder<CatalogueSku> b)
    {
        b.ToTable("CatalogueSkus");
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Barcode).HasMaxLength(64);
        b.Property(x => x.Location).HasMaxLength(32);
        b.HasOne<Warehouse>().WithMany().HasForeignKey(x => x.WarehouseId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => x.Sku).IsUnique();
        b.HasIndex(x => x.Barcode);
    }
}
