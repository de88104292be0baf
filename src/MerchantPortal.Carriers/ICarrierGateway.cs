namespace MerchantPortal.Carriers;

/// <summary>
/// The portal's only way to reach carriers (through the Kdniao aggregator protocol, carrier-protocol.md).
/// Every method returns a result value; only cancellation of <c>ct</c> throws.
/// </summary>
public interface ICarrierGateway
{
    /// <summary>1007. Idempotent by OrderCode (a repeat answers 106 → <see cref="WaybillIssued.Replayed"/>).</summary>
    Task<CarrierResult<WaybillIssued>> CreateWaybillAsync(CarrierAccountContext account, WaybillRequest request, CancellationToken ct = default);

    /// <summary>1147. Only before pickup; the OrderCode stays burned (§2.7).</summary>
    /// <param name="shipperCode">The carrier the waybill was issued for (<see cref="WaybillIssued.ShipperCode"/>); null = the account's.
    /// §2.7: 1147 names the waybill's ShipperCode, which differs from the account's when the 1007 request named another carrier.</param>
    Task<CarrierResult> CancelWaybillAsync(CarrierAccountContext account, string orderCode, string trackingNo, string? shipperCode = null, CancellationToken ct = default);

    /// <summary>8001, falling back to 1002 when the account has not opened / cannot use 8001.</summary>
    Task<CarrierResult<TrackingSnapshot>> TrackAsync(CarrierAccountContext account, string shipperCode, string trackingNo, string? customerName = null, CancellationToken ct = default);

    /// <summary>8008 (pushes arrive as RequestType 102, see <see cref="KdniaoPush"/>).</summary>
    Task<CarrierResult<SubscriptionAccepted>> SubscribeAsync(CarrierAccountContext account, string shipperCode, string trackingNo, Uri callback, string? orderCode = null, string? customerName = null, CancellationToken ct = default);

    /// <summary>1801, one attempt (not retried blindly); repeating with the same OrderCode is safe.</summary>
    Task<CarrierResult<PickupBooked>> BookPickupAsync(CarrierAccountContext account, PickupRequest request, CancellationToken ct = default);

    /// <summary>1802, one attempt.</summary>
    Task<CarrierResult> CancelPickupAsync(CarrierAccountContext account, string shipperCode, string orderCode, string? trackingNo, string? reason, CancellationToken ct = default);

    /// <summary>2002. An empty list means "not recognised".</summary>
    Task<CarrierResult<IReadOnlyList<CarrierCandidate>>> RecogniseCarrierAsync(CarrierAccountContext account, string trackingNo, CancellationToken ct = default);

    /// <summary>6001.</summary>
    Task<CarrierResult<ParsedAddress>> ParseAddressAsync(CarrierAccountContext account, string text, CancellationToken ct = default);
}
