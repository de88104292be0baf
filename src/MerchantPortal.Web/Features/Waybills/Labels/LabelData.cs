namespace MerchantPortal.Web.Features.Waybills.Labels;

/// <summary>
/// Everything printed on one 100×150 mm e-waybill label (电子面单). Phones are the full numbers: the renderers
/// mask the receiver's phone themselves (138****5678), so no caller can forget to.
/// </summary>
public sealed record LabelData
{
    /// <summary>Carrier code as the gateway knows it, e.g. "ZTO".</summary>
    public required string CarrierCode { get; init; }

    /// <summary>Carrier name as printed in the top band, e.g. "中通快递".</summary>
    public required string CarrierName { get; init; }

    /// <summary>Tracking number (运单号); printed as Code 128 and as text.</summary>
    public required string TrackingNo { get; init; }

    /// <summary>大头笔 from the carrier (e.g. "杭州 310-008"); null when the carrier returned none.</summary>
    public string? MarkDestination { get; init; }

    /// <summary>Sorting / package-centre code (集包地 or 三段码) from the carrier; null when none.</summary>
    public string? SortingCode { get; init; }

    public required LabelParty Sender { get; init; }

    public required LabelParty Receiver { get; init; }

    /// <summary>Short item summary, e.g. "T恤 ×2, 帆布鞋 ×1".</summary>
    public required string ItemSummary { get; init; }

    public required string OrderNo { get; init; }

    public decimal WeightKg { get; init; }

    /// <summary>When the label was printed, in the warehouse's local time (printed as given, with no conversion).</summary>
    public required DateTimeOffset PrintedAt { get; init; }

    /// <summary>Cash on delivery (代收货款) in yuan; null when the parcel is not COD.</summary>
    public decimal? CodAmount { get; init; }

    /// <summary>Free remark (备注) printed under the items; null when none.</summary>
    public string? Remark { get; init; }
}

/// <summary>Sender (寄) or receiver (收) of a parcel, with the full phone number.</summary>
public sealed record LabelParty(
    string Name,
    string Phone,
    string Province,
    string City,
    string District,
    string Address)
{
    /// <summary>Province, city, district and street address as one line, without repeating a city-level province (北京市北京市).</summary>
    public string FullAddress =>
        string.Concat(Province, City == Province ? "" : City, District, Address);
}
