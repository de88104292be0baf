using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Fixture orders (<see cref="DemoDataMode.Fixture"/>: the tests' deterministic data and the benchmarks' bulk path):
/// <see cref="DemoDataOptions.Orders"/> (1,000,000 for benchmarks) over the last 60 days, across channels and the three
/// warehouses, destinations weighted by provincial population, statuses DRAWN at random, not lived: nothing behind a
/// "Delivered" but the draw. The demo a person reads is the real run (DemoRun). The same seed gives the same orders
/// (times are relative to the day it runs). One transaction of prepared commands: EF change tracking would take ~20×
/// longer (docs/engineering.md). Skipped when any order exists.
/// </summary>
public sealed class OrderFixtureSeeder(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock, ILogger<OrderFixtureSeeder> logger) : IDemoDataSeeder
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "丽"];
    private static readonly string[] Districts = ["中心区", "高新区", "经开区", "新城区", "老城区", "滨江区", "城南区", "城北区"];
    private static readonly string[] Streets = ["人民路", "解放路", "中山路", "建设路", "和平路", "文化路", "新华路", "长江路", "黄河路", "学院路"];
    private static readonly (string Sku, string Name, decimal Price, decimal Weight)[] Products =
    [
        ("SKU-TEA-01", "西湖龙井 250g 礼盒", 128m, 0.3m), ("SKU-CUP-02", "玻璃茶杯 两只装", 39.9m, 0.3m), ("SKU-MUG-03", "陶瓷马克杯", 25m, 0.4m),
        ("SKU-POT-04", "紫砂壶", 268m, 0.6m), ("SKU-SET-05", "旅行茶具套装", 159m, 0.9m), ("SKU-BAG-06", "茶包 100 袋", 49m, 0.2m),
    ];
    private static readonly (OrderChannel Channel, int Weight)[] Channels =
        [(OrderChannel.Tmall, 30), (OrderChannel.JD, 20), (OrderChannel.Douyin, 20), (OrderChannel.Pinduoduo, 15), (OrderChannel.OwnStore, 10), (OrderChannel.Api, 5)];
    private static readonly string[] Carriers = ["SF", "YTO", "ZTO", "STO", "YD", "JD"];

    public int Order => 10;

    public async Task SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (options.Mode != DemoDataMode.Fixture || options.Orders <= 0 || await db.Set<Order>().AnyAsync(ct))
        {
            return;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(options.Seed);
        var provinces = regions.Provinces;
        var totalPopulation = provinces.Sum(p => p.Population);
        var now = clock.GetUtcNow().UtcDateTime;
        var start = now.AddDays(-60);
        var span = (now - start).Ticks;

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var writer = new OrderBulkWriter(connection, tx, db.Database);
        for (var i = 0; i < options.Orders; i++)
        {
            // Evenly spread in time so "newest first" pages are realistic; i decides order, random decides the rest.
            var created = start.AddTicks(span / options.Orders * i + random.NextInt64(span / options.Orders + 1));
            var province = Pick(provinces, random.NextInt64(totalPopulation));
            var cities = regions.CitiesOf(province);
            var city = cities[random.Next(cities.Count)];
            var phone = "1" + "356789"[random.Next(6)] + random.Next(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var age = (now - created).TotalDays;
            var status = DemoStatus(random, age);
            var lineCount = random.Next(100) < 75 ? 1 : random.Next(2, 4);
            var lines = Enumerable.Range(1, lineCount).Select(n =>
            {
                var p = Products[random.Next(Products.Length)];
                var q = random.Next(1, 4);
                return new OrderLine { LineNo = n, Sku = p.Sku, Name = p.Name, Quantity = q, UnitPrice = p.Price, WeightKg = p.Weight * q };
            }).ToList();
            var shipped = status is OrderStatus.WaybillIssued or OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Exception or OrderStatus.Returned;
            var carrier = shipped ? Carriers[random.Next(Carriers.Length)] : null;
            var id = await writer.InsertOrderAsync(new Order
            {
                OrderNo = $"DM{created.AddHours(8):yyMMdd}{i + 1:D7}",
                Channel = PickChannel(random.Next(100)),
                Status = status,
                ReceiverName = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)],
                ReceiverPhone = phone,
                PhoneLast4 = phone[^4..],
                Province = province.Name,
                City = city,
                District = Districts[random.Next(Districts.Length)],
                AddressDetail = $"{Streets[random.Next(Streets.Length)]} {random.Next(1, 999)} 号 {random.Next(1, 30)} 栋 {random.Next(101, 2999)}",
                WarehouseId = province.Region is "South" or "Southwest" ? 2 : province.Region is "North" or "Northeast" or "Northwest" ? 3 : 1,
                CarrierCode = carrier,
                TrackingNo = carrier is null ? null : $"{carrier}{9_000_000_000L + i * 7919L % 1_000_000_000L + i}",
                HasOpenException = status == OrderStatus.Exception,
                TotalAmount = lines.Sum(l => l.Quantity * l.UnitPrice),
                TotalWeightKg = lines.Sum(l => l.WeightKg),
                LineCount = lines.Count,
                PaidAtUtc = created.AddMinutes(-random.Next(1, 120)),
                CreatedAtUtc = created,
                UpdatedAtUtc = created,
            }, ct);
            foreach (var line in lines)
            {
                await writer.InsertLineAsync(id, line, ct);
            }
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Generated {Count} fixture orders in {Elapsed}", options.Orders, started.Elapsed);
    }

    private static Province Pick(IReadOnlyList<Province> provinces, long ticket)
    {
        foreach (var p in provinces)
        {
            if (ticket < p.Population)
            {
                return p;
            }
            ticket -= p.Population;
        }
        return provinces[^1];
    }

    private static OrderChannel PickChannel(int ticket)
    {
        foreach (var (channel, weight) in Channels)
        {
            if (ticket < weight)
            {
                return channel;
            }
            ticket -= weight;
        }
        return OrderChannel.OwnStore;
    }

    /// <summary>Recent orders wait for review; older ones have moved on, as in a real shop.</summary>
    private static OrderStatus DemoStatus(Random random, double ageDays)
    {
        var r = random.Next(100);
        if (ageDays < 1)
        {
            return r < 70 ? OrderStatus.PendingReview : r < 90 ? OrderStatus.Approved : r < 95 ? OrderStatus.OnHold : OrderStatus.Cancelled;
        }
        if (ageDays < 4)
        {
            return r < 10 ? OrderStatus.PendingReview : r < 25 ? OrderStatus.Approved : r < 45 ? OrderStatus.WaybillIssued : r < 92 ? OrderStatus.Shipped : r < 96 ? OrderStatus.Exception : OrderStatus.Cancelled;
        }
        return r < 85 ? OrderStatus.Delivered : r < 89 ? OrderStatus.Exception : r < 94 ? OrderStatus.Returned : OrderStatus.Cancelled;
    }
}
