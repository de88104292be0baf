using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Picking;

namespace MerchantPortal.Web.Tests.Picking;

/// <summary>The pick list's grouping and walking order, on parcels built by the same rule the labels use (ParcelRules.Content).</summary>
public class PickListRulesTests
{
    private static readonly Dictionary<string, string?> Locations = new(StringComparer.Ordinal)
    {
        ["TEE-RED"] = "B-02-01",
        ["MUG"] = "A-10-03",
        ["CAP"] = "A-02-01",
        ["SOCKS"] = null,
    };

    private static Order Order(long id, string orderNo, params (string? Sku, string Name, int Quantity)[] lines) => new()
    {
        Id = id, OrderNo = orderNo, Status = OrderStatus.Approved, ReceiverName = "王晓明", ReceiverPhone = "13800138000", PhoneLast4 = "8000", Province = "浙江省",
        CreatedAtUtc = new DateTime(2026, 12, 6, 1, 0, 0, DateTimeKind.Utc).AddMinutes(id), LineCount = lines.Length,
        Lines = [.. lines.Select((l, i) => new OrderLine { OrderId = id, LineNo = i + 1, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, WeightKg = 0.2m * l.Quantity })],
    };

    private static IEnumerable<PickInputLine> Lines(Order parcel) => parcel.Lines.Select(l => new PickInputLine(l.OrderId, l.Sku, l.Name, l.Quantity));

    [Fact]
    public void Rows_are_grouped_by_SKU_with_units_added_and_orders_counted_and_sorted_by_location_then_SKU()
    {
        var rows = PickListRules.Group(
            [.. Lines(Order(1, "A", ("TEE-RED", "T恤 红", 2), ("MUG", "马克杯", 1))), .. Lines(Order(2, "B", ("TEE-RED", "T恤 红", 3), ("CAP", "帽子", 1)))],
            Locations);

        Assert.Equal(
            [new PickListRow("A-02-01", "CAP", "帽子", 1, 1), new PickListRow("A-10-03", "MUG", "马克杯", 1, 1), new PickListRow("B-02-01", "TEE-RED", "T恤 红", 5, 2)],
            rows);
    }

    [Fact]
    public void A_split_parcel_brings_only_its_own_lines_and_two_parcels_of_one_order_count_it_once()
    {
        var order = Order(7, "SPLIT", ("TEE-RED", "T恤 红", 3), ("MUG", "马克杯", 1));
        order.ParcelCount = 2;
        OrderParcelLine[] split =
        [
            new() { OrderId = 7, ParcelNo = 1, LineNo = 1, Quantity = 1 }, new() { OrderId = 7, ParcelNo = 1, LineNo = 2, Quantity = 1 },
            new() { OrderId = 7, ParcelNo = 2, LineNo = 1, Quantity = 2 },
        ];

        var second = PickListRules.Group(Lines(ParcelRules.Content(order, [], split, 2)), Locations);
        var both = PickListRules.Group([.. Lines(ParcelRules.Content(order, [], split, 1)), .. Lines(ParcelRules.Content(order, [], split, 2))], Locations);

        Assert.Equal([new PickListRow("B-02-01", "TEE-RED", "T恤 红", 2, 1)], second);
        Assert.Equal([new PickListRow("A-10-03", "MUG", "马克杯", 1, 1), new PickListRow("B-02-01", "TEE-RED", "T恤 红", 3, 1)], both);
    }

    [Fact]
    public void A_merged_lead_brings_every_merged_orders_lines_and_each_order_counts()
    {
        var lead = Order(10, "LEAD", ("MUG", "马克杯", 1));
        var follower = Order(11, "FOLLOWER", ("MUG", "马克杯", 2), ("CAP", "帽子", 1));
        follower.MergedIntoOrderId = 10;

        var rows = PickListRules.Group(Lines(ParcelRules.Content(lead, [follower], [], 1)), Locations);

        Assert.Equal([new PickListRow("A-02-01", "CAP", "帽子", 1, 1), new PickListRow("A-10-03", "MUG", "马克杯", 3, 2)], rows);
    }

    [Fact]
    public void SKUs_without_a_catalogue_location_come_after_the_located_ones_and_lines_without_SKU_last_by_name()
    {
        var rows = PickListRules.Group(
            [.. Lines(Order(1, "A", (null, "赠品 贴纸", 1), ("ZZ-UNKNOWN", "未建档商品", 2), ("SOCKS", "袜子", 1), ("CAP", "帽子", 1), (" ", "包装袋", 1))),
             .. Lines(Order(2, "B", (null, "赠品 贴纸", 2)))],
            Locations);

        Assert.Equal(
            [
                new PickListRow("A-02-01", "CAP", "帽子", 1, 1),
                new PickListRow(null, "SOCKS", "袜子", 1, 1),
                new PickListRow(null, "ZZ-UNKNOWN", "未建档商品", 2, 1),
                new PickListRow(null, null, "包装袋", 1, 1),
                new PickListRow(null, null, "赠品 贴纸", 3, 2),
            ],
            rows);
    }

    [Fact]
    public void The_catalogue_name_of_a_SKU_names_its_row_whatever_the_orders_called_it()
    {
        var rows = PickListRules.Group([new PickInputLine(1, "MUG", "杯子（店铺标题）", 1)], Locations, new Dictionary<string, string> { ["MUG"] = "马克杯" });

        Assert.Equal("马克杯", Assert.Single(rows).Name);
    }
}
