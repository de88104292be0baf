using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
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
            CaseWriter.Resolve(db, c, CaseWriter.System, "Delivered", CaseNoteKind.AutoResolved, at);
        }

        var opening = new List<ExceptionCase>();
        if (triggered.Count > 0)
        {
            var rules = await db.Set<MonitoringRule>().AsNoTracking().ToListAsync(ct);
            var ids = triggered.Select(x => x.t.Shipment.Id).ToList();
            var open = await db.Set<ExceptionCase>()
                .Where(c => c.ShipmentId != null && ids.Contains(c.ShipmentId.Value) && c.Status != CaseStatus.Resolved)
                .Select(c => new { c.ShipmentId, c.Type }).ToListAsync(ct);
            var orderIds = triggered.Where(x => x.t.Shipment.OrderId != null).Select(x => x.t.Shipment.OrderId!.Value).Distinct().ToList();
            var orderNos = await db.Set<Order>().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.OrderNo }).ToDictionaryAsync(o => o.Id, o => o.OrderNo, ct);
            foreach (var (t, type) in triggered)
            {
                var s = t.Shipment;
                var rule = MonitoringRules.Decide(rules, type!.Value, s.ShipperCode, s.OriginProvince, s.DestinationProvince);
                if (rule is not { Enabled: true } || open.Any(o => o.ShipmentId == s.Id && o.Type == type))
                {
                    continue;
                }
                var subject = ShipmentRef.Of(s);
                subject.OrderNo = s.OrderId is { } oid ? orderNos.GetValueOrDefault(oid) : null;
                opening.Add(CaseWriter.Open(db, rule, subject, t.AtUtc, t.AtUtc));
            }
        }
        await CaseWriter.SyncOrdersAsync(db, [.. closing, .. opening], CaseWriter.System, transitions.Max(t => t.AtUtc), ct);
    }
}
