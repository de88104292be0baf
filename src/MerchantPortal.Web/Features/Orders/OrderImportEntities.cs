using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Orders;

public enum ImportStatus
{
    /// <summary>Uploaded and previewed on the page, not started yet.</summary>
    Uploaded,
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One uploaded order file and how far its import got. The table, not Hangfire, says what is left: a job that
/// is lost or runs twice resumes from <see cref="ProcessedRows"/> under a lease (<see cref="LeaseUntilUtc"/>).
/// </summary>
public sealed class OrderImport
{
    public long Id { get; set; }
    public required string FileName { get; set; }
    /// <summary>Where the upload was stored (under the data folder) before the job was enqueued.</summary>
    public required string StoredPath { get; set; }
    public long FileSize { get; set; }
    public ImportStatus Status { get; set; }
    public string? Encoding { get; set; }
    public int ProcessedRows { get; set; }
    public int TotalRows { get; set; }
    public int ImportedOrders { get; set; }
    public int ImportedLines { get; set; }
    public int RejectedRows { get; set; }
    public int ExistingRows { get; set; }
    public int ProgressPercent { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }
    public string? Failure { get; set; }
    /// <summary>The shop the file's orders belong to (chosen on upload or named by the API).</summary>
    public int? ShopId { get; set; }
    /// <summary>The mapping template used (a built-in platform template's or a saved one's name), if any.</summary>
    public string? TemplateName { get; set; }
    /// <summary>The column mapping the import runs with, as JSON (field → file header); null = guessed from the headers.</summary>
    public string? MappingJson { get; set; }
    /// <summary>Rows with no value in any cell (Excel leaves them): skipped, counted, never errors.</summary>
    public int EmptyRows { get; set; }
    /// <summary>Orders imported with masked or encrypted receiver data (no waybill until the real values are given).</summary>
    public int MaskedOrders { get; set; }
}

/// <summary>
/// A saved column mapping (导入模板): picked automatically when a file with the same headers comes again
/// (<see cref="HeaderSignature"/>). The built-in platform templates live in code, not here.
/// </summary>
public sealed class ImportTemplate
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>A hash of the file's normalised header row.</summary>
    public required string HeaderSignature { get; set; }
    /// <summary>Field → file header, as JSON.</summary>
    public required string MappingJson { get; set; }
    public OrderChannel? Platform { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

/// <summary>A rejected row: row as a spreadsheet numbers it (header = 1), the file's column name, the value, why.</summary>
public sealed class OrderImportError
{
    public long Id { get; set; }
    public long ImportId { get; set; }
    public int Row { get; set; }
    public required string Column { get; set; }
    public string? Value { get; set; }
    public required string Reason { get; set; }
    public string? OrderNo { get; set; }
}

internal sealed class OrderImportConfiguration : IEntityTypeConfiguration<OrderImport>
{
    public void Configure(EntityTypeBuilder<OrderImport> b)
    {
        b.ToTable("OrderImports");
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.StoredPath).HasMaxLength(500);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Encoding).HasMaxLength(20);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.Failure).HasMaxLength(1000);
        b.HasIndex(x => x.Status);
        b.Property(x => x.TemplateName).HasMaxLength(100);
        b.Property(x => x.MappingJson).HasMaxLength(4000);
        b.HasOne<Shop>().WithMany().HasForeignKey(x => x.ShopId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ImportTemplateConfiguration : IEntityTypeConfiguration<ImportTemplate>
{
    public void Configure(EntityTypeBuilder<ImportTemplate> b)
    {
        b.ToTable("ImportTemplates");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.HeaderSignature).HasMaxLength(64);
        b.Property(x => x.MappingJson).HasMaxLength(4000);
        b.Property(x => x.Platform).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasIndex(x => x.HeaderSignature);
    }
}

internal sealed class OrderImportErrorConfiguration : IEntityTypeConfiguration<OrderImportError>
{
    public void Configure(EntityTypeBuilder<OrderImportError> b)
    {
        b.ToTable("OrderImportErrors");
        b.Property(x => x.Column).HasMaxLength(100);
        b.Property(x => x.Value).HasMaxLength(200);
        b.Property(x => x.Reason).HasMaxLength(300);
        b.Property(x => x.OrderNo).HasMaxLength(64);
        b.HasOne<OrderImport>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.ImportId, x.Row });
    }
}
