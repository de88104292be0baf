using System.Security.Cryptography;
using System.Text;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>An order's outgoing parcel, or a return parcel coming back.</summary>
public enum ShipmentDirection
{
    Forward,
    Reverse,
}

/// <summary>How tracking information reached the portal.</summary>
public enum TrackingSource
{
    Push,
    Poll,
}

/// <summary>
/// One parcel the portal follows. Written only by the Tracking feature (<see cref="TrackingIngest"/>,
/// <see cref="ShipmentService"/>). Times are UTC <see cref="DateTime"/>s: SQLite cannot order by DateTimeOffset.
/// </summary>
public sealed class Shipment
{
    public long Id { get; set; }
    /// <summary>Null for a parcel registered by hand without an order in the portal.</summary>
    public long? OrderId { get; set; }
    public ShipmentDirection Direction { get; set; }
    public int CarrierAccountId { get; set; }
    public required string ShipperCode { get; set; }
    public required string TrackingNo { get; set; }
    public ShipmentStatus Status { get; set; }
    public string? RawState { get; set; }
    public string? RawStateEx { get; set; }
    public string? Location { get; set; }
    public DateTime? LastEventAtUtc { get; set; }
    public DateTime? LastCheckedAtUtc { get; set; }
    /// <summary>Null = never polled again (a final state). Indexed: the poll sweep reads the due ones.</summary>
    public DateTime? NextCheckAtUtc { get; set; }
    public TrackingSource? LastSource { get; set; }
    /// <summary>When the 8008 subscription was accepted; pushes are then expected and polling only reconciles.</summary>
    public DateTime? SubscribedAtUtc { get; set; }
    /// <summary>The last 8008 attempt, accepted or not: a failed subscription is retried from it (TrackingPollJob).</summary>
    public DateTime? SubscribeAttemptedAtUtc { get; set; }
    public DateTime? EstimatedDeliveryUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    // Facts kept for monitoring, returns and KPIs (maintained by TrackingIngest; provinces and service set at registration).
    /// <summary>The return this parcel carries back (Direction = Reverse).</summary>
    public long? ReturnId { get; set; }
    public string? ServiceType { get; set; }
    public int? WarehouseId { get; set; }
    public string? OriginProvince { get; set; }
    public string? DestinationProvince { get; set; }
    /// <summary>Carrier time of the earliest scan: transit starts here.</summary>
    public DateTime? FirstScanAtUtc { get; set; }
    /// <summary>Carrier time of the first out-for-delivery scan.</summary>
    public DateTime? OutForDeliveryAtUtc { get; set; }
    /// <summary>Carrier time of the scan that made it Delivered.</summary>
    public DateTime? DeliveredAtUtc { get; set; }
    /// <summary>When the portal learned of a final state. Indexed: rollups read newly final shipments by it.</summary>
    public DateTime? FinalAtUtc { get; set; }
    /// <summary>When the portal saw the status change last (portal time, not carrier time).</summary>
    public DateTime? StatusChangedAtUtc { get; set; }
    /// <summary>The delivery date promised to the customer (<see cref="IDeliveryPromise"/>), fixed at registration.</summary>
    public DateTime? PromisedByUtc { get; set; }
    /// <summary>Out-for-delivery scans seen: 1 at delivery means delivered at the first attempt.</summary>
    public int DeliveryAttempts { get; set; }
    /// <summary>Carrier time of the first scan in the destination city (StateEx 201): the last stage before delivery.</summary>
    public DateTime? AtDestinationCityAtUtc { get; set; }

    // The portal's own delivery-date prediction (docs/delivery-prediction.md), re-made at each scan; the carrier's own
    // estimate stays in EstimatedDeliveryUtc beside it. Null until the parcel is picked up, and for final parcels the
    // last prediction made before the end is kept (it is what accuracy is measured on).
    /// <summary>The most likely delivery time.</summary>
    public DateTime? PredictedDeliveryUtc { get; set; }
    /// <summary>The window's start: few parcels of the lane arrive earlier.</summary>
    public DateTime? PredictedEarliestUtc { get; set; }
    /// <summary>The window's end: few parcels of the lane arrive later. "Will be late" compares it with the promise.</summary>
    public DateTime? PredictedLatestUtc { get; set; }
    /// <summary>When the current prediction was made (portal time).</summary>
    public DateTime? PredictedAtUtc { get; set; }
    /// <summary>The stage the current prediction started from.</summary>
    public DeliveryStage? PredictedFromStage { get; set; }
    /// <summary>How coarse a lane's history the current prediction used.</summary>
    public LaneLevel? PredictedFromLane { get; set; }

    /// <summary>Optimistic concurrency: a push and a poll ingesting at once; the loser re-reads and retries.</summary>
    public Guid Version { get; set; }
}

/// <summary>Where a parcel is on its way, as far as a prediction cares: the remaining time differs from each.</summary>
public enum DeliveryStage
{
    PickedUp,
    InTransit,
    AtDestinationCity,
    OutForDelivery,
}

/// <summary>
/// The lane whose history made a prediction, finest first: the finest with enough delivered parcels is used
/// (carrier + service + origin + destination, then carrier + origin + destination, carrier + destination, carrier,
/// every carrier).
/// </summary>
public enum LaneLevel
{
    Service,
    CarrierLane,
    CarrierDestination,
    Carrier,
    AllCarriers,
}

/// <summary>
/// One prediction as it was made, kept so accuracy can be measured afterwards against the real delivery: the one made
/// at pickup and each one re-made at a later scan, with the carrier's own estimate at that moment beside it.
/// Written only by Tracking.
/// </summary>
public sealed class DeliveryPrediction
{
    public long Id { get; set; }
    public long ShipmentId { get; set; }
    public DateTime MadeAtUtc { get; set; }
    public DeliveryStage Stage { get; set; }
    public LaneLevel Lane { get; set; }
    /// <summary>Delivered parcels of the lane the prediction was drawn from.</summary>
    public int Sample { get; set; }
    public DateTime ExpectedUtc { get; set; }
    public DateTime EarliestUtc { get; set; }
    public DateTime LatestUtc { get; set; }
    /// <summary>The carrier's own estimate when the prediction was made, measured the same way.</summary>
    public DateTime? CarrierEstimateUtc { get; set; }
}

/// <summary>One carrier scan of a shipment, stored once whatever number of pushes and polls repeat it.</summary>
public sealed class TrackingEvent
{
    public long Id { get; set; }
    public long ShipmentId { get; set; }
    public DateTime TimeUtc { get; set; }
    public required string Description { get; set; }
    public string? Location { get; set; }
    public string? RawAction { get; set; }
    public ShipmentStatus Status { get; set; }
    public TrackingSource Source { get; set; }
    /// <summary>
    /// Hash of (time, description): pushes carry the full history every time (carrier-protocol.md §2.5 全量推送)
    /// and polls overlap them, so the same scan arrives many times; a unique index keeps one.
    /// </summary>
    public required string DedupeKey { get; set; }
    /// <summary>
    /// Dated more than <see cref="TrackingOptions.FutureScanTolerance"/> after it arrived: shown to staff with a warning,
    /// never used for a status or told to a customer.
    /// </summary>
    public bool DatedInFuture { get; set; }

    public static string KeyOf(DateTime timeUtc, string description)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(timeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + description.Trim()));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 16));
    }
}

internal sealed class ShipmentConfiguration : IEntityTypeConfiguration<Shipment>
{
    public void Configure(EntityTypeBuilder<Shipment> b)
    {
        b.ToTable("Shipments");
        b.Property(x => x.Direction).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.TrackingNo).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.RawState).HasMaxLength(16);
        b.Property(x => x.RawStateEx).HasMaxLength(16);
        b.Property(x => x.Location).HasMaxLength(100);
        b.Property(x => x.LastSource).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.ServiceType).HasMaxLength(20);
        b.Property(x => x.OriginProvince).HasMaxLength(20);
        b.Property(x => x.DestinationProvince).HasMaxLength(20);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.ShipperCode, x.TrackingNo }).IsUnique();
        // Pushes and the API look parcels up by number alone.
        b.HasIndex(x => x.TrackingNo);
        b.HasIndex(x => x.NextCheckAtUtc);
        b.HasIndex(x => x.OrderId);
        b.HasIndex(x => x.ReturnId);
        b.HasIndex(x => new { x.FinalAtUtc, x.Id });
        // The shipments list pages by status newest first.
        b.HasIndex(x => new { x.Status, x.Id });
        b.Property(x => x.PredictedFromStage).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.PredictedFromLane).HasConversion<string>().HasMaxLength(24);
        // The shipments list sorts by the predicted date.
        b.HasIndex(x => new { x.PredictedDeliveryUtc, x.Id });
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TrackingEventConfiguration : IEntityTypeConfiguration<TrackingEvent>
{
    public void Configure(EntityTypeBuilder<TrackingEvent> b)
    {
        b.ToTable("TrackingEvents");
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.Location).HasMaxLength(100);
        b.Property(x => x.RawAction).HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(8);
        b.Property(x => x.DedupeKey).HasMaxLength(32);
        b.HasIndex(x => new { x.ShipmentId, x.DedupeKey }).IsUnique();
        b.HasIndex(x => new { x.ShipmentId, x.TimeUtc });
        b.HasOne<Shipment>().WithMany().HasForeignKey(x => x.ShipmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeliveryPredictionConfiguration : IEntityTypeConfiguration<DeliveryPrediction>
{
    public void Configure(EntityTypeBuilder<DeliveryPrediction> b)
    {
        b.ToTable("DeliveryPredictions");
        b.Property(x => x.Stage).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Lane).HasConversion<string>().HasMaxLength(24);
        b.HasIndex(x => new { x.ShipmentId, x.MadeAtUtc });
        // Accuracy over the last 30 days reads predictions by when they were made.
        b.HasIndex(x => x.MadeAtUtc);
        b.HasOne<Shipment>().WithMany().HasForeignKey(x => x.ShipmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
