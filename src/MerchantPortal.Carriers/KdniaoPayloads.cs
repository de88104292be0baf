using System.Text.Json.Serialization;

namespace MerchantPortal.Carriers;

// RequestData bodies. Property names ARE the wire keys (PascalCase, §1.4); nulls are omitted when serialized.

internal sealed record PartyDto(
    string Name,
    string? Mobile,
    string? Tel,
    string ProvinceName,
    string CityName,
    string ExpAreaName,
    string Address,
    string? PostCode,
    string? Company)
{
    public static PartyDto From(Party p) =>
        new(p.Name, p.Mobile, p.Tel, p.ProvinceName, p.CityName, p.ExpAreaName, p.Address, p.PostCode, p.Company);
}

internal sealed record CommodityDto(
    string GoodsName,
    string? GoodsCode,
    // §2.6: the key really is "Goodsquantity" with a lower-case q.
    [property: JsonPropertyName("Goodsquantity")] int? GoodsQuantity,
    decimal? GoodsPrice,
    decimal? GoodsWeight,
    string? GoodsDesc,
    decimal? GoodsVol)
{
    public static CommodityDto From(Commodity c) =>
        new(c.GoodsName, c.GoodsCode, c.Quantity, c.Price, c.WeightKg, c.Description, c.VolumeM3);

    public static IReadOnlyList<CommodityDto> From(IReadOnlyList<Commodity> items) => [.. items.Select(From)];
}

/// <summary>1002 / 8001 (§2.2, §2.3).</summary>
internal sealed record TrackQueryDto(string ShipperCode, string LogisticCode, string? CustomerName);

/// <summary>8008 (§2.4).</summary>
internal sealed record SubscribeDto(string ShipperCode, string LogisticCode, string Callback, string? OrderCode, string? CustomerName);

/// <summary>1007 (§2.6).</summary>
internal sealed record WaybillDto(
    string OrderCode,
    string ShipperCode,
    string? CustomerName,
    string? CustomerPwd,
    string? MonthCode,
    string? SendSite,
    string? SendStaff,
    int PayType,
    int ExpType,
    decimal? Weight,
    int Quantity,
    string? Remark,
    int IsReturnPrintTemplate,
    PartyDto Sender,
    PartyDto Receiver,
    IReadOnlyList<CommodityDto> Commodity);

/// <summary>1147 (§2.7): the number goes in ExpNo, not LogisticCode.</summary>
internal sealed record CancelWaybillDto(string ShipperCode, string OrderCode, string ExpNo, string? CustomerName, string? CustomerPwd);

/// <summary>1801 in the 1001 shape (§2.8, 1801's own field list is unconfirmed).</summary>
internal sealed record PickupDto(
    string OrderCode,
    string ShipperCode,
    int PayType,
    int ExpType,
    string? MonthCode,
    PartyDto Sender,
    PartyDto Receiver,
    IReadOnlyList<CommodityDto> Commodity,
    decimal? Weight,
    int Quantity,
    string? Remark,
    string StartDate,
    string EndDate);

/// <summary>1802 (§2.8).</summary>
internal sealed record CancelPickupDto(string ShipperCode, string OrderCode, string? LogisticCode, string? Reason);

/// <summary>2002 (§2.9).</summary>
internal sealed record RecogniseDto(string LogisticCode);

/// <summary>6001 (§2.9).</summary>
internal sealed record ParseAddressDto(string Content);
