using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Features.Packing;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>
/// Reads a stored bill and reconciles it against our waybills (docs/kpis.md "Freight reconciliation"). Takes the
/// bill id only; safe to run twice (a finished bill is left alone, a claimed one is left to its runner unless the
/// claim is stale) and safe to lose (the bill stays Queued/Running with its file; re-enqueue it from the page or API).
/// </summary>
public sealed class FreightBillJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    RateCardService rates,
    IOptions<FreightOptions> options,
    TimeProvider clock,
    ILogger<FreightBillJob> logger)
{
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(30);
    private const int Chunk = 500;

    private sealed record Shipped(string TrackingNo, decimal WeightKg, string Province, decimal? PackedWeightKg);

    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long billId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleBefore = now - StaleClaim;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.Set<FreightBill>()
            .Where(b => b.Id == billId && (b.Status == FreightBillStatus.Queued || (b.Status == FreightBillStatus.Running && b.StartedAtUtc < staleBefore)))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, FreightBillStatus.Running).SetProperty(b => b.StartedAtUtc, now).SetProperty(b => b.ProgressPercent, 0), ct);
        if (claimed == 0)
        {
            return;
        }
        var bill = await db.Set<FreightBill>().AsNoTracking().SingleAsync(b => b.Id == billId, ct);
        try
        {
            await ReconcileAsync(bill, ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // A file that cannot be read will not become readable on retry: say so on the bill.
            logger.LogWarning(ex, "Freight bill {BillId} could not be read", billId);
            await db.Set<FreightBill>().Where(b => b.Id == billId).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, FreightBillStatus.Failed).SetProperty(b => b.Failure, ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Anything else (a busy database) may pass: give the claim back so Hangfire's retry, or the sweeper, can take it.
            await db.Set<FreightBill>().Where(b => b.Id == billId && b.Status == FreightBillStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, FreightBillStatus.Queued), CancellationToken.None);
            throw;
        }
    }

    /// <summary>Load (the file, our waybills, the rate card) → decide (<see cref="FreightReconciliation"/>) → store.</summary>
    private async Task ReconcileAsync(FreightBill bill, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A second run starts from nothing: whatever an earlier, interrupted run wrote is replaced.
        await db.Set<FreightDiscrepancy>().Where(d => d.BillId == bill.Id).ExecuteDeleteAsync(ct);
        await db.Set<FreightBillError>().Where(d => d.BillId == bill.Id).ExecuteDeleteAsync(ct);
        await db.Set<FreightBillLine>().Where(d => d.BillId == bill.Id).ExecuteDeleteAsync(ct);

        var (rows, errors, dataRows) = ReadFile(bill);
        await AddInChunksAsync(db, rows.Select(r => new FreightBillLine { BillId = bill.Id, Row = r.Row, TrackingNo = r.TrackingNo, BilledWeightKg = r.BilledWeightKg, Amount = r.Amount }), ct);
        await AddInChunksAsync(db, errors.Select(e => new FreightBillError { BillId = bill.Id, Row = e.Row, Column = e.Column, Value = e.Value, Reason = e.Reason }), ct);
        Progress(bill.Id, 80);

        var input = await LoadInputAsync(db, bill, rows, errors, ct);
        var result = FreightReconciliation.Decide(input);
        await AddInChunksAsync(db, result.Discrepancies, ct);

        var completedAt = clock.GetUtcNow().UtcDateTime;
        await db.Set<FreightBill>().Where(b => b.Id == bill.Id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, FreightBillStatus.Completed)
            .SetProperty(b => b.ProgressPercent, 100)
            .SetProperty(b => b.TotalRows, dataRows)
            .SetProperty(b => b.ValidRows, rows.Count)
            .SetProperty(b => b.ErrorRows, errors.Select(e => e.Row).Distinct().Count())
            .SetProperty(b => b.BilledAmount, rows.Sum(r => r.Amount))
            .SetProperty(b => b.ExpectedAmount, result.ExpectedTotal)
            .SetProperty(b => b.DiscrepancyCount, result.Discrepancies.Count)
            .SetProperty(b => b.DiscrepancyAmount, result.AtStake)
            .SetProperty(b => b.AmountTolerance, input.Tolerance)
            .SetProperty(b => b.Failure, (string?)null)
            .SetProperty(b => b.CompletedAtUtc, completedAt), ct);
        logger.LogInformation("Freight bill {BillId}: {Rows} rows, {Errors} errors, {Discrepancies} discrepancies", bill.Id, rows.Count, errors.Count, result.Discrepancies.Count);
    }

    private (List<BillRow> Rows, List<BillRowError> Errors, int DataRows) ReadFile(FreightBill bill)
    {
        using var file = new OrderFileReader(bill.StoredPath, bill.FileName);
        var lastReported = 0;
        return FreightBillReader.Read(file, p =>
        {
            // Reading is the long part of a big bill: 0–70 %.
            var percent = p * 70 / 100;
            if (percent >= lastReported + 5)
            {
                lastReported = percent;
                Progress(bill.Id, percent);
            }
        });
    }

    private static async Task AddInChunksAsync<T>(PortalDbContext db, IEnumerable<T> entities, CancellationToken ct) where T : class
    {
        foreach (var chunk in entities.Chunk(2000))
        {
            db.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private async Task<ReconciliationInput> LoadInputAsync(PortalDbContext db, FreightBill bill, List<BillRow> rows, List<BillRowError> errors, CancellationToken ct)
    {
        var card = await db.Set<RateCardRow>().AsNoTracking().Where(r => r.CarrierAccountId == bill.CarrierAccountId).ToListAsync(ct);
        var numbers = rows.Select(r => r.TrackingNo).Distinct(StringComparer.Ordinal).ToList();
        var shipped = new Dictionary<string, ShippedParcel>(StringComparer.Ordinal);
        var earlier = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(Chunk))
        {
            foreach (var w in await ShippedQuery(db, bill.CarrierAccountId, chunk).ToListAsync(ct))
            {
                shipped.TryAdd(w.TrackingNo, Parcel(w));
            }
            var before = await db.Set<FreightBillLine>().AsNoTracking()
                .Where(l => chunk.Contains(l.TrackingNo) && l.BillId != bill.Id)
                .Join(db.Set<FreightBill>().Where(b => b.CarrierAccountId == bill.CarrierAccountId && b.Status == FreightBillStatus.Completed), l => l.BillId, b => b.Id, (l, b) => new { l.TrackingNo, b.Id })
                .ToListAsync(ct);
            foreach (var b in before.OrderBy(b => b.Id))
            {
                earlier.TryAdd(b.TrackingNo, b.Id);
            }
        }

        // The period is in Beijing days.
        var from = DayStartUtc(bill.PeriodFrom);
        var to = DayStartUtc(bill.PeriodTo.AddDays(1));
        var issued = await WithPackedWeight(db, db.Set<Waybill>().AsNoTracking()
            .Where(w => w.CarrierAccountId == bill.CarrierAccountId && w.VoidedAtUtc == null && w.IssuedAtUtc >= from && w.IssuedAtUtc < to))
            .ToListAsync(ct);
        return new ReconciliationInput(bill.Id, rows, errors, shipped, earlier, [.. issued.Select(Parcel)], card, options.Value.AmountTolerance);
    }

    private ShippedParcel Parcel(Shipped w) => new(w.TrackingNo, w.WeightKg, rates.NormalizeProvince(w.Province), w.PackedWeightKg);

    private static IQueryable<Shipped> ShippedQuery(PortalDbContext db, int carrierAccountId, string[] numbers) =>
        WithPackedWeight(db, db.Set<Waybill>().AsNoTracking()
            .Where(w => w.CarrierAccountId == carrierAccountId && w.VoidedAtUtc == null && numbers.Contains(w.TrackingNo)));

    /// <summary>The waybills with their order's declared weight and destination, and the packing station's weight where the parcel was packed (read only: Packing owns the records).</summary>
    private static IQueryable<Shipped> WithPackedWeight(PortalDbContext db, IQueryable<Waybill> waybills) =>
        from w in waybills
        join o in db.Set<Order>() on w.OrderId equals o.Id
        join p in db.Set<PackRecord>() on w.Id equals p.WaybillId into packed
        from p in packed.DefaultIfEmpty()
        select new Shipped(w.TrackingNo, o.TotalWeightKg, o.Province, p == null ? null : (decimal?)p.WeightKg);

    private static DateTime DayStartUtc(DateOnly day) => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - BusinessCalendar.Offset, DateTimeKind.Utc);

    /// <summary>Progress is written on its own short context, only while the bill is still Running (never over a final state).</summary>
    private void Progress(long billId, int percent)
    {
        using var db = dbFactory.CreateDbContext();
        db.Set<FreightBill>().Where(b => b.Id == billId && b.Status == FreightBillStatus.Running).ExecuteUpdate(s => s.SetProperty(b => b.ProgressPercent, percent));
    }
}

/// <summary>
/// Safe to lose: a bill whose job vanished (a server stopped mid-way, a queue lost) is enqueued again by the
/// maintenance sweep — Queued for over <see cref="QueuedGrace"/>, or Running on a stale claim.
/// </summary>
public sealed class FreightBillWorkSource(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock) : IWorkSource
{
    public static readonly TimeSpan QueuedGrace = TimeSpan.FromMinutes(10);

    public string Name => "kpis:freight-bills";

    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var queuedBefore = now - QueuedGrace;
        var staleBefore = now - FreightBillJob.StaleClaim;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<FreightBill>()
            .Where(b => (b.Status == FreightBillStatus.Queued && (b.StartedAtUtc ?? b.CreatedAtUtc) < queuedBefore)
                || (b.Status == FreightBillStatus.Running && b.StartedAtUtc < staleBefore))
            .Select(b => b.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<FreightBillJob>("default", j => j.RunAsync(id, CancellationToken.None));
        }
        return ids.Count;
    }
}
