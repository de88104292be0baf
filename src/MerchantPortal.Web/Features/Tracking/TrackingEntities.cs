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

    /// <summary>Optimistic concurrency: a push and a poll ingesting at once; the loser re-reads and retries.</summary>
    public Guid Version { get; set; }
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
