using System.Globalization;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills.Labels;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>Stable keys for why an item has no waybill; pages translate them (resource "Reason.{key}").</summary>
public static class WaybillReasons
{
    public const string NotApproved = "NotApproved";
    public const string IncompleteAddress = "IncompleteAddress";
    /// <summary>The platform's export hid the receiver (138****0000, ciphertext): the real values must be entered first.</summary>
    public const string ReceiverMasked = "ReceiverMasked";
    public const string MissingWeight = "MissingWeight";
    public const string NoWarehouse = "NoWarehouse";
    public const string LiveWaybill = "LiveWaybill";
    public const string CarrierRejected = "CarrierRejected";
    public const string CarrierUnavailable = "CarrierUnavailable";
    /// <summary>合并发货: the order ships in another order's parcel (Detail: that order's number); its waybill is the lead's.</summary>
    public const string MergedInto = "MergedInto";
    /// <summary>合并发货: an order that ships in this parcel is not approved yet (Detail: its number).</summary>
    public const string MergedOrderNotApproved = "MergedOrderNotApproved";

    /// <summary>Problems the user can fix in place (edit the order) before retrying.</summary>
    public static bool IsFixable(string? code) => code is IncompleteAddress or ReceiverMasked or MissingWeight or CarrierRejected;
}

/// <summary>What pre-flight found for one order: null <see cref="Reason"/> = ready for a waybill.</summary>
public sealed record PreflightResult(long OrderId, string OrderNo, string? Reason, string? Detail);

/// <summary>
/// Checks run before a carrier is asked (and shown before a batch starts, so problems are fixed first): the order
/// is Approved, has a complete address, a weight, a warehouse to ship from, and no live waybill.
/// </summary>
public static class WaybillPreflight
{
    public static PreflightResult Check(Order order, Warehouse? warehouse, Waybill? live) => Check(order, warehouse, live, null, []);

    /// <summary>
    /// The checks for one parcel: <paramref name="order"/> is what the parcel carries (<see cref="ParcelRules.Content"/>:
    /// a merged lead's lines and weight with its followers', a split order's parcel alone); a follower of another order
    /// (<paramref name="mergedInto"/>) gets no waybill of its own, and a lead waits until every follower is approved.
    /// </summary>
    public static PreflightResult Check(Order order, Warehouse? warehouse, Waybill? live, string? mergedInto, IReadOnlyList<Order> followers)
    {
        string? reason = null;
        string? detail = null;
        if (live is not null)
        {
            (reason, detail) = (WaybillReasons.LiveWaybill, live.TrackingNo);
        }
        else if (order.MergedIntoOrderId is not null)
        {
            (reason, detail) = (WaybillReasons.MergedInto, mergedInto);
        }
        else if (followers.FirstOrDefault(f => f.Status is not (OrderStatus.Approved or OrderStatus.Cancelled)) is { } waiting)
        {
            (reason, detail) = (WaybillReasons.MergedOrderNotApproved, waiting.OrderNo);
        }
        else if (order.Status != OrderStatus.Approved)
        {
            (reason, detail) = (WaybillReasons.NotApproved, order.Status.ToString());
        }
        else if (order.ReceiverMasked)
        {
            reason = WaybillReasons.ReceiverMasked;
        }
        else if (string.IsNullOrWhiteSpace(order.Province) || string.IsNullOrWhiteSpace(order.City) || string.IsNullOrWhiteSpace(order.District)
            || order.AddressDetail.Trim().Length < 2 || string.IsNullOrWhiteSpace(order.ReceiverName) || string.IsNullOrWhiteSpace(order.ReceiverPhone))
        {
            reason = WaybillReasons.IncompleteAddress;
        }
        else if (order.TotalWeightKg <= 0)
        {
            reason = WaybillReasons.MissingWeight;
        }
        else if (warehouse is null)
        {
            reason = WaybillReasons.NoWarehouse;
        }
        return new PreflightResult(order.Id, order.OrderNo, reason, detail);
    }

    /// <summary>Pre-flight for many orders at once (the "new batch" dialog), reading in chunks.</summary>
    public static async Task<IReadOnlyList<PreflightResult>> CheckAsync(PortalDbContext db, IReadOnlyCollection<long> orderIds, CancellationToken ct)
    {
        var warehouses = await WarehousesAsync(db, ct);
        var shops = await ShopsAsync(db, ct);
        var results = new List<PreflightResult>(orderIds.Count);
        foreach (var chunk in orderIds.Chunk(500))
        {
            var orders = await db.Set<Order>().AsNoTracking().Where(o => chunk.Contains(o.Id)).ToListAsync(ct);
            var set = await ParcelSetAsync(db, chunk, ct);
            // A split order is done when every parcel has its live waybill; until then the dialog names none.
            var live = (await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null && chunk.Contains(w.OrderId)).ToListAsync(ct))
                .GroupBy(w => w.OrderId).ToDictionary(g => g.Key, g => g.ToList());
            results.AddRange(orders.Select(o =>
            {
                var mine = live.GetValueOrDefault(o.Id) ?? [];
                var done = mine.Count > 0 && mine.Select(w => w.ParcelNo).Distinct().Count() >= o.ParcelCount ? mine[0] : null;
                // ToList, not a collection expression: the ownership check reads a spread of entities as a write (AddRange).
                var followers = set.Followers[o.Id].ToList();
                var content = ParcelRules.Content(o, followers, set.ParcelLines[o.Id].ToList(), 1);
                return Check(content, Pick(warehouses, shops, o), done, o.MergedIntoOrderId is { } lead ? set.LeadNos.GetValueOrDefault(lead) : null, followers);
            }));
        }
        return results;
    }

    /// <summary>What merges and splits say about these orders: their followers (with lines), their leads' numbers, their parcels' lines.</summary>
    public sealed record ParcelSet(ILookup<long, Order> Followers, IReadOnlyDictionary<long, string> LeadNos, ILookup<long, OrderParcelLine> ParcelLines);

    public static async Task<ParcelSet> ParcelSetAsync(PortalDbContext db, IReadOnlyCollection<long> orderIds, CancellationToken ct)
    {
        var ids = orderIds.ToList();
        var followers = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).AsSplitQuery()
            .Where(o => o.MergedIntoOrderId != null && ids.Contains(o.MergedIntoOrderId.Value)).ToListAsync(ct);
        var leads = await db.Set<Order>().AsNoTracking().Where(o => ids.Contains(o.Id) && o.MergedIntoOrderId != null)
            .Join(db.Set<Order>(), o => o.MergedIntoOrderId, l => l.Id, (o, l) => new { l.Id, l.OrderNo }).Distinct().ToDictionaryAsync(l => l.Id, l => l.OrderNo, ct);
        var parcelLines = await db.Set<OrderParcelLine>().AsNoTracking().Where(p => ids.Contains(p.OrderId)).ToListAsync(ct);
        return new ParcelSet(followers.ToLookup(f => f.MergedIntoOrderId!.Value), leads, parcelLines.ToLookup(p => p.OrderId));
    }

    public static async Task<Dictionary<int, Warehouse>> WarehousesAsync(PortalDbContext db, CancellationToken ct) =>
        await db.Set<Warehouse>().AsNoTracking().ToDictionaryAsync(w => w.Id, ct);

    /// <summary>Shops with their default warehouse and sender (read only: Orders owns them).</summary>
    public static async Task<Dictionary<int, Shop>> ShopsAsync(PortalDbContext db, CancellationToken ct) =>
        await db.Set<Shop>().AsNoTracking().ToDictionaryAsync(s => s.Id, ct);

    /// <summary>
    /// Where an order ships from and who sends it: its own warehouse, else its shop's default warehouse, else the first
    /// active one; when the shop has a sender of its own, the label and the carrier request name the shop's sender,
    /// phone and address instead of the warehouse's contact (a copy of the warehouse: code and account stay the
    /// warehouse's, for the pick order and the carrier account).
    /// </summary>
    public static Warehouse? Pick(IReadOnlyDictionary<int, Warehouse> warehouses, IReadOnlyDictionary<int, Shop> shops, Order order)
    {
        var shop = order.ShopId is { } shopId ? shops.GetValueOrDefault(shopId) : null;
        var warehouse = Pick(warehouses, order.WarehouseId ?? shop?.WarehouseId);
        return warehouse is null ? null : ShopSender.ShipFrom(warehouse, shop);
    }

    /// <summary>The order's warehouse; an order without one ships from the first active warehouse.</summary>
    public static Warehouse? Pick(IReadOnlyDictionary<int, Warehouse> warehouses, int? warehouseId) =>
        warehouseId is { } id ? warehouses.GetValueOrDefault(id) : warehouses.Values.Where(w => w.Active).OrderBy(w => w.Id).FirstOrDefault();
}

/// <summary>Builds the 1007 request and the label of one order.</summary>
public static class WaybillContent
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>The carrier as printed on labels and handover lists: in Chinese, as couriers and warehouses read it.</summary>
    public static string CarrierName(string shipperCode) => Components.Shared.CarrierNames.Of(shipperCode, Chinese);

    /// <summary>The 1007 idempotency key: the same for every retry of one generation (a new one only after a void).</summary>
    public static string OrderCode(string orderNo, int generation) => OrderCode(orderNo, 1, generation);

    /// <summary>
    /// The key of one parcel (拆单): parcel 1 keeps "{OrderNo}-{generation}" (waybills issued before splits existed stay
    /// replayable), parcel n ≥ 2 is "{OrderNo}-P{n}-{generation}"; the generation is counted per parcel.
    /// </summary>
    public static string OrderCode(string orderNo, int parcelNo, int generation) => parcelNo <= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{orderNo}-{generation}")
        : string.Create(CultureInfo.InvariantCulture, $"{orderNo}-P{parcelNo}-{generation}");

    /// <param name="payType">The account's default (3 = 月结, how merchants usually ship).</param>
    public static WaybillRequest Request(Order order, Warehouse warehouse, string orderCode, int payType, string serviceType) => new(
        OrderCode: orderCode,
        ShipperCode: null,
        PayType: payType,
        ExpType: int.TryParse(serviceType, NumberStyles.None, CultureInfo.InvariantCulture, out var exp) && exp > 0 ? exp : 1,
        Sender: Sender(warehouse),
        Receiver: new Party(order.ReceiverName, order.ReceiverPhone, null, order.Province, order.City, order.District, order.AddressDetail, order.Postcode),
        Commodities: [.. order.Lines.OrderBy(l => l.LineNo).Take(20).Select(l => new Commodity(l.Name, l.Quantity, l.UnitPrice, l.WeightKg, l.Sku))],
        WeightKg: order.TotalWeightKg,
        Quantity: 1,
        Remark: null,
        ReturnPrintTemplate: false);

    private static Party Sender(Warehouse w)
    {
        var phone = string.IsNullOrWhiteSpace(w.ContactPhone) ? null : w.ContactPhone;
        var mobile = phone is { Length: 11 } && phone[0] == '1' ? phone : null;
        return new Party(string.IsNullOrWhiteSpace(w.ContactName) ? w.Name : w.ContactName, mobile, mobile is null ? phone : null,
            w.Province, w.City, w.District, w.Address);
    }

    public static LabelData Label(Order order, Warehouse warehouse, WaybillIssued issued, DateTimeOffset printedAt) => new()
    {
        CarrierCode = issued.ShipperCode,
        CarrierName = CarrierName(issued.ShipperCode),
        TrackingNo = issued.TrackingNo,
        MarkDestination = issued.MarkDestination,
        SortingCode = issued.SortingCode,
        Sender = new LabelParty(string.IsNullOrWhiteSpace(warehouse.ContactName) ? warehouse.Name : $"{warehouse.Name}（{warehouse.ContactName}）",
            warehouse.ContactPhone, warehouse.Province, warehouse.City, warehouse.District, warehouse.Address),
        Receiver = new LabelParty(order.ReceiverName, order.ReceiverPhone, order.Province, order.City, order.District, order.AddressDetail),
        ItemSummary = ItemSummary(order.Lines),
        OrderNo = order.OrderNo,
        WeightKg = order.TotalWeightKg,
        PrintedAt = printedAt,
        Remark = order.Remark,
    };

    public static string ItemSummary(IEnumerable<OrderLine> lines)
    {
        var parts = lines.OrderBy(l => l.LineNo).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name} ×{l.Quantity}")).ToList();
        var text = string.Join(", ", parts.Take(4));
        return parts.Count > 4 ? text + " …" : text;
    }

    /// <summary>Pick order: warehouse, then the first line's SKU (where the picker walks to), then the order number.</summary>
    public static string PickKey(Order order, Warehouse warehouse) =>
        $"{warehouse.Code}|{order.Lines.OrderBy(l => l.LineNo).Select(l => l.Sku).FirstOrDefault() ?? ""}|{order.OrderNo}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(LabelData label) => JsonSerializer.Serialize(label, Json);

    public static LabelData Deserialize(string json, DateTimeOffset printedAt) =>
        (JsonSerializer.Deserialize<LabelData>(json, Json) ?? throw new InvalidDataException("Empty label.")) with { PrintedAt = printedAt };
}
