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
    public const string MissingWeight = "MissingWeight";
    public const string NoWarehouse = "NoWarehouse";
    public const string LiveWaybill = "LiveWaybill";
    public const string CarrierRejected = "CarrierRejected";
    public const string CarrierUnavailable = "CarrierUnavailable";

    /// <summary>Problems the user can fix in place (edit the order) before retrying.</summary>
    public static bool IsFixable(string? code) => code is IncompleteAddress or MissingWeight or CarrierRejected;
}

/// <summary>What pre-flight found for one order: null <see cref="Reason"/> = ready for a waybill.</summary>
public sealed record PreflightResult(long OrderId, string OrderNo, string? Reason, string? Detail);

/// <summary>
/// Checks run before a carrier is asked (and shown before a batch starts, so problems are fixed first): the order
/// is Approved, has a complete address, a weight, a warehouse to ship from, and no live waybill.
/// </summary>
public static class WaybillPreflight
{
    public static PreflightResult Check(Order order, Warehouse? warehouse, Waybill? live)
    {
        string? reason = null;
        string? detail = null;
        if (live is not null)
        {
            (reason, detail) = (WaybillReasons.LiveWaybill, live.TrackingNo);
        }
        else if (order.Status != OrderStatus.Approved)
        {
            (reason, detail) = (WaybillReasons.NotApproved, order.Status.ToString());
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
            var live = await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null && chunk.Contains(w.OrderId)).ToDictionaryAsync(w => w.OrderId, ct);
            results.AddRange(orders.Select(o => Check(o, Pick(warehouses, shops, o), live.GetValueOrDefault(o.Id))));
        }
        return results;
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
    public static string OrderCode(string orderNo, int generation) => string.Create(CultureInfo.InvariantCulture, $"{orderNo}-{generation}");

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
