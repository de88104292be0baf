using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Picking;

public sealed record PackingSlipLine(string? Sku, string Name, int Quantity);

/// <summary>
/// A packing slip (发货单): what goes in one parcel, for the box. The receiver's phone is masked as on the label
/// (the slip travels inside the parcel the label is stuck on, so it shows no more than the label).
/// </summary>
/// <param name="Brand">The shop's name; else the merchant's brand (the tracking page's brand name); else the warehouse's name.</param>
/// <param name="OrderNo">The order the parcel is for (a merged parcel's lead); printed as Code 128 for the packing station.</param>
/// <param name="MergedOrderNos">合并发货: the other orders in the parcel.</param>
/// <param name="Remarks">The orders' remarks (buyer's message or seller's note), phones masked.</param>
public sealed record PackingSlip(string Brand, string OrderNo, IReadOnlyList<string> MergedOrderNos, int ParcelNo, int ParcelCount, string CarrierName,
    string TrackingNo, string ReceiverName, string ReceiverPhone, string ReceiverAddress, IReadOnlyList<PackingSlipLine> Lines,
    IReadOnlyList<string> Remarks, string? WaveCode, DateTimeOffset PrintedAt)
{
    public int Units => Lines.Sum(l => l.Quantity);
}

internal static class PackingSlips
{
    public static PackingSlip Of(BatchParcel p, string? merchantBrand, string? waveCode, DateTimeOffset printedAt)
    {
        var brand = !string.IsNullOrWhiteSpace(p.Shop?.Name) ? p.Shop.Name.Trim()
            : !string.IsNullOrWhiteSpace(merchantBrand) ? merchantBrand.Trim()
            : p.Warehouse?.Name ?? "";
        var o = p.Order;
        var address = string.Concat(o.Province, o.City == o.Province ? "" : o.City, o.District, o.AddressDetail);
        return new PackingSlip(brand, o.OrderNo, [.. p.Orders.Skip(1).Select(f => f.OrderNo)], p.Waybill.ParcelNo, Math.Max(1, o.ParcelCount),
            WaybillContent.CarrierName(p.Waybill.ShipperCode), p.Waybill.TrackingNo, o.ReceiverName, Pii.MaskPhone(o.ReceiverPhone), address,
            [.. p.Content.Lines.OrderBy(l => l.LineNo).Select(l => new PackingSlipLine(l.Sku, l.Name, l.Quantity))],
            [.. p.Orders.Select(x => x.Remark).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Pii.MaskPhonesIn(r!.Trim())!)],
            waveCode, printedAt);
    }
}
