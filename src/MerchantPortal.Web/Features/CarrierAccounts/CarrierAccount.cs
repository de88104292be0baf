using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.CarrierAccounts;

/// <summary>Where a carrier account's calls go.</summary>
public enum CarrierEnvironment
{
    /// <summary>The carrier sandbox hosted by this portal (/sandbox/kdniao), always over real HTTP.</summary>
    Sandbox,
    /// <summary>The real aggregator (https://api.kdniao.com).</summary>
    Production,
    /// <summary>Any other base URL (a sandbox in its own process, a proxy, the aggregator's test host).</summary>
    Custom,
}

/// <summary>
/// Aggregator credentials (EBusinessID + AppKey) plus the carrier's e-waybill account (carrier-protocol.md §2.6).
/// Secrets are stored only encrypted with ASP.NET Data Protection (keys in the database, shared by instances)
/// and are never sent back to a browser: pages show when they were set.
/// </summary>
public sealed class CarrierAccount
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public CarrierEnvironment Environment { get; set; }
    public string? CustomBaseUrl { get; set; }
    public required string EBusinessId { get; set; }
    public required string AppKeyProtected { get; set; }
    public DateTime AppKeySetAtUtc { get; set; }
    /// <summary>Carrier code (carrier-protocol.md §5), e.g. ZTO, SF.</summary>
    public required string ShipperCode { get; set; }
    public string? CustomerName { get; set; }
    public string? CustomerPwdProtected { get; set; }
    public DateTime? CustomerPwdSetAtUtc { get; set; }
    public string? MonthCode { get; set; }
    public string? SendSite { get; set; }
    public string? SendStaff { get; set; }
    /// <summary>ExpType sent with 1007 (1 = standard express; carrier-specific products otherwise).</summary>
    public int DefaultServiceType { get; set; } = 1;
    /// <summary>PayType: 1 sender pays, 2 receiver pays, 3 monthly account, 4 third party.</summary>
    public int DefaultPayType { get; set; } = 3;
    /// <summary>Calls a day the merchant's plan allows; 0 = no limit known.</summary>
    public int DailyQuota { get; set; }
    /// <summary>The aggregator's per-second limit for this account; the gateway never sends faster.</summary>
    public int RequestsPerSecond { get; set; } = 20;
    public bool IsDisabled { get; set; }
    /// <summary>The account used when a batch or API call names none (one at most).</summary>
    public bool IsDefault { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public DateTime? LastSuccessAtUtc { get; set; }
    public DateTime? LastFailureAtUtc { get; set; }
    public string? LastFailureReason { get; set; }
    /// <summary>Optimistic concurrency: two Admins editing at once, the second is told.</summary>
    public Guid Version { get; set; }
}

/// <summary>Calls and failures of one account in one UTC hour: the health numbers (error rate 24 h, calls today).</summary>
public sealed class CarrierCallStat
{
    public int CarrierAccountId { get; set; }
    public DateTime HourUtc { get; set; }
    public int Calls { get; set; }
    public int Failures { get; set; }
}

internal sealed class CarrierAccountConfiguration : IEntityTypeConfiguration<CarrierAccount>
{
    public void Configure(EntityTypeBuilder<CarrierAccount> b)
    {
        b.ToTable("CarrierAccounts");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Environment).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.CustomBaseUrl).HasMaxLength(500);
        b.Property(x => x.EBusinessId).HasMaxLength(64);
        b.Property(x => x.AppKeyProtected).HasMaxLength(1000);
        b.Property(x => x.ShipperCode).HasMaxLength(20);
        b.Property(x => x.CustomerName).HasMaxLength(100);
        b.Property(x => x.CustomerPwdProtected).HasMaxLength(1000);
        b.Property(x => x.MonthCode).HasMaxLength(100);
        b.Property(x => x.SendSite).HasMaxLength(100);
        b.Property(x => x.SendStaff).HasMaxLength(100);
        b.Property(x => x.LastFailureReason).HasMaxLength(500);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Name).IsUnique();
    }
}

internal sealed class CarrierCallStatConfiguration : IEntityTypeConfiguration<CarrierCallStat>
{
    public void Configure(EntityTypeBuilder<CarrierCallStat> b)
    {
        b.ToTable("CarrierCallStats");
        b.HasKey(x => new { x.CarrierAccountId, x.HourUtc });
        b.HasOne<CarrierAccount>().WithMany().HasForeignKey(x => x.CarrierAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
