namespace MerchantPortal.Web.Features.Orders;

/// <summary>Who sends a shop's orders: its own sender, when it has one, at its warehouse.</summary>
public static class ShopSender
{
    /// <summary>
    /// The warehouse as the waybill and label see it for an order of <paramref name="shop"/>: the shop's sender name,
    /// phone and address instead of the warehouse's contact when the shop has a sender; a copy, never saved (code,
    /// id and carrier account stay the warehouse's, for the pick order and the account choice).
    /// </summary>
    public static Warehouse ShipFrom(Warehouse warehouse, Shop? shop) =>
        shop is null || string.IsNullOrWhiteSpace(shop.SenderName)
            ? warehouse
            : new Warehouse
            {
                Id = warehouse.Id,
                Code = warehouse.Code,
                Name = shop.SenderName,
                Province = shop.SenderProvince,
                City = shop.SenderCity,
                District = shop.SenderDistrict,
                Address = shop.SenderAddress,
                ContactName = "",
                ContactPhone = shop.SenderPhone,
                DefaultCarrierAccountId = warehouse.DefaultCarrierAccountId,
                Active = warehouse.Active,
            };
}
