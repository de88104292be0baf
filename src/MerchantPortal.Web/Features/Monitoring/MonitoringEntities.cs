using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// What went wrong with a parcel (product.md §3). One open case per shipment whatever its type: a more specific cause
/// changes the open case's type (<see cref="MonitoringRules.Rank"/>, ADR 0020).
/// </summary>
public enum ExceptionType
{
    NoFirstScan,
    NoUpdate,
    OutForDeliveryStalled,
    FailedDelivery,
    Rejected,
    LockerNotCollected,
    ReturningToSender,
    PromisedDateMissed,
    /// <summary>A return's booked door pickup passed its window without the courier (Returns' no-show sweep).</summary>
    PickupNoShow,
    /// <summary>A return's refund was refused or failed at the payment provider (Returns' refund outcome; the reason is its first note).</summary>
    RefundFailed,
    /// <summary>
    /// The portal's own prediction says the parcel will arrive after the promise, while the promise still lies ahead: a
    /// case before the date is missed, closed by itself when the prediction comes back inside the promise.
    /// </summary>
    WillMissPromise,
}

/// <summary>Why a case was resolved, chosen from a fixed list so the queue's outcomes can be counted; the free text adds detail.</summary>
public enum ResolutionCode
{
    Delivered,
    Reshipped,
    Refunded,
    CarrierFound,
    CustomerContacted,
    FalseAlarm,
    Other,
}

/// <summary>Why the prediction says a parcel will miss its promise (a <see cref="ExceptionType.WillMissPromise"/> case's cause).</summary>
public enum LateCause
{
    /// <summary>No scan for a long while: the parcel sits at a hub or in a van.</summary>
    StuckAtHub,
    /// <summary>It moves, but the lane is slower than the promise allowed.</summary>
    LaneSlower,
}

public enum ExceptionSeverity
{
    Low,
    Medium,
    High,
}

public enum CaseStatus
{
    Open,
    InProgress,
    Resolved,
}

/// <summary>What happened on a case: the comments and the actions, in order.</summary>
public enum CaseNoteKind
{
    Opened,
    Comment,
    Assigned,
    CarrierContacted,
    CustomerNotified,
    ReshipRequested,
    ReturnRequested,
    Resolved,
    AutoResolved,
    /// <summary>A more specific cause took over the open case; the text is "From → To" (type names).</summary>
    CauseChanged,
}

/// <summary>
/// A monitoring rule. Null scope fields mean "any". For a shipment the most specific enabled-or-not rule of a type
/// decides (carrier outweighs destination, destination outweighs origin), so an Admin can loosen, tighten or switch
/// off one rule for one carrier or lane without touching the default.
/// </summary>
public sealed class MonitoringRule
{
    public int Id { get; set; }
    public ExceptionType Type { get; set; }
    public string? ShipperCode { get; set; }
    public string? OriginProvince { get; set; }
    public string? DestinationProvince { get; set; }
    /// <summary>Hours the condition must last before a case opens; status-triggered types open at once and ignore it.</summary>
    public int ThresholdHours { get; set; }
    public ExceptionSeverity Severity { get; set; }
    /// <summary>How long Ops have to handle a case once it is open (its due time).</summary>
    public int DueWithinHours { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Seeded defaults: editable and can be switched off, never deleted.</summary>
    public bool IsBuiltIn { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>Carrier 4, destination 2, origin 1: the highest score among matching rules wins; ties by lower id.</summary>
    public int Specificity => (ShipperCode is null ? 0 : 4) + (DestinationProvince is null ? 0 : 2) + (OriginProvince is null ? 0 : 1);

    public bool IsStatusTriggered => MonitoringRules.StatusTriggered.Contains(Type);
}

/// <summary>
/// One exception on one shipment (or, for a pickup no-show, on one return that has no parcel yet), from opening to
/// resolution. Written by <see cref="ExceptionService"/>, the monitor and <see cref="ReturnCases"/>.
/// </summary>
public sealed class ExceptionCase
{
    public long Id { get; set; }
    /// <summary>Null for a case about a return whose parcel does not exist (a pickup the courier never came for).</summary>
    public long? ShipmentId { get; set; }
    public long? OrderId { get; set; }
    /// <summary>The return the case is about (pickup no-show); null for shipment cases.</summary>
    public long? ReturnId { get; set; }
    /// <summary>Denormalized for the queue's filters and display (a shipment's number and carrier never change).</summary>
    public string? TrackingNo { get; set; }
    public required string ShipperCode { get; set; }
    public ExceptionType Type { get; set; }
    public ExceptionSeverity Severity { get; set; }
    public CaseStatus Status { get; set; }
    public int? RuleId { get; set; }
    /// <summary>
    /// The fact that triggered the case (last scan, promised date, status change). A resolved case is not reopened for
    /// the same trigger: only a newer trigger (the parcel moved and stalled again) opens a new one.
    /// </summary>
    public DateTime TriggerAtUtc { get; set; }
    public DateTime OpenedAtUtc { get; set; }
    public DateTime DueAtUtc { get; set; }
    public string? AssignedTo { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }
    public string? ResolvedBy { get; set; }
    public string? Resolution { get; set; }
    /// <summary>Why it was resolved (null on cases resolved before codes existed).</summary>
    public ResolutionCode? ResolutionCode { get; set; }
    /// <summary>For a "will miss the promise" case: why the parcel is late.</summary>
    public LateCause? LateCause { get; set; }
    /// <summary>The order's amount when the case opened: what is at stake (null without an order).</summary>
    public decimal? OrderValue { get; set; }
    /// <summary>The customer can already see the problem (the tracking page or a message shows it), see <see cref="CaseUrgency"/>.</summary>
    public bool CustomerVisible { get; set; }
    /// <summary>The queue's urgency as a time: earlier is more urgent (<see cref="CaseUrgency.Key"/>); stored so every provider sorts in SQL.</summary>
    public DateTime UrgentAtUtc { get; set; }
    public bool ReshipRequested { get; set; }
    public bool ReturnRequested { get; set; }
    /// <summary>The replacement order "start a reship" created (one per case: the action's idempotency key).</summary>
    public long? ReshipOrderId { get; set; }
    /// <summary>The return "start a return" opened from this case.</summary>
    public long? StartedReturnId { get; set; }
    public List<ExceptionCaseNote> Notes { get; set; } = [];
    /// <summary>
    /// The exception.* webhooks of this case. A navigation so EF fills their CaseId when the case is inserted in the
    /// same SaveChanges: the case id is not known before, and the webhook must carry it.
    /// </summary>
    public List<Notifications.OutboxMessage> Webhooks { get; set; } = [];
}

public sealed class ExceptionCaseNote
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public CaseNoteKind Kind { get; set; }
    public string? Text { get; set; }
}

internal sealed class MonitoringRuleConfiguration : IEntityTypeConfiguration<MonitoringRule>
{
    public void Configure(EntityTypeBuilder<MonitoringRule> b)
    {
        b.ToTable("MonitoringRules");
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.OriginProvince).HasMaxLength(20);
        b.Property(x => x.DestinationProvince).HasMaxLength(20);
        b.Ignore(x => x.Specificity);
        b.Ignore(x => x.IsStatusTriggered);
        b.HasData(MonitoringRules.Defaults);
    }
}

internal sealed class ExceptionCaseConfiguration : IEntityTypeConfiguration<ExceptionCase>
{
    public void Configure(EntityTypeBuilder<ExceptionCase> b)
    {
        b.ToTable("ExceptionCases");
        b.Property(x => x.TrackingNo).HasMaxLength(64);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.AssignedTo).HasMaxLength(256);
        b.Property(x => x.ResolvedBy).HasMaxLength(256);
        b.Property(x => x.Resolution).HasMaxLength(1000);
        b.Property(x => x.ResolutionCode).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.LateCause).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.OrderValue).HasPrecision(18, 2);
        // At most one open case per shipment whatever its type (ADR 0020), whatever races between the scan and the
        // observer. Brackets quote the column in both SQL Server and SQLite. "IS NOT NULL": SQL Server's unique index
        // treats NULLs as equal, and return cases have no shipment.
        b.HasIndex(x => x.ShipmentId).IsUnique().HasFilter("[Status] <> 'Resolved' AND [ShipmentId] IS NOT NULL").HasDatabaseName("UX_ExceptionCases_OpenParcel");
        // The queue's default order.
        b.HasIndex(x => new { x.Status, x.UrgentAtUtc });
        // The same for cases about a return: a no-show sweep that runs twice cannot open a second one.
        b.HasIndex(x => new { x.ReturnId, x.Type }).IsUnique().HasFilter("[Status] <> 'Resolved' AND [ReturnId] IS NOT NULL").HasDatabaseName("UX_ExceptionCases_OpenReturn");
        b.HasIndex(x => new { x.ReturnId, x.Type, x.TriggerAtUtc });
        b.HasIndex(x => new { x.ShipmentId, x.Type, x.TriggerAtUtc });
        b.HasIndex(x => new { x.Status, x.Type });
        b.HasIndex(x => x.OrderId);
        b.HasOne<Shipment>().WithMany().HasForeignKey(x => x.ShipmentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Returns.ReturnRequest>().WithMany().HasForeignKey(x => x.ReturnId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.ReshipOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Returns.ReturnRequest>().WithMany().HasForeignKey(x => x.StartedReturnId).OnDelete(DeleteBehavior.Restrict);
        // Unique: the reship action is idempotent per case, and one replacement order answers one case.
        b.HasIndex(x => x.ReshipOrderId).IsUnique().HasFilter("[ReshipOrderId] IS NOT NULL");
        b.HasIndex(x => x.StartedReturnId);
        b.HasMany(x => x.Webhooks).WithOne().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Notes).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExceptionCaseNoteConfiguration : IEntityTypeConfiguration<ExceptionCaseNote>
{
    public void Configure(EntityTypeBuilder<ExceptionCaseNote> b)
    {
        b.ToTable("ExceptionCaseNotes");
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Text).HasMaxLength(2000);
        b.HasIndex(x => x.CaseId);
    }
}
