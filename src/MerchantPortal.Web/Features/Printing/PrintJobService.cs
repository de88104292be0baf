using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Waybills;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Printing;

public sealed record PrintJobView(
    long Id, int PrinterId, string PrinterName, PrintDocument Document, long? BatchId, string? TrackingNo, string? OrderNo, int Sequence,
    PrintJobStatus Status, int Attempts, DateTime? NextAttemptAtUtc, string? LastError, long? ReprintOfJobId, string? ReprintReason,
    string CreatedBy, DateTime CreatedAtUtc, DateTime? SentAtUtc);

/// <summary>A batch's labels on one printer: how many are sent, waiting, failed, and whether the printer answers.</summary>
public sealed record BatchPrintState(int PrinterId, string PrinterName, int Total, int Sent, int Waiting, int Failed, bool Unreachable, string? LastError)
{
    public bool AllSent => Sent == Total;
}

public enum ReprintOutcome
{
    Queued,
    NotFound,
    /// <summary>The label was reprinted as often as allowed (<see cref="PrintingOptions.MaxReprints"/>).</summary>
    LimitReached,
    NoReason,
    /// <summary>The original has not been printed yet: it will print, so there is nothing to reprint.</summary>
    NotPrintedYet,
}

public sealed record ReprintResult(ReprintOutcome Outcome, long? JobId = null, int Reprints = 0, int Limit = 0);

/// <summary>Print jobs as users see them: per batch, retry of what is waiting or failed, and reprints with a reason.</summary>
public sealed class PrintJobService(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PrintingOptions> options, TimeProvider clock)
{
    public const int MaxReasonLength = 200;

    public async Task<IReadOnlyList<PrintJobView>> ForBatchAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Views(db, db.Set<PrintJob>().Where(j => j.BatchId == batchId)).ToListAsync(ct);
    }

    public async Task<PrintJobView?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Views(db, db.Set<PrintJob>().Where(j => j.Id == id)).FirstOrDefaultAsync(ct);
    }

    private static IQueryable<PrintJobView> Views(PortalDbContext db, IQueryable<PrintJob> jobs) =>
        from j in jobs
        join p in db.Set<Printer>() on j.PrinterId equals p.Id
        join w in db.Set<Waybill>() on j.WaybillId equals w.Id into ws
        from w in ws.DefaultIfEmpty()
        orderby j.Id
        select new PrintJobView(j.Id, j.PrinterId, p.Name, j.Document, j.BatchId, w == null ? null : w.TrackingNo, w == null ? null : w.OrderNo, j.Sequence,
            j.Status, j.Attempts, j.NextAttemptAtUtc, j.LastError, j.ReprintOfJobId, j.ReprintReason, j.CreatedBy, j.CreatedAtUtc, j.SentAtUtc);

    /// <summary>The batch's labels per printer, for the batch page: "100 labels sent to 打印机 A" or "unreachable: 23 waiting".</summary>
    public async Task<IReadOnlyList<BatchPrintState>> BatchStateAsync(long batchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Set<PrintJob>().AsNoTracking().Where(j => j.BatchId == batchId && j.Document == PrintDocument.Label)
            .GroupBy(j => new { j.PrinterId, j.Status }).Select(g => new { g.Key.PrinterId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        var ids = counts.Select(c => c.PrinterId).Distinct().ToList();
        var printers = await db.Set<Printer>().AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        return [.. printers.OrderBy(p => p.Id).Select(p =>
        {
            int Count(params PrintJobStatus[] statuses) => counts.Where(c => c.PrinterId == p.Id && statuses.Contains(c.Status)).Sum(c => c.Count);
            var unreachable = p.LastFailureAtUtc is { } failed && (p.LastSuccessAtUtc is null || p.LastSuccessAtUtc < failed);
            return new BatchPrintState(p.Id, p.Name, Count(Enum.GetValues<PrintJobStatus>()), Count(PrintJobStatus.Sent),
                Count(PrintJobStatus.Queued, PrintJobStatus.Sending), Count(PrintJobStatus.Failed), unreachable, p.LastError);
        })];
    }

    /// <summary>Puts the batch's failed jobs back in the queue and makes its waiting ones due now; returns how many.</summary>
    public async Task<int> RetryBatchAsync(long batchId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var retried = await db.Set<PrintJob>()
            .Where(j => j.BatchId == batchId && (j.Status == PrintJobStatus.Failed || (j.Status == PrintJobStatus.Queued && j.NextAttemptAtUtc != null)))
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, PrintJobStatus.Queued)
                .SetProperty(j => j.NextAttemptAtUtc, (DateTime?)null)
                .SetProperty(j => j.Attempts, j => j.Status == PrintJobStatus.Failed ? 0 : j.Attempts), ct);
        if (retried > 0)
        {
            db.Audit(now, actor, "printing.retry", "WaybillBatch", batchId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{retried} job(s)");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return retried;
    }

    /// <summary>
    /// Reprints a job's document on the same printer: a new job pointing at the original, with the reason, audited.
    /// A waybill's label is reprinted at most <see cref="PrintingOptions.MaxReprints"/> times; one more is refused.
    /// </summary>
    public async Task<ReprintResult> ReprintAsync(long jobId, string? reason, string actor, CancellationToken ct = default)
    {
        var limit = options.Value.MaxReprints;
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return new ReprintResult(ReprintOutcome.NoReason, Limit: limit);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.Set<PrintJob>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null)
        {
            return new ReprintResult(ReprintOutcome.NotFound);
        }
        var original = job.ReprintOfJobId is { } first ? await db.Set<PrintJob>().AsNoTracking().FirstAsync(j => j.Id == first, ct) : job;
        if (original.Status != PrintJobStatus.Sent && original.SentAtUtc is null)
        {
            return new ReprintResult(ReprintOutcome.NotPrintedYet, Limit: limit);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // Serializable: two reprints at once cannot both see "2 so far" and make it 4.
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var reprints = await db.Set<PrintJob>().CountAsync(j => j.ReprintOfJobId != null && j.Document == original.Document
            && (original.WaybillId != null ? j.WaybillId == original.WaybillId : j.ReprintOfJobId == original.Id), ct);
        if (reprints >= limit)
        {
            return new ReprintResult(ReprintOutcome.LimitReached, Reprints: reprints, Limit: limit);
        }
        var reprint = new PrintJob
        {
            PrinterId = original.PrinterId, Document = original.Document, BatchId = original.BatchId, WaybillId = original.WaybillId, OrderId = original.OrderId,
            Sequence = original.Sequence, Status = PrintJobStatus.Queued, ReprintOfJobId = original.Id, ReprintReason = reason, CreatedBy = actor, CreatedAtUtc = now,
        };
        db.Add(reprint);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "printing.reprint", "PrintJob", original.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"reprint {reprints + 1}/{limit} as job {reprint.Id}: {reason}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ReprintResult(ReprintOutcome.Queued, reprint.Id, reprints + 1, limit);
    }
}
