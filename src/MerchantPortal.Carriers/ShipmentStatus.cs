namespace MerchantPortal.Carriers;

/// <summary>The portal's normalized shipment status (product.md "Shipment status, normalized").</summary>
public enum ShipmentStatus
{
    Pending,
    PickedUp,
    InTransit,
    OutForDelivery,
    AvailableForPickup,
    Delivered,
    Exception,
    Returning,
    Returned,
    Expired,
}

public static class ShipmentStatusExtensions
{
    /// <summary>
    /// Final states end polling and the push stream (product.md: Delivered, Returned and Expired are final;
    /// carrier-protocol.md §3.2: signed 3xx and 406 end the stream).
    /// </summary>
    public static bool IsFinal(this ShipmentStatus s) =>
        s is ShipmentStatus.Delivered or ShipmentStatus.Returned or ShipmentStatus.Expired;
}
