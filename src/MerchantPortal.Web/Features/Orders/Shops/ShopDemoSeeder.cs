using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// The demo's three shops (天猫旗舰店, 京东自营店, 抖音小店) and a catalogue of the demo's six SKUs with weights, sizes and
/// barcodes. In the fixture the orders of those platforms are given their shop (one set-based UPDATE per shop, after
/// <see cref="OrderFixtureSeeder"/>). Skipped when any shop exists.
/// </summary>
public sealed class ShopDemoSeeder(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock) : IDemoDataSeeder
{
    // The SKUs of OrderFixtureSeeder and DemoRun, as a merchant's product list has them (barcodes are GS1 China prefixes 690–699).
    private static readonly CatalogueSku[] Catalogue =
    [
        new() { Sku = "SKU-TEA-01", Name = "西湖龙井 250g 礼盒", Barcode = "6901234500017", WeightKg = 0.3m, LengthCm = 22, WidthCm = 15, HeightCm = 8, WarehouseId = 1, Location = "A-01-01" },
        new() { Sku = "SKU-CUP-02", Name = "玻璃茶杯 两只装", Barcode = "6901234500024", WeightKg = 0.3m, LengthCm = 18, WidthCm = 10, HeightCm = 12, WarehouseId = 1, Location = "A-01-02" },
        new() { Sku = "SKU-MUG-03", Name = "陶瓷马克杯", Barcode = "6901234500031", WeightKg = 0.4m, LengthCm = 12, WidthCm = 12, HeightCm = 11, WarehouseId = 1, Location = "A-02-01" },
        new() { Sku = "SKU-POT-04", Name = "紫砂壶", Barcode = "6901234500048", WeightKg = 0.6m, LengthCm = 20, WidthCm = 14, HeightCm = 12, WarehouseId = 1, Location = "B-01-01" },
        new() { Sku = "SKU-SET-05", Name = "旅行茶具套装", Barcode = "6901234500055", WeightKg = 0.9m, LengthCm = 28, WidthCm = 20, HeightCm = 10, WarehouseId = 1, Location = "B-02-03" },
        new() { Sku = "SKU-BAG-06", Name = "茶包 100 袋", Barcode = "6901234500062", WeightKg = 0.2m, LengthCm = 20, WidthCm = 12, HeightCm = 6, WarehouseId = 1, Location = "C-01-01" },
    ];

    public int Order => 15;

    public async Task SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<Shop>().AnyAsync(ct))
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        Shop[] shops =
        [
            new() { Code = "tmall-flagship", Name = "天猫旗舰店", Platform = OrderChannel.Tmall, WarehouseId = 1, CreatedAtUtc = now,
                SenderName = "茶语天猫旗舰店", SenderPhone = "057188880001", SenderProvince = "浙江省", SenderCity = "杭州市", SenderDistrict = "余杭区", SenderAddress = "仓前街道文一西路 1818 号 3 号仓库" },
            new() { Code = "jd-self", Name = "京东自营店", Platform = OrderChannel.JD, WarehouseId = 2, CreatedAtUtc = now },
            new() { Code = "douyin-shop", Name = "抖音小店", Platform = OrderChannel.Douyin, WarehouseId = 1, CreatedAtUtc = now },
        ];
        db.AddRange(shops);
        if (!await db.Set<CatalogueSku>().AnyAsync(ct))
        {
            db.AddRange(Catalogue.Select(c => new CatalogueSku
            {
                Sku = c.Sku, Name = c.Name, Barcode = c.Barcode, WeightKg = c.WeightKg, LengthCm = c.LengthCm, WidthCm = c.WidthCm, HeightCm = c.HeightCm,
                WarehouseId = c.WarehouseId, Location = c.Location, UpdatedAtUtc = now,
            }));
        }
        await db.SaveChangesAsync(ct);
        if (options.Mode == DemoDataMode.Fixture)
        {
            foreach (var shop in shops)
            {
                await db.Set<Order>().Where(o => o.Channel == shop.Platform && o.ShopId == null).ExecuteUpdateAsync(u => u.SetProperty(o => o.ShopId, shop.Id), ct);
            }
        }
    }
}
