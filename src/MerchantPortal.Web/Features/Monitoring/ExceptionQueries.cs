using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using ShipmentStatus = MerchantPortal.Carriers.ShipmentStatus;

namespace MerchantPortal.Web.Features.Monitoring;

/// <param name="Status">Null = open and in progress (the queue); a value = exactly that status.</param>
/// <param name="Assignee">"" = unassigned only; null = anyone.</param>
/// <param name="ReturnId">Only the cases about this return (pickup no-shows).</param>
public sealed record CaseFilter(CaseStatus? Status = null, ExceptionType? Type = null, string? Carrier = null, string? Assignee = null, bool IncludeResolved = false,
    long? ReturnId = null, ExceptionSeverity? Severity = null);

/// <summary>The queue's orders. <see cref="Urgency"/> is the page's default (<see cref="CaseUrgency"/>); <see cref="Newest"/> pages by id.</summary>
public enum CaseSort
{
    Urgency,
    Due,
    /// <summary>Oldest case first.</summary>
    Age,
    /// <summary>Highest order value first.</summary>
    OrderValue,
    /// <summary>By carrier code, then urgency.</summary>
    Carrier,
    Newest,
}

/// <summary>One scan of the case's parcel (Tracking's table, read only).</summary>
public sealed record CaseScan(DateTime TimeUtc, ShipmentStatus Status, string Description, string? Location, bool DatedInFuture = false);

/// <param name="TrackingNo">Null for a case about a return whose parcel does not exist yet (then <paramref name="ReturnId"/> is set).</param>
public sealed record CaseRow(long Id, ExceptionType Type, ExceptionSeverity Severity, CaseStatus Status, string? TrackingNo, string ShipperCode,
    string? OrderNo, string? AssignedTo, DateTime OpenedAtUtc, DateTime DueAtUtc, DateTime? ResolvedAtUtc,
    long? ShipmentId = null, long? ReturnId = null, string? RmaNo = null,
    LateCause? LateCause = null, decimal? OrderValue = null, bool CustomerVisible = false, DateTime? UrgentAtUtc = null, ResolutionCode? ResolutionCode = null)
{
    /// <summary>The parcel's last scans, newest first (at most <see cref="ExceptionQueries.RowScans"/>); empty for a case without a parcel.</summary>
    public IReadOnlyList<CaseScan> LastScans { get; init; } = [];
}

/// <summary>What "start a reship" / "start a return" created from a case; <paramref name="Open"/>: a return not rejected or cancelled.</summary>
public sealed record CaseLink(long Id, string Number, bool Open = true);

public sealed record CaseNoteView(DateTime AtUtc, string Actor, CaseNoteKind Kind, string? Text);

/// <param name="Scans">Every scan of the case's parcel, newest first: what explains the case.</param>
public sealed record CaseDetail(CaseRow Case, string? Resolution, bool ReshipRequested, bool ReturnRequested, IReadOnlyList<CaseNoteView> Notes,
    CaseLink? ReshipOrder = null, CaseLink? StartedReturn = null, IReadOnlyList<CaseScan>? Scans = null);

public sealed class ExceptionQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Scans shown on each queue row.</summary>
    public const int RowScans = 3;

    /// <summary>Newest first, keyset on Id: the next page costs the same at any depth.</summary>
    public async Task<IReadOnlyList<CaseRow>> ListAsync(CaseFilter filter, long? afterId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Filtered(db, filter);
        if (afterId is { } after)
        {
            q = q.Where(c => c.Id < after);
        }
        return await WithScansAsync(db, await Project(db, q.OrderByDescending(c => c.Id).Take(take)).ToListAsync(ct), ct);
    }

    /// <summary>A page of the queue in the chosen order (offset paging: the queue is worked from its top).</summary>
    public async Task<IReadOnlyList<CaseRow>> ListAsync(CaseFilter filter, CaseSort sort, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = Filtered(db, filter);
        IOrderedQueryable<ExceptionCase> ordered = sort switch
        {
            CaseSort.Due => q.OrderBy(c => c.DueAtUtc).ThenBy(c => c.Id),
            CaseSort.Age => q.OrderBy(c => c.OpenedAtUtc).ThenBy(c => c.Id),
            CaseSort.OrderValue => q.OrderByDescending(c => c.OrderValue ?? 0m).ThenBy(c => c.UrgentAtUtc).ThenBy(c => c.Id),
            CaseSort.Carrier => q.OrderBy(c => c.ShipperCode).ThenBy(c => c.UrgentAtUtc).ThenBy(c => c.Id),
            CaseSort.Newest => q.OrderByDescending(c => c.Id),
            _ => q.OrderBy(c => c.UrgentAtUtc).ThenBy(c => c.OpenedAtUtc).ThenBy(c => c.Id),
        };
        return await WithScansAsync(db, await Project(db, ordered.Skip(skip).Take(take)).ToListAsync(ct), ct);
    }

    private static IQueryable<CaseRow> Project(PortalDbContext db, IQueryable<ExceptionCase> q) =>
        q.Select(c => new CaseRow(c.Id, c.Type, c.Severity, c.Status, c.TrackingNo, c.ShipperCode,
            db.Set<Order>().Where(o => o.Id == c.OrderId).Select(o => o.OrderNo).FirstOrDefault(),
            c.AssignedTo, c.OpenedAtUtc, c.DueAtUtc, c.ResolvedAtUtc, c.ShipmentId, c.ReturnId,
            db.Set<ReturnRequest>().Where(r => r.Id == c.ReturnId).Select(r => r.RmaNo).FirstOrDefault(),
            c.LateCause, c.OrderValue, c.CustomerVisible, c.UrgentAtUtc, c.ResolutionCode));

    /// <summary>The last scans of every row's parcel in one query (not one per row).</summary>
    private static async Task<IReadOnlyList<CaseRow>> WithScansAsync(PortalDbContext db, List<CaseRow> rows, CancellationToken ct)
    {
        var ids = rows.Where(r => r.ShipmentId != null).Select(r => r.ShipmentId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            return rows;
        }
        var events = db.Set<TrackingEvent>().AsNoTracking().Where(e => !e.DatedInFuture);
        var scans = await events
            .Where(e => ids.Contains(e.ShipmentId) && events.Count(n => n.ShipmentId == e.ShipmentId && (n.TimeUtc > e.TimeUtc || (n.TimeUtc == e.TimeUtc && n.Id > e.Id))) < RowScans)
            .Select(e => new { e.ShipmentId, e.Id, Scan = new CaseScan(e.TimeUtc, e.Status, e.Description, e.Location, false) })
            .ToListAsync(ct);
        var byShipment = scans.GroupBy(x => x.ShipmentId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CaseScan>)[.. g.OrderByDescending(x => x.Scan.TimeUtc).ThenByDescending(x => x.Id).Select(x => x.Scan)]);
        return [.. rows.Select(r => r.ShipmentId is { } sid && byShipment.TryGetValue(sid, out var last) ? r with { LastScans = last } : r)];
    }

    /// <summary>Open (not resolved) cases per type: the queue's chips with no other filter.</summary>
    public Task<IReadOnlyDictionary<ExceptionType, int>> OpenCountsAsync(CancellationToken ct = default) => CountsAsync(new CaseFilter(), ct);

    /// <summary>
    /// Cases per type under the same filter as the list except the type: each chip's count is the length of the list
    /// its click shows, and "All" is their sum.
    /// </summary>
    public async Task<IReadOnlyDictionary<ExceptionType, int>> CountsAsync(CaseFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await Filtered(db, filter with { Type = null })
            .GroupBy(c => c.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return counts.ToDictionary(x => x.Key, x => x.Count);
    }

    public async Task<int> OpenCountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<ExceptionCase>().CountAsync(c => c.Status != CaseStatus.Resolved, ct);
    }

    public Task<CaseDetail?> GetAsync(long id, CancellationToken ct = default) => GetAsync(id, fullPii: true, ct);

    /// <summary>
    /// A case with its timeline. Comments, carrier notes and the resolution are free text that may carry a customer's
    /// mobile number: without <paramref name="fullPii"/> (CustomerService, an API key without pii:read) it is masked.
    /// </summary>
    public async Task<CaseDetail?> GetAsync(long id, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = (await ListAsync(new CaseFilter(IncludeResolved: true), id + 1, 1, ct)).FirstOrDefault(r => r.Id == id);
        if (row is null)
        {
            return null;
        }
        var c = await db.Set<ExceptionCase>().AsNoTracking().Where(x => x.Id == id)
            .Select(x => new
            {
                x.Resolution, x.ReshipRequested, x.ReturnRequested, x.ReshipOrderId, x.StartedReturnId,
                ReshipNo = db.Set<Order>().Where(o => o.Id == x.ReshipOrderId).Select(o => o.OrderNo).FirstOrDefault(),
                Rma = db.Set<ReturnRequest>().Where(r => r.Id == x.StartedReturnId).Select(r => r.RmaNo).FirstOrDefault(),
                ReturnClosed = db.Set<ReturnRequest>().Any(r => r.Id == x.StartedReturnId && (r.Status == ReturnStatus.Rejected || r.Status == ReturnStatus.Cancelled)),
            }).SingleAsync(ct);
        var notes = await db.Set<ExceptionCaseNote>().AsNoTracking().Where(n => n.CaseId == id).OrderBy(n => n.Id)
            .Select(n => new CaseNoteView(n.AtUtc, n.Actor, n.Kind, n.Text)).ToListAsync(ct);
        if (!fullPii)
        {
            notes = [.. notes.Select(n => n with { Text = Pii.MaskPhonesIn(n.Text) })];
        }
        var scans = row.ShipmentId is not { } shipmentId ? [] : await db.Set<TrackingEvent>().AsNoTracking().Where(e => e.ShipmentId == shipmentId)
            .OrderByDescending(e => e.TimeUtc).ThenByDescending(e => e.Id)
            .Select(e => new CaseScan(e.TimeUtc, e.Status, e.Description, e.Location, e.DatedInFuture)).ToListAsync(ct);
        return new CaseDetail(row, fullPii ? c.Resolution : Pii.MaskPhonesIn(c.Resolution), c.ReshipRequested, c.ReturnRequested, notes,
            c.ReshipOrderId is { } rid && c.ReshipNo is not null ? new CaseLink(rid, c.ReshipNo) : null,
            c.StartedReturnId is { } sid && c.Rma is not null ? new CaseLink(sid, c.Rma, !c.ReturnClosed) : null, scans);
    }

    private static IQueryable<ExceptionCase> Filtered(PortalDbContext db, CaseFilter f)
    {
        var q = db.Set<ExceptionCase>().AsNoTracking();
        if (f.Status is { } status)
        {
            q = q.Where(c => c.Status == status);
        }
        else if (!f.IncludeResolved)
        {
            q = q.Where(c => c.Status != CaseStatus.Resolved);
        }
        if (f.Type is { } type)
        {
            q = q.Where(c => c.Type == type);
        }
        if (!string.IsNullOrWhiteSpace(f.Carrier))
        {
            var carrier = f.Carrier.Trim().ToUpperInvariant();
            q = q.Where(c => c.ShipperCode == carrier);
        }
        if (f.Severity is { } severity)
        {
            q = q.Where(c => c.Severity == severity);
        }
        if (f.ReturnId is { } returnId)
        {
            q = q.Where(c => c.ReturnId == returnId);
        }
        if (f.Assignee is { } assignee)
        {
            q = assignee.Length == 0 ? q.Where(c => c.AssignedTo == null) : q.Where(c => c.AssignedTo == assignee);
        }
        return q;
    }
}

public sealed class OpenExceptionsCounter : IDashboardCounter
{
    public string Tile => "OpenExceptions";

    public async Task<long> CountAsync(PortalDbContext db, BusinessDay today, CancellationToken ct) =>
        await db.Set<ExceptionCase>().LongCountAsync(c => c.Status != CaseStatus.Resolved, ct);
}
