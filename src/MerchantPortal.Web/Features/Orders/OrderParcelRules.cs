using System.Globalization;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>One line's units in one parcel of a split (拆单).</summary>
public sealed record ParcelLineRequest(int LineNo, int Quantity);

/// <summary>
/// The pure rules of merged (合并发货) and split (拆单) parcels (docs/decisions/0021-merged-and-split-parcels.md): who
/// may be merged, what a split must add up to, and what one parcel carries. No database, so each rule has a unit test.
/// </summary>
public static class ParcelRules
{
    public const int MinParcels = 2;
    public const int MaxParcels = 20;
    public const int MaxMergeOrders = 50;

    /// <summary>The statuses an order can be merged, split, unmerged or unsplit in: before its waybill.</summary>
    public static readonly OrderStatus[] BeforeWaybill = [OrderStatus.PendingReview, OrderStatus.Approved, OrderStatus.OnHold];

    /// <summary>Why an order cannot join a merge (a stable key, the API and pages translate or name it), or null.</summary>
    public static string? MergeRefusal(Order order, bool hasLiveWaybill)
    {
        if (!BeforeWaybill.Contains(order.Status))
        {
            return "Status";
        }
        if (order.ReceiverMasked)
        {
            return "ReceiverMasked";
        }
        if (order.ParcelCount > 1)
        {
            return "Split";
        }
        return hasLiveWaybill ? "LiveWaybill" : null;
    }

    /// <summary>
    /// Orders ship together only to the very same receiver: one shop (none = none), the same name, phone, province,
    /// city, district and street address as stored (trimmed). Deliberately exact: a near match merged by mistake sends
    /// one customer's goods to another.
    /// </summary>
    public static string MergeKey(Order o) => string.Join('\u001f',
        o.ShopId?.ToString(CultureInfo.InvariantCulture) ?? "", o.ReceiverName.Trim(), o.ReceiverPhone.Trim(), o.Province.Trim(), o.City.Trim(), o.District.Trim(), o.AddressDetail.Trim());

    /// <summary>The lead of a merge: the oldest order (its number is on the label; the others ship in its parcel).</summary>
    public static Order Lead(IEnumerable<Order> orders) => orders.OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).First();

    /// <summary>
    /// What is wrong with a split of these lines into these parcels: 2 to 20 parcels, none empty, only the order's
    /// lines, each line's units over all parcels adding up to the line's quantity. Fields name the parcel and line.
    /// </summary>
    public static FieldProblems CheckSplit(IReadOnlyList<OrderLine> lines, IReadOnlyList<IReadOnlyList<ParcelLineRequest>> parcels)
    {
        var problems = new FieldProblems();
        if (parcels.Count is < MinParcels or > MaxParcels)
        {
            problems.Add(new FieldProblem("parcels", "ParcelCount", $"A split has {MinParcels} to {MaxParcels} parcels; it had {parcels.Count}.", MinParcels, MaxParcels, parcels.Count));
            return problems;
        }
        var byNo = lines.ToDictionary(l => l.LineNo);
        for (var p = 0; p < parcels.Count; p++)
        {
            var parcel = parcels[p];
            if (parcel.Count == 0 || parcel.All(l => l.Quantity == 0))
            {
                problems.Add(new FieldProblem($"parcels[{p}]", "EmptyParcel", $"Parcel {p + 1} is empty: give it at least one unit of a line.", p + 1));
                continue;
            }
            for (var i = 0; i < parcel.Count; i++)
            {
                var line = parcel[i];
                if (!byNo.ContainsKey(line.LineNo))
                {
                    problems.Add(new FieldProblem($"parcels[{p}].lines[{i}].lineNo", "NoSuchLine", $"The order has no line {line.LineNo}.", line.LineNo));
                }
                else if (line.Quantity < 0)
                {
                    problems.Add(new FieldProblem($"parcels[{p}].lines[{i}].quantity", "NegativeQuantity", $"Line {line.LineNo}: a quantity is 0 or more; it was {line.Quantity}.", line.LineNo));
                }
                else if (parcel.Take(i).Any(x => x.LineNo == line.LineNo))
                {
                    problems.Add(new FieldProblem($"parcels[{p}].lines[{i}].lineNo", "LineTwice", $"Parcel {p + 1} names line {line.LineNo} twice.", p + 1, line.LineNo));
                }
            }
        }
        foreach (var line in lines.OrderBy(l => l.LineNo))
        {
            var sum = parcels.Sum(p => p.Where(x => x.LineNo == line.LineNo && x.Quantity > 0).Sum(x => (long)x.Quantity));
            if (sum != line.Quantity)
            {
                problems.Add(new FieldProblem($"lines[{line.LineNo}]", "LineSum", $"Line {line.LineNo} ({line.Name}) has {line.Quantity} units; the parcels hold {sum}.", line.LineNo, line.Name, line.Quantity, sum));
            }
        }
        return problems;
    }

    /// <summary>
    /// What one parcel carries, as an order the waybill request and label are built from (not stored): a merged lead
    /// carries its own lines and its followers' (weights and amounts added, the followers named in the remark); a
    /// split order's parcel carries only its lines and units, each line's weight shared per unit.
    /// </summary>
    public static Order Content(Order order, IReadOnlyList<Order> followers, IReadOnlyList<OrderParcelLine> parcelLines, int parcelNo)
    {
        var shipped = followers.Where(f => f.Status != OrderStatus.Cancelled).OrderBy(f => f.CreatedAtUtc).ThenBy(f => f.Id).ToList();
        if (shipped.Count > 0)
        {
            var lines = order.Lines.OrderBy(l => l.LineNo).Concat(shipped.SelectMany(f => f.Lines.OrderBy(l => l.LineNo)))
                .Select((l, i) => Copy(l, i + 1, l.Quantity, l.WeightKg)).ToList();
            var merged = "合并发货 " + string.Join(", ", shipped.Select(f => f.OrderNo));
            return Clone(order, lines, order.TotalWeightKg + shipped.Sum(f => f.TotalWeightKg), order.TotalAmount + shipped.Sum(f => f.TotalAmount),
                Remark(merged, order.Remark));
        }
        if (order.ParcelCount <= 1)
        {
            return order;
        }
        var mine = parcelLines.Where(p => p.ParcelNo == parcelNo && p.Quantity > 0).ToDictionary(p => p.LineNo, p => p.Quantity);
        var parcel = order.Lines.Where(l => mine.ContainsKey(l.LineNo)).OrderBy(l => l.LineNo)
            .Select(l => Copy(l, l.LineNo, mine[l.LineNo], l.Quantity == 0 ? 0 : Math.Round(l.WeightKg / l.Quantity * mine[l.LineNo], 3))).ToList();
        var lineWeight = order.Lines.Sum(l => l.WeightKg);
        var units = order.Lines.Sum(l => (decimal)l.Quantity);
        // The order's weight may have been corrected by hand (OrderAddressService): each parcel gets its share of it,
        // by its lines' weight, or by units when the lines carry none.
        var share = lineWeight > 0 ? parcel.Sum(l => l.WeightKg) / lineWeight : units == 0 ? 0 : parcel.Sum(l => (decimal)l.Quantity) / units;
        return Clone(order, parcel, Math.Round(order.TotalWeightKg * share, 3), parcel.Sum(l => l.Quantity * l.UnitPrice),
            Remark(string.Create(CultureInfo.InvariantCulture, $"拆单 {parcelNo}/{order.ParcelCount}"), order.Remark));
    }

    private static string Remark(string what, string? remark) => string.IsNullOrWhiteSpace(remark) ? what : $"{what} · {remark}";

    private static OrderLine Copy(OrderLine l, int lineNo, int quantity, decimal weightKg) => new()
    {
        Id = l.Id, OrderId = l.OrderId, LineNo = lineNo, Sku = l.Sku, Name = l.Name, Quantity = quantity, UnitPrice = l.UnitPrice, WeightKg = weightKg,
    };

    private static Order Clone(Order o, List<OrderLine> lines, decimal weightKg, decimal amount, string remark) => new()
    {
        Id = o.Id, OrderNo = o.OrderNo, Channel = o.Channel, Status = o.Status, BuyerName = o.BuyerName, ReceiverName = o.ReceiverName,
        ReceiverPhone = o.ReceiverPhone, PhoneLast4 = o.PhoneLast4, Province = o.Province, City = o.City, District = o.District,
        AddressDetail = o.AddressDetail, Postcode = o.Postcode, WarehouseId = o.WarehouseId, TotalAmount = amount, TotalWeightKg = weightKg,
        LineCount = lines.Count, CreatedAtUtc = o.CreatedAtUtc, UpdatedAtUtc = o.UpdatedAtUtc, Remark = remark, ShopId = o.ShopId,
        ReceiverMasked = o.ReceiverMasked, MergedIntoOrderId = o.MergedIntoOrderId, ParcelCount = o.ParcelCount, Lines = lines,
    };

    /// <summary>"1 × 2, 3 × 1": a parcel's lines for the history.</summary>
    public static string Describe(IEnumerable<ParcelLineRequest> lines) =>
        string.Join(", ", lines.Where(l => l.Quantity > 0).Select(l => string.Create(CultureInfo.InvariantCulture, $"#{l.LineNo}×{l.Quantity}")));
}
