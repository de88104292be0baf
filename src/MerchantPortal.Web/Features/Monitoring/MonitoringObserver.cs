using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// Status-triggered rules and automatic closing, in the tracking writer's transaction: a rejected parcel has its case
/// in the same commit as the scan that says so, and a delivered one has its cases closed by the scan that delivers it.
/// A race with the sweep ends at the unique open-case index; the tracking writer then retries and finds the case.
/// </summary>
public sealed class MonitoringObserver : IShipmentObserver
{
    public async Task OnTransitionsAsync(PortalDbContext db, IReadOnlyList<ShipmentTransition> transitions, CancellationToken ct)
    {
        var triggered = transitions
            .Select(t => (t, Type: MonitoringRules.StatusTrigger(t)))
            .Where(x => x.Type is not null)
            .DistinctBy(x => (x.t.Shipment.Id, x.Type))
            .ToList();
        var delivered = transitions.Where(t => t.To == ShipmentStatus.Delivered).Select(t => t.Shipment.Id).Distinct().ToList();
        if (triggered.Count == 0 && delivered.Count == 0)
        {
            return;
        }

        var closing = delivered.Count == 0 ? [] : await db.Set<ExceptionCase>()
            .Where(c => c.ShipmentId != null && delivered.Contains(c.ShipmentId.Value) && c.Status != CaseStatus.Resolved)
            .ToListAsync(ct);
        foreach (var c in closing)
        {
            var at = transitions.First(t => t.Shipment.Id == c.ShipmentId).AtUtc;
            CaseWriter.Resolve(db, c, CaseWriter.System, "Delivered", CaseNoteKind.AutoResolved, at, code: ResolutionCode.Delivered);
        }

        var opening = new List<ExceptionCase>();
        if (triggered.Count > 0)
        {
            var rules = await db.Set<MonitoringRule>().AsNoTracking().ToListAsync(ct);
            var ids = triggered.Select(x => x.t.Shipment.Id).ToList();
            // Tracked: a more specific cause updates the parcel's one open case instead of opening a second (ADR 0020).
            var open = await db.Set<ExceptionCase>()
                .Where(c => c.ShipmentId != null && ids.Contains(c.ShipmentId.Value) && c.Status != CaseStatus.Resolved)
                .ToListAsync(ct);
            var subjects = triggered.Select(x => ShipmentRef.Of(x.t.Shipment)).DistinctBy(r => r.Id).ToDictionary(r => r.Id);
            await ShipmentRef.FillOrdersAsync(db, subjects.Values, ct);
            foreach (var (t, type) in triggered)
            {
                var s = t.Shipment;
                var rule = MonitoringRules.Decide(rules, type!.Value, s.ShipperCode, s.OriginProvince, s.DestinationProvince);
                if (rule is not { Enabled: true })
                {
                    continue;
                }
                var existing = open.Concat(opening).FirstOrDefault(o => o.ShipmentId == s.Id && o.Status != CaseStatus.Resolved);
                if (existing is null)
                {
                    opening.Add(CaseWriter.Open(db, rule, subjects[s.Id], t.AtUtc, t.AtUtc));
                }
                else if (MonitoringRules.Rank(type.Value) > MonitoringRules.Rank(existing.Type))
                {
                    CaseWriter.ChangeCause(db, existing, rule, t.AtUtc, t.AtUtc);
                    opening.Add(existing);
                }
            }
        }
        await CaseWriter.SyncOrdersAsync(db, [.. closing, .. opening], CaseWriter.System, transitions.Max(t => t.AtUtc), ct);
    }
}
