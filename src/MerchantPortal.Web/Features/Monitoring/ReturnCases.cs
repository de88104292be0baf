using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// Cases about a return rather than a parcel, opened and closed inside the Returns feature's unit of work (so the
/// case commits with the fact that causes it). Today one type: <see cref="ExceptionType.PickupNoShow"/>.
/// Closing (decided in ADR 0011): the case is resolved by the system as soon as the problem is gone — a new pickup is
/// booked, the courier collects the parcel after all (a late first scan), or the return is cancelled. Ops need not
/// close it by hand, as a delivered parcel closes its shipment cases.
/// </summary>
public static class ReturnCases
{
    /// <summary>
    /// Opens the no-show case for this missed window unless the return already has an open one, or one for this very
    /// window (<paramref name="windowEndUtc"/> is the trigger); the rule for the carrier/province decides severity and
    /// due time, and a switched-off rule opens nothing. Returns the case or null.
    /// </summary>
    public static async Task<ExceptionCase?> OpenNoShowAsync(PortalDbContext db, ReturnSubject ret, DateTime windowEndUtc, DateTime nowUtc, CancellationToken ct)
    {
        var exists = await db.Set<ExceptionCase>().AnyAsync(c => c.ReturnId == ret.ReturnId && c.Type == ExceptionType.PickupNoShow
            && (c.Status != CaseStatus.Resolved || c.TriggerAtUtc == windowEndUtc), ct);
        if (exists)
        {
            return null;
        }
        var rules = await db.Set<MonitoringRule>().AsNoTracking().Where(r => r.Type == ExceptionType.PickupNoShow).ToListAsync(ct);
        var rule = MonitoringRules.Decide(rules, ExceptionType.PickupNoShow, ret.ShipperCode, ret.Province, null);
        if (rule is not { Enabled: true })
        {
            return null;
        }
        var c = CaseWriter.OpenForReturn(db, rule, ret, windowEndUtc, nowUtc);
        await CaseWriter.SyncOrdersAsync(db, [c], CaseWriter.System, nowUtc, ct);
        return c;
    }

    /// <summary>
    /// Opens the refund-failed case of a return with the provider's reason as its first note, unless one is open already
    /// (a failure reported twice is one case); the RefundFailed rule decides severity and due time, and switched off opens
    /// nothing. Returns the case or null.
    /// </summary>
    public static async Task<ExceptionCase?> OpenRefundFailedAsync(PortalDbContext db, ReturnSubject ret, string reason, DateTime nowUtc, CancellationToken ct)
    {
        if (await db.Set<ExceptionCase>().AnyAsync(c => c.ReturnId == ret.ReturnId && c.Type == ExceptionType.RefundFailed && c.Status != CaseStatus.Resolved, ct))
        {
            return null;
        }
        var rules = await db.Set<MonitoringRule>().AsNoTracking().Where(r => r.Type == ExceptionType.RefundFailed).ToListAsync(ct);
        var rule = MonitoringRules.Decide(rules, ExceptionType.RefundFailed, ret.ShipperCode, ret.Province, null);
        if (rule is not { Enabled: true })
        {
            return null;
        }
        var c = CaseWriter.OpenForReturn(db, rule, ret, nowUtc, nowUtc);
        c.Notes.Add(new ExceptionCaseNote { AtUtc = nowUtc, Actor = CaseWriter.System, Kind = CaseNoteKind.Comment, Text = reason.Length > 2000 ? reason[..2000] : reason });
        await CaseWriter.SyncOrdersAsync(db, [c], CaseWriter.System, nowUtc, ct);
        return c;
    }

    /// <summary>Resolves the return's open cases as the system, with why (e.g. "Pickup rebooked").</summary>
    public static async Task<int> CloseAsync(PortalDbContext db, long returnId, string resolution, DateTime nowUtc, CancellationToken ct)
    {
        var open = await db.Set<ExceptionCase>().Where(c => c.ReturnId == returnId && c.Status != CaseStatus.Resolved).ToListAsync(ct);
        foreach (var c in open)
        {
            CaseWriter.Resolve(db, c, CaseWriter.System, resolution, CaseNoteKind.AutoResolved, nowUtc);
        }
        if (open.Count > 0)
        {
            await CaseWriter.SyncOrdersAsync(db, open, CaseWriter.System, nowUtc, ct);
        }
        return open.Count;
    }
}
