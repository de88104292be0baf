using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Handover;

/// <summary>A pickup with its counters: parcels accepted onto it and scans flagged.</summary>
public sealed record HandoverSummary(long Id, string ShipperCode, string CarrierName, DateOnly Day, int? WarehouseId, string CreatedBy, DateTime CreatedAtUtc,
    DateTime? ClosedAtUtc, string? ClosedBy, int Scanned, int Flagged)
{
    public bool Open => ClosedAtUtc is null;
}

/// <summary>A parcel as the handover shows and prints it.</summary>
public sealed record HandoverParcel(string TrackingNo, string OrderNo, string Receiver, string Destination, decimal WeightKg);

/// <param name="Detail">Duplicate: the id of the pickup that has the parcel; OtherCarrier and Voided: the waybill's carrier code.</param>
/// <param name="OrderNo">The order of the waybill the code names, when it names one.</param>
public sealed record HandoverScanView(long Id, string Code, HandoverScanOutcome Outcome, string? Detail, string? OrderNo, string ScannedBy, DateTime ScannedAtUtc);

/// <summary>
/// A pickup as the page shows it. Expected: the carrier's live waybills issued on the day (the /waybills/handover list)
/// that no other pickup has, plus whatever this pickup accepted. Scanned: accepted here. Missing: expected, not scanned.
/// Flagged: every refused scan, newest first.
/// </summary>
public sealed record HandoverView(HandoverSummary Handover, int Expected, IReadOnlyList<HandoverParcel> Scanned, IReadOnlyList<HandoverParcel> Missing,
    IReadOnlyList<HandoverScanView> Flagged)
{
    public decimal ScannedWeightKg => Scanned.Sum(p => p.WeightKg);
}

public enum ScanStatus
{
    Scanned,
    NotFound,
    Closed,
}

/// <summary>A scan's answer: Scanned with the stored scan, or why nothing was stored.</summary>
public sealed record ScanResult(ScanStatus Status, HandoverScanView? Scan = null);

public enum CloseOutcome
{
    Closed,
    NotFound,
    AlreadyClosed,
}

/// <summary>
/// Handover scans (交接): a pickup per carrier and business day, every scan decided and kept, the handover list
/// printed from the accepted scans. Waybills are read, never written: the pickup is the record of the truck.
/// </summary>
public sealed class HandoverService(IDbContextFactory<PortalDbContext> dbFactory, WaybillService waybills, TimeProvider clock)
{
    public const int MaxCodeLength = 64;

    /// <summary>What is wrong with a request to open a pickup.</summary>
    public static FieldProblems OpenProblems(string? carrier, DateOnly? day)
    {
        var problems = new FieldProblems();
        if (string.IsNullOrWhiteSpace(carrier))
        {
            problems.Add("carrier", "carrier is the carrier's code (e.g. ZTO, SF).");
        }
        else if (carrier.Trim().Length > 20 || !carrier.Trim().All(char.IsAsciiLetterOrDigit))
        {
            problems.Add("carrier", "carrier is the carrier's code: letters and digits, at most 20 (e.g. ZTO, SF).");
        }
        if (WaybillService.HandoverDayProblem(day) is { } dayProblem)
        {
            problems.Add("day", dayProblem);
        }
        return problems;
    }

    /// <summary>What is wrong with a scanned code: empty or longer than any waybill number.</summary>
    public static string? CodeProblem(string? code) =>
        string.IsNullOrWhiteSpace(code) ? "code is the scanned waybill number."
        : code.Trim().Length > MaxCodeLength ? $"code is at most {MaxCodeLength} characters."
        : null;

    /// <summary>Opens a pickup for a carrier and a Beijing day (optionally one warehouse's parcels); audited.</summary>
    public async Task<HandoverSummary> OpenAsync(string carrier, DateOnly day, int? warehouseId, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (warehouseId is { } w && !await db.Set<Warehouse>().AnyAsync(x => x.Id == w, ct))
        {
            throw new KeyNotFoundException($"No warehouse {w}.");
        }
        var handover = new CarrierHandover
        {
            ShipperCode = carrier.Trim().ToUpperInvariant(),
            Day = day,
            WarehouseId = warehouseId,
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        db.Add(handover);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "handover.open", "CarrierHandover", handover.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{handover.ShipperCode} {day:yyyy-MM-dd}");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(handover.Id, ct))!;
    }

    /// <summary>The pickups of a day (and carrier, when given), open ones first, newest first.</summary>
    public async Task<IReadOnlyList<HandoverSummary>> ListAsync(DateOnly day, string? carrier, CancellationToken ct = default)
    {
        carrier = string.IsNullOrWhiteSpace(carrier) ? null : carrier.Trim().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Summaries(db, db.Set<CarrierHandover>().Where(h => h.Day == day && (carrier == null || h.ShipperCode == carrier))).ToListAsync(ct);
        return [.. rows.OrderBy(h => h.ClosedAtUtc is null ? 0 : 1).ThenByDescending(h => h.Id).Select(WithName)];
    }

    public async Task<HandoverSummary?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(db, db.Set<CarrierHandover>().Where(h => h.Id == id)).FirstOrDefaultAsync(ct) is { } h ? WithName(h) : null;
    }

    private static IQueryable<HandoverSummary> Summaries(PortalDbContext db, IQueryable<CarrierHandover> handovers) =>
        handovers.AsNoTracking().Select(h => new HandoverSummary(h.Id, h.ShipperCode, "", h.Day, h.WarehouseId, h.CreatedBy, h.CreatedAtUtc,
            h.ClosedAtUtc, h.ClosedBy,
            db.Set<HandoverScan>().Count(s => s.HandoverId == h.Id && s.AcceptedWaybillId != null),
            db.Set<HandoverScan>().Count(s => s.HandoverId == h.Id && s.Outcome != HandoverScanOutcome.Accepted)));

    private static HandoverSummary WithName(HandoverSummary h) => h with { CarrierName = WaybillContent.CarrierName(h.ShipperCode) };

    /// <summary>
    /// Decides and stores one scan. Accepted only for a live waybill of the pickup's carrier that no pickup has yet; the
    /// unique index on the accepted waybill settles two scanners racing for one parcel: the loser is kept as a duplicate.
    /// </summary>
    public async Task<ScanResult> ScanAsync(long handoverId, string code, string actor, CancellationToken ct = default)
    {
        code = code.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var handover = await db.Set<CarrierHandover>().AsNoTracking().FirstOrDefaultAsync(h => h.Id == handoverId, ct);
        if (handover is null)
        {
            return new ScanResult(ScanStatus.NotFound);
        }
        if (handover.ClosedAtUtc is not null)
        {
            return new ScanResult(ScanStatus.Closed);
        }
        var decision = HandoverRules.Decide(handover.ShipperCode, await MatchesAsync(db, code, ct));
        var scan = new HandoverScan
        {
            HandoverId = handoverId,
            Code = code,
            WaybillId = decision.WaybillId,
            AcceptedWaybillId = decision.Outcome == HandoverScanOutcome.Accepted ? decision.WaybillId : null,
            Outcome = decision.Outcome,
            Detail = decision.Detail,
            ScannedBy = actor,
            ScannedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(scan);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (scan.AcceptedWaybillId is { } waybillId)
        {
            // Another scanner accepted the parcel between our read and our insert (the unique index refused ours):
            // the scan is kept, as the duplicate it turned out to be.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            var holder = await again.Set<HandoverScan>().AsNoTracking().Where(s => s.AcceptedWaybillId == waybillId).Select(s => (long?)s.HandoverId).FirstOrDefaultAsync(ct);
            if (holder is null)
            {
                throw;
            }
            scan.Id = 0;
            scan.AcceptedWaybillId = null;
            scan.Outcome = HandoverScanOutcome.Duplicate;
            scan.Detail = HandoverRules.DuplicateDetail(holder.Value);
            again.Add(scan);
            await again.SaveChangesAsync(ct);
        }
        var orderNo = scan.WaybillId is { } id ? await db.Set<Waybill>().AsNoTracking().Where(w => w.Id == id).Select(w => w.OrderNo).FirstOrDefaultAsync(ct) : null;
        return new ScanResult(ScanStatus.Scanned, new HandoverScanView(scan.Id, scan.Code, scan.Outcome, scan.Detail, orderNo, scan.ScannedBy, scan.ScannedAtUtc));
    }

    private static async Task<IReadOnlyList<ScannedWaybill>> MatchesAsync(PortalDbContext db, string code, CancellationToken ct)
    {
        var found = await db.Set<Waybill>().AsNoTracking().Where(w => w.TrackingNo == code)
            .Select(w => new { w.Id, w.ShipperCode, Live = w.LiveOrderId != null }).ToListAsync(ct);
        if (found.Count == 0)
        {
            return [];
        }
        var ids = found.Select(w => w.Id).ToList();
        var accepted = await db.Set<HandoverScan>().AsNoTracking().Where(s => s.AcceptedWaybillId != null && ids.Contains(s.AcceptedWaybillId.Value))
            .Select(s => new { WaybillId = s.AcceptedWaybillId!.Value, s.HandoverId }).ToListAsync(ct);
        return [.. found.Select(w => new ScannedWaybill(w.Id, w.ShipperCode, w.Live, accepted.Where(a => a.WaybillId == w.Id).Select(a => (long?)a.HandoverId).FirstOrDefault()))];
    }

    /// <summary>Closes a pickup: no more scans; its list stays printable. Audited.</summary>
    public async Task<CloseOutcome> CloseAsync(long id, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Set<CarrierHandover>().Where(h => h.Id == id && h.ClosedAtUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(h => h.ClosedAtUtc, now).SetProperty(h => h.ClosedBy, actor), ct);
        if (changed == 0)
        {
            return await db.Set<CarrierHandover>().AnyAsync(h => h.Id == id, ct) ? CloseOutcome.AlreadyClosed : CloseOutcome.NotFound;
        }
        var scanned = await db.Set<HandoverScan>().CountAsync(s => s.HandoverId == id && s.AcceptedWaybillId != null, ct);
        db.Audit(now, actor, "handover.close", "CarrierHandover", id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{scanned} parcels");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return CloseOutcome.Closed;
    }

    /// <summary>The pickup as the page and GET /api/v1/handovers/{id} show it.</summary>
    public async Task<HandoverView?> ViewAsync(long id, CancellationToken ct = default)
    {
        if (await GetAsync(id, ct) is not { } handover)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scans = await db.Set<HandoverScan>().AsNoTracking().Where(s => s.HandoverId == id).OrderByDescending(s => s.Id)
            .Select(s => new { s.Id, s.Code, s.Outcome, s.Detail, s.WaybillId, s.AcceptedWaybillId, s.ScannedBy, s.ScannedAtUtc }).ToListAsync(ct);
        var named = scans.Where(s => s.WaybillId != null).Select(s => s.WaybillId!.Value).Distinct().ToList();
        var waybillsById = await db.Set<Waybill>().AsNoTracking().Where(w => named.Contains(w.Id))
            .Join(db.Set<Order>(), w => w.OrderId, o => o.Id, (w, o) => new { w.Id, w.TrackingNo, w.OrderNo, w.PickKey, w.IssuedAtUtc, o.ReceiverName, o.Province, o.City, o.TotalWeightKg })
            .ToDictionaryAsync(w => w.Id, ct);
        // Accepted parcels in the order they went onto the truck.
        var scanned = scans.Where(s => s.AcceptedWaybillId is { } w && waybillsById.ContainsKey(w)).OrderBy(s => s.Id)
            .Select(s => waybillsById[s.AcceptedWaybillId!.Value])
            .Select(w => new HandoverParcel(w.TrackingNo, w.OrderNo, w.ReceiverName, w.Province + w.City, w.TotalWeightKg)).ToList();
        var flagged = scans.Where(s => s.Outcome != HandoverScanOutcome.Accepted)
            .Select(s => new HandoverScanView(s.Id, s.Code, s.Outcome, s.Detail, s.WaybillId is { } w && waybillsById.TryGetValue(w, out var wb) ? wb.OrderNo : null, s.ScannedBy, s.ScannedAtUtc))
            .ToList();

        // Expected: the day's list of the carrier, the same query as /waybills/handover, less the parcels other pickups took.
        var dayList = (await waybills.HandoverAsync(handover.Day, handover.ShipperCode, ct)).SelectMany(l => l.Rows).ToList();
        var numbers = dayList.Select(r => r.TrackingNo).ToList();
        var dayWaybills = await db.Set<Waybill>().AsNoTracking().Where(w => w.ShipperCode == handover.ShipperCode && numbers.Contains(w.TrackingNo))
            .Select(w => new { w.Id, w.TrackingNo, w.WarehouseId }).ToListAsync(ct);
        var dayIds = dayWaybills.Select(w => w.Id).ToList();
        var elsewhere = (await db.Set<HandoverScan>().AsNoTracking()
            .Where(s => s.AcceptedWaybillId != null && s.HandoverId != id && dayIds.Contains(s.AcceptedWaybillId.Value))
            .Select(s => s.AcceptedWaybillId!.Value).ToListAsync(ct)).ToHashSet();
        var open = dayWaybills.Where(w => !elsewhere.Contains(w.Id) && (handover.WarehouseId is null || w.WarehouseId == handover.WarehouseId))
            .Select(w => w.TrackingNo).ToHashSet(StringComparer.Ordinal);
        var scannedNumbers = scanned.Select(p => p.TrackingNo).ToHashSet(StringComparer.Ordinal);
        var missing = dayList.Where(r => open.Contains(r.TrackingNo) && !scannedNumbers.Contains(r.TrackingNo))
            .Select(r => new HandoverParcel(r.TrackingNo, r.OrderNo, r.Receiver, r.Destination, r.WeightKg)).ToList();
        return new HandoverView(handover, scanned.Count + missing.Count, scanned, missing, flagged);
    }

    /// <summary>
    /// The handover list (交接单) of a pickup: its accepted parcels only, in scan order, with count, total weight and both
    /// signature lines. Printable while open and after close. Null when there is no such pickup.
    /// </summary>
    public async Task<byte[]?> ListPdfAsync(long id, CancellationToken ct = default)
    {
        if (await ViewAsync(id, ct) is not { } view)
        {
            return null;
        }
        var h = view.Handover;
        var rows = view.Scanned.Select(p => new HandoverRow(p.TrackingNo, p.OrderNo, p.Receiver, p.Destination, p.WeightKg, default)).ToList();
        return HandoverPdf.Render([new HandoverList(h.ShipperCode, h.CarrierName, h.Day, rows)], $"#{h.Id}");
    }
}
