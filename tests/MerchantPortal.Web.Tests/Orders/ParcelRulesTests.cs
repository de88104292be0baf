using MerchantPortal.Web.Features.Orders;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>合并发货 and 拆单 without a database: who may merge, what a split must add up to, what one parcel carries.</summary>
public class ParcelRulesTests
{
    private static Order NewOrder(string no, OrderStatus status = OrderStatus.Approved, int? shop = 1, string detail = "文三路 478 号", DateTime? created = null) => new()
    {
        Id = no.GetHashCode(StringComparison.Ordinal) & 0xffff, OrderNo = no, Status = status, ShopId = shop, ReceiverName = "王晓明", ReceiverPhone = "13800138000", PhoneLast4 = "8000",
        Province = "浙江省", City = "杭州市", District = "西湖区", AddressDetail = detail, CreatedAtUtc = created ?? new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc),
        TotalWeightKg = 3m, TotalAmount = 100m,
        Lines =
        [
            new OrderLine { LineNo = 1, Sku = "A", Name = "茶杯", Quantity = 2, UnitPrice = 20m, WeightKg = 1m },
            new OrderLine { LineNo = 2, Sku = "B", Name = "茶壶", Quantity = 3, UnitPrice = 20m, WeightKg = 2m },
        ],
    };

    private static IReadOnlyList<IReadOnlyList<ParcelLineRequest>> Split(params (int Line, int Qty)[][] parcels) =>
        [.. parcels.Select(p => (IReadOnlyList<ParcelLineRequest>)[.. p.Select(x => new ParcelLineRequest(x.Line, x.Qty))])];

    [Fact]
    public void Orders_merge_only_to_the_very_same_receiver_of_the_same_shop()
    {
        var a = NewOrder("A");
        Assert.Equal(ParcelRules.MergeKey(a), ParcelRules.MergeKey(NewOrder("B")));
        Assert.NotEqual(ParcelRules.MergeKey(a), ParcelRules.MergeKey(NewOrder("C", shop: 2)));
        Assert.NotEqual(ParcelRules.MergeKey(a), ParcelRules.MergeKey(NewOrder("D", shop: null)));
        Assert.NotEqual(ParcelRules.MergeKey(a), ParcelRules.MergeKey(NewOrder("E", detail: "文三路 480 号")));
    }

    [Fact]
    public void An_order_past_approval_masked_split_or_with_a_waybill_cannot_join_a_merge_and_each_says_why()
    {
        Assert.Null(ParcelRules.MergeRefusal(NewOrder("A"), hasLiveWaybill: false));
        Assert.Null(ParcelRules.MergeRefusal(NewOrder("A", OrderStatus.PendingReview), hasLiveWaybill: false));
        Assert.Equal("Status", ParcelRules.MergeRefusal(NewOrder("A", OrderStatus.WaybillIssued), hasLiveWaybill: false));
        Assert.Equal("Status", ParcelRules.MergeRefusal(NewOrder("A", OrderStatus.Cancelled), hasLiveWaybill: false));
        var masked = NewOrder("M");
        masked.ReceiverMasked = true;
        Assert.Equal("ReceiverMasked", ParcelRules.MergeRefusal(masked, hasLiveWaybill: false));
        var split = NewOrder("S");
        split.ParcelCount = 2;
        Assert.Equal("Split", ParcelRules.MergeRefusal(split, hasLiveWaybill: false));
        Assert.Equal("LiveWaybill", ParcelRules.MergeRefusal(NewOrder("W"), hasLiveWaybill: true));
    }

    [Fact]
    public void The_oldest_order_leads_a_merge()
    {
        var older = NewOrder("OLD", created: new DateTime(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc));
        Assert.Same(older, ParcelRules.Lead([NewOrder("NEW"), older]));
    }

    [Fact]
    public void A_split_whose_parcels_hold_every_unit_of_every_line_is_accepted()
    {
        Assert.False(ParcelRules.CheckSplit(NewOrder("A").Lines, Split([(1, 2), (2, 1)], [(2, 2)])).Any);
    }

    [Fact]
    public void A_split_that_does_not_add_up_names_the_line_and_its_counts()
    {
        var problems = ParcelRules.CheckSplit(NewOrder("A").Lines, Split([(1, 2), (2, 1)], [(2, 1)]));
        var problem = Assert.Single(problems);
        Assert.Equal("lines[2]", problem.Field);
        Assert.Equal("LineSum", problem.Code);
        Assert.Contains("茶壶", problem.Message, StringComparison.Ordinal);
        Assert.Contains("3 units; the parcels hold 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_parcel_an_unknown_line_and_too_few_or_many_parcels_are_refused()
    {
        var lines = NewOrder("A").Lines;
        Assert.Contains(ParcelRules.CheckSplit(lines, Split([(1, 2), (2, 3)], [])), p => p.Field == "parcels[1]" && p.Code == "EmptyParcel");
        Assert.Contains(ParcelRules.CheckSplit(lines, Split([(1, 2), (2, 3)], [(9, 1)])), p => p.Code == "NoSuchLine" && p.Message.Contains("line 9", StringComparison.Ordinal));
        Assert.Equal("ParcelCount", Assert.Single(ParcelRules.CheckSplit(lines, Split([(1, 2), (2, 3)]))).Code);
        Assert.Equal("ParcelCount", Assert.Single(ParcelRules.CheckSplit(lines, Split([.. Enumerable.Range(0, 21).Select(_ => new[] { (1, 1) })]))).Code);
    }

    [Fact]
    public void A_parcel_of_a_split_order_carries_only_its_lines_with_their_share_of_the_weight()
    {
        var order = NewOrder("A");
        order.ParcelCount = 2;
        OrderParcelLine[] held =
        [
            new() { ParcelNo = 1, LineNo = 1, Quantity = 2 }, new() { ParcelNo = 1, LineNo = 2, Quantity = 1 },
            new() { ParcelNo = 2, LineNo = 2, Quantity = 2 },
        ];

        var first = ParcelRules.Content(order, [], held, 1);
        var second = ParcelRules.Content(order, [], held, 2);

        Assert.Equal([(1, 2), (2, 1)], first.Lines.Select(l => (l.LineNo, l.Quantity)));
        var only = Assert.Single(second.Lines);
        Assert.Equal((2, 2), (only.LineNo, only.Quantity));
        // Line 2 weighs 2 kg for 3 units: the second parcel's 2 units weigh 1.333 kg of the order's 3 kg.
        Assert.Equal(1.333m, second.TotalWeightKg);
        Assert.Equal(1.667m, first.TotalWeightKg);
        Assert.Equal(40m, second.TotalAmount);
        Assert.StartsWith("拆单 2/2", second.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merged_parcel_carries_the_lines_weight_and_value_of_its_lead_and_followers_but_not_a_cancelled_follower()
    {
        var lead = NewOrder("LEAD");
        var follower = NewOrder("F1");
        var cancelled = NewOrder("F2", OrderStatus.Cancelled);

        var content = ParcelRules.Content(lead, [follower, cancelled], [], 1);

        Assert.Equal(4, content.Lines.Count);
        Assert.Equal([1, 2, 3, 4], content.Lines.Select(l => l.LineNo));
        Assert.Equal(6m, content.TotalWeightKg);
        Assert.Equal(200m, content.TotalAmount);
        Assert.Contains("F1", content.Remark, StringComparison.Ordinal);
        Assert.DoesNotContain("F2", content.Remark, StringComparison.Ordinal);
        Assert.Equal("LEAD", content.OrderNo);
    }
}
