using System.Globalization;
using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Kpis.Freight;

public sealed record FreightBillSummary(
    long Id, int CarrierAccountId, string CarrierAccountName, string ShipperCode, string FileName, DateOnly PeriodFrom, DateOnly PeriodTo,
    FreightBillStatus Status, int ProgressPercent, int TotalRows, int ValidRows, int ErrorRows, decimal BilledAmount, decimal ExpectedAmount,
    int DiscrepancyCount, decimal DiscrepancyAmount, decimal AmountTolerance, string? Failure, string CreatedBy, DateTime CreatedAtUtc, DateTime? CompletedAtUtc);

/// <summary>Count and money of one kind of discrepancy (money: the <see cref="FreightDiscrepancy.Difference"/> sum).</summary>
public sealed record FreightKindTotal(FreightDiscrepancyKind Kind, int Count, decimal Amount);

public sealed record FreightBillErrorView(int Row, string Column, string? Value, string Reason);

public sealed record FreightDiscrepancyView(
    FreightDiscrepancyKind Kind, string TrackingNo, int? Row, decimal? BilledWeightKg, decimal? OurWeightKg, decimal? BilledAmount,
    decimal? ExpectedAmount, decimal Difference, string? DestinationProvince, string? Detail, decimal? PackedWeightKg = null);

public sealed record FreightBillReport(FreightBillSummary Bill, IReadOnlyList<FreightKindTotal> Totals, IReadOnlyList<FreightBillErrorView> Errors, int ErrorsShown);

public sealed class FreightBillValidationException(FieldProblems problems) : Exception("The bill upload is not valid.")
{
    public FieldProblems Problems { get; } = problems;

    /// <summary>Field → messages, as the API's validation problem carries them.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problems.ToDictionary();
}

/// <summary>Carrier bills: upload (stored, then reconciled by <see cref="FreightBillJob"/>), status, report and export.</summary>
public sealed class FreightBillService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    IOptions<DatabaseOptions> database,
    IWebHostEnvironment environment,
    TimeProvider clock)
{
    public const long MaxFileBytes = 50L * 1024 * 1024;
    public const int MaxPeriodDays = 92, ErrorsShownMax = 500;

    public async Task<long> StoreAsync(Stream content, string fileName, int carrierAccountId, DateOnly? periodFrom, DateOnly? periodTo, string actor, CancellationToken ct = default)
    {
        var errors = new FieldProblems();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<CarrierAccount>().AnyAsync(a => a.Id == carrierAccountId, ct))
        {
            errors.Add("carrierAccountId", "Choose the carrier account the bill is for.");
        }
        if (periodFrom is null)
        {
            errors.Add("periodFrom", "The first day of the bill's period (yyyy-MM-dd) is required.");
        }
        if (periodTo is null)
        {
            errors.Add("periodTo", "The last day of the bill's period (yyyy-MM-dd) is required.");
        }
        else if (periodFrom is { } f && (periodTo < f || periodTo.Value.DayNumber - f.DayNumber >= MaxPeriodDays))
        {
            errors.Add("periodTo", $"The period must end on or after its first day and last at most {MaxPeriodDays} days.");
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            errors.Add("file", "The bill must be a .csv or .xlsx file.");
        }
        if (errors.Any)
        {
            throw new FreightBillValidationException(errors);
        }
        var folder = Path.Combine(database.Value.ResolveDataDirectory(environment.ContentRootPath), "freight-bills");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{clock.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}{extension}");
        long size;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            await content.CopyToAsync(file, ct);
            size = file.Length;
        }
        if (size > MaxFileBytes || size == 0)
        {
            File.Delete(path);
            throw new FreightBillValidationException(
                FieldProblems.Of("file", size == 0 ? "The file is empty." : $"The file is larger than {MaxFileBytes / 1024 / 1024} MB."));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var bill = new FreightBill
        {
            CarrierAccountId = carrierAccountId,
            FileName = Path.GetFileName(fileName) is { Length: > 0 and <= 260 } n ? n : "bill" + extension,
            StoredPath = path,
            PeriodFrom = periodFrom!.Value,
            PeriodTo = periodTo!.Value,
            Status = FreightBillStatus.Queued,
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        db.Add(bill);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "freight.bill.upload", nameof(FreightBill), bill.Id.ToString(CultureInfo.InvariantCulture), $"{bill.FileName} ({size} bytes)");
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<FreightBillJob>("default", j => j.RunAsync(bill.Id, CancellationToken.None));
        return bill.Id;
    }

    public async Task<IReadOnlyList<FreightBillSummary>> ListAsync(int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. (await Summaries(db, db.Set<FreightBill>().OrderByDescending(b => b.Id).Take(take)).ToListAsync(ct)).OrderByDescending(b => b.Id)];
    }

    public async Task<FreightBillReport?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var bill = await Summaries(db, db.Set<FreightBill>().Where(b => b.Id == id)).SingleOrDefaultAsync(ct);
        if (bill is null)
        {
            return null;
        }
        var totals = await db.Set<FreightDiscrepancy>().AsNoTracking().Where(d => d.BillId == id)
            .GroupBy(d => d.Kind).Select(g => new { Kind = g.Key, Count = g.Count(), Amount = g.Sum(d => d.Difference) }).ToListAsync(ct);
        var errors = await db.Set<FreightBillError>().AsNoTracking().Where(e => e.BillId == id).OrderBy(e => e.Row).ThenBy(e => e.Id)
            .Take(ErrorsShownMax).Select(e => new FreightBillErrorView(e.Row, e.Column, e.Value, e.Reason)).ToListAsync(ct);
        return new FreightBillReport(bill,
            [.. Enum.GetValues<FreightDiscrepancyKind>().Select(k => totals.FirstOrDefault(t => t.Kind == k) is { } t ? new FreightKindTotal(k, t.Count, t.Amount) : new FreightKindTotal(k, 0, 0m))],
            errors, errors.Count);
    }

    public async Task<IReadOnlyList<FreightDiscrepancyView>?> DiscrepanciesAsync(long id, FreightDiscrepancyKind? kind = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<FreightBill>().AnyAsync(b => b.Id == id, ct))
        {
            return null;
        }
        var rows = await db.Set<FreightDiscrepancy>().AsNoTracking().Where(d => d.BillId == id && (kind == null || d.Kind == kind))
            .Select(d => new FreightDiscrepancyView(d.Kind, d.TrackingNo, d.Row, d.BilledWeightKg, d.OurWeightKg, d.BilledAmount, d.ExpectedAmount, d.Difference, d.DestinationProvince, d.Detail, d.PackedWeightKg))
            .ToListAsync(ct);
        // The kind is stored as text: order by the enum (the report's order), not alphabetically, in memory.
        return [.. rows.OrderBy(d => d.Kind).ThenBy(d => d.Row ?? int.MaxValue).ThenBy(d => d.TrackingNo, StringComparer.Ordinal)];
    }

    /// <summary>Filter and order the bills before projecting: a constructed record cannot be filtered in SQL.</summary>
    private static IQueryable<FreightBillSummary> Summaries(PortalDbContext db, IQueryable<FreightBill> bills) =>
        bills.AsNoTracking()
            .Join(db.Set<CarrierAccount>(), b => b.CarrierAccountId, a => a.Id, (b, a) => new FreightBillSummary(
                b.Id, b.CarrierAccountId, a.Name, a.ShipperCode, b.FileName, b.PeriodFrom, b.PeriodTo, b.Status, b.ProgressPercent, b.TotalRows, b.ValidRows,
                b.ErrorRows, b.BilledAmount, b.ExpectedAmount, b.DiscrepancyCount, b.DiscrepancyAmount, b.AmountTolerance, b.Failure, b.CreatedBy,
                b.CreatedAtUtc, b.CompletedAtUtc));
}
