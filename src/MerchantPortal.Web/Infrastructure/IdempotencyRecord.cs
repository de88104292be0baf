using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// The first answer to a POST sent with an Idempotency-Key, replayed for every repeat of that key. Until the answer
/// is stored (<see cref="Completed"/>) the record is a reservation held by one running request under a lease
/// (<see cref="LeaseUntilUtc"/>, <see cref="LeaseToken"/>); a lapsed lease means that request died.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    /// <summary>Who sent it (the API key's subject): keys are scoped per client.</summary>
    public required string ClientId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of method, path and body: the same key with another request is a client bug (422).</summary>
    public required string Fingerprint { get; set; }
    /// <summary>When the request that answers (the first one, or the one that took the key over) began; the purge counts from it.</summary>
    public DateTime CreatedAtUtc { get; set; }
    public bool Completed { get; set; }
    /// <summary>Which request holds the reservation: its answer, renewal and release all match on it, so a request that
    /// lost the key (it stalled past the lease and another took over) can no longer touch the record.</summary>
    public Guid? LeaseToken { get; set; }
    /// <summary>Until when the holder is presumed alive; it renews the lease while it runs. Null on records made before leases: lapsed.</summary>
    public DateTime? LeaseUntilUtc { get; set; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyRecords");
        b.Property(x => x.ClientId).HasMaxLength(128);
        b.Property(x => x.Key).HasMaxLength(128);
        b.Property(x => x.Fingerprint).HasMaxLength(64);
        b.Property(x => x.ContentType).HasMaxLength(200);
        b.Property(x => x.Location).HasMaxLength(500);
        b.HasIndex(x => new { x.ClientId, x.Key }).IsUnique();
        b.HasIndex(x => x.CreatedAtUtc);
    }
}
