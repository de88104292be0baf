using System.Data;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>
/// Queues the labels of finished waybill batches on their warehouse's default raw-TCP printer, one Label job per live
/// waybill in pick order (<see cref="Waybill.PickKey"/>, then id), so auto-waybill prints without a click. Safe to run
/// twice and at once on several instances: a batch and printer that already have label jobs are skipped, and the check
/// and the insert are one serializable transaction. The table is the truth: a lost run is made good by the next one.
/// </summary>
public sealed class PrintQueueSweep(IDbContextFactory<PortalDbContext> dbFactory, IOptions<PrintingOptions> options, TimeProvider clock, ILogger<PrintQueueSweep> logger)
{
    /// <summary>Queues what is missing; returns the number of jobs created.</summary>
    public async Task<int> QueueFinishedBatchesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - options.Value.QueueWindow;
        List<long> batches;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Cheap first: nothing to do without a default raw-TCP printer anywhere.
            if (!await db.Set<Printer>().AnyAsync(p => p.Active && p.IsDefault && p.Connection == PrinterConnection.RawTcp, ct))
            {
                return 0;
            }
            batches = await db.Set<WaybillBatch>().AsNoTracking()
                .Where(b => (b.Status == WaybillBatchStatus.Completed || b.Status == WaybillBatchStatus.CompletedWithErrors)
                    && b.FinishedAtUtc != null && b.FinishedAtUtc >= since)
                .Where(b => !db.Set<PrintJob>().Any(j => j.BatchId == b.Id && j.Document == PrintDocument.Label && j.ReprintOfJobId == null))
                // Only batches with a label for a warehouse that has a default network printer: the rest would open a
                // write transaction on every pass for nothing.
                .Where(b => db.Set<Waybill>().Any(w => w.BatchId == b.Id && w.LiveOrderId != null
                    && db.Set<Printer>().Any(p => p.WarehouseId == w.WarehouseId && p.Active && p.IsDefault && p.Connection == PrinterConnection.RawTcp)))
                .OrderBy(b => b.Id).Select(b => b.Id).Take(100).ToListAsync(ct);
        }
        var created = 0;
        foreach (var batchId in batches)
        {
            created += await QueueBatchAsync(batchId, "system", ct);
        }
        return created;
    }

    /// <summary>The batch's live labels on each of its warehouses' default raw-TCP printer, unless already queued there.</summary>
    public async Task<int> QueueBatchAsync(long batchId, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var waybills = await db.Set<Waybill>().AsNoTracking()
                .Where(w => w.BatchId == batchId && w.LiveOrderId != null)
                .OrderBy(w => w.PickKey).ThenBy(w => w.Id)
                .Select(w => new { w.Id, w.OrderId, w.WarehouseId }).ToListAsync(ct);
            var warehouses = waybills.Where(w => w.WarehouseId != null).Select(w => w.WarehouseId!.Value).Distinct().ToList();
            var printers = await db.Set<Printer>().AsNoTracking()
                .Where(p => warehouses.Contains(p.WarehouseId) && p.Active && p.IsDefault && p.Connection == PrinterConnection.RawTcp)
                .OrderBy(p => p.Id).ToListAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var created = 0;
            foreach (var printer in printers.GroupBy(p => p.WarehouseId).Select(g => g.First()))
            {
                if (await db.Set<PrintJob>().AnyAsync(j => j.BatchId == batchId && j.PrinterId == printer.Id && j.Document == PrintDocument.Label && j.ReprintOfJobId == null, ct))
                {
                    continue;
                }
                var sequence = 0;
                foreach (var w in waybills.Where(w => w.WarehouseId == printer.WarehouseId))
                {
                    db.Add(new PrintJob
                    {
                        PrinterId = printer.Id, Document = PrintDocument.Label, BatchId = batchId, WaybillId = w.Id, OrderId = w.OrderId,
                        Sequence = ++sequence, Status = PrintJobStatus.Queued, CreatedBy = actor, CreatedAtUtc = now,
                    });
                }
                created += sequence;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (created > 0)
            {
                logger.LogInformation("Queued {Count} label(s) of waybill batch {BatchId}", created, batchId);
            }
            return created;
        }
        catch (Exception e) when (DatabaseRaces.IsLostRace(e))
        {
            // Another instance queued the same batch at the same moment: its jobs stand.
            return 0;
        }
    }
}
