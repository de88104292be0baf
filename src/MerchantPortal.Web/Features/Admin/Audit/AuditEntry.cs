using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Admin.Audit;

/// <summary>One sensitive action: who, when, what. Never a secret: callers pass descriptions, not values.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Details { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditLog");
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(100);
        b.Property(x => x.EntityType).HasMaxLength(100);
        b.Property(x => x.EntityId).HasMaxLength(100);
        b.Property(x => x.Details).HasMaxLength(2000);
        b.HasIndex(x => x.AtUtc);
    }
}

public static class AuditExtensions
{
    /// <summary>Adds an audit row to the same unit of work as the change it describes, so both commit or neither.</summary>
    public static void Audit(this PortalDbContext db, DateTime nowUtc, string actor, string action, string entityType, string? entityId, string? details = null) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            AtUtc = nowUtc,
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Details = details is { Length: > 2000 } ? details[..2000] : details,
        });
}
