namespace MerchantPortal.Carriers;

/// <summary>A sender or receiver (carrier-protocol.md §2.6): names include 省/市/区 as the carriers expect.</summary>
public sealed record Party(
    string Name,
    string? Mobile,
    string? Tel,
    string ProvinceName,
    string CityName,
    string ExpAreaName,
    string Address,
    string? PostCode = null,
    string? Company = null);

/// <summary>One line of goods (§2.6 <c>Commodity[]</c>).</summary>
public sealed record Commodity(
    string GoodsName,
    int? Quantity = null,
    decimal? Price = null,
    decimal? WeightKg = null,
    string? GoodsCode = null,
    string? Description = null,
    decimal? VolumeM3 = null);

/// <summary>
/// An e-waybill request (1007, §2.6). <paramref name="OrderCode"/> is the idempotency key: the aggregator answers a
/// repeat with ResultCode 106 and the original number, so a retry never issues a second waybill.
/// </summary>
/// <param name="ShipperCode">Null = the account's carrier.</param>
/// <param name="PayType">1 现付, 2 到付, 3 月结, 4 第三方支付.</param>
/// <param name="ExpType">Carrier product; 1 = standard.</param>
public sealed record WaybillRequest(
    string OrderCode,
    string? ShipperCode,
    int PayType,
    int ExpType,
    Party Sender,
    Party Receiver,
    IReadOnlyList<Commodity> Commodities,
    decimal? WeightKg,
    int Quantity,
    string? Remark,
    bool ReturnPrintTemplate);

/// <param name="Replayed">True when the aggregator re-returned an earlier waybill for this OrderCode (ResultCode 106).</param>
public sealed record WaybillIssued(
    string OrderCode,
    string TrackingNo,
    string ShipperCode,
    string? MarkDestination,
    string? SortingCode,
    string? OriginName,
    string? DestinationName,
    string? PrintTemplate,
    bool Replayed);

/// <summary>Current tracking state of one parcel.</summary>
/// <param name="Status">Normalized from StateEx when present, else State.</param>
/// <param name="Events">Oldest first.</param>
public sealed record TrackingSnapshot(
    string ShipperCode,
    string TrackingNo,
    ShipmentStatus Status,
    string? RawState,
    string? RawStateEx,
    string? Location,
    DateTimeOffset? EstimatedDelivery,
    IReadOnlyList<TrackingEvent> Events);

public sealed record TrackingEvent(
    DateTime TimeUtc,
    string Description,
    string? Location,
    string? RawAction,
    ShipmentStatus Status);

/// <summary>A door pickup (1801 in the 1001 shape, §2.8); OrderCode is the idempotency key.</summary>
/// <param name="Sender">The customer, where the courier picks up.</param>
/// <param name="Receiver">The warehouse.</param>
public sealed record PickupRequest(
    string OrderCode,
    string? ShipperCode,
    Party Sender,
    Party Receiver,
    DateTime WindowStartUtc,
    DateTime WindowEndUtc,
    IReadOnlyList<Commodity> Commodities,
    decimal? WeightKg,
    string? Remark);

/// <param name="AlreadyExisted">The aggregator already had this OrderCode (ResultCode 105 "已经存在"): nothing new was booked.</param>
public sealed record PickupBooked(
    string OrderCode,
    string? TrackingNo,
    string? PickupCode,
    string? CourierName,
    string? CourierPhone,
    bool AlreadyExisted);

public sealed record CarrierCandidate(string ShipperCode, string ShipperName);

public sealed record ParsedAddress(
    string? ProvinceName,
    string? CityName,
    string? DistrictName,
    string? StreetName,
    string? Address,
    string? Name,
    string? Mobile);

public sealed record SubscriptionAccepted(DateTimeOffset? EstimatedDelivery);
