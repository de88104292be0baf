using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// Opens and closes cases inside the caller's unit of work (the tracking writer's, the sweep's or a user action's),
/// with the order's HasOpenException flag and the exception.* webhooks in the same commit.
/// </summary>
internal static class CaseWriter
{
    public const string System = "system";

    public static ExceptionCase Open(PortalDbContext db, MonitoringRule rule, ShipmentRef shipment, DateTime triggerAtUtc, DateTime nowUtc)
    {
        var c = new ExceptionCase
        {
            ShipmentId = shipment.Id,
            OrderId = shipment.OrderId,
            TrackingNo = shipment.TrackingNo,
            ShipperCode = shipment.ShipperCode,
            Type = rule.Type,
            Severity = rule.Severity,
            Status = CaseStatus.Open,
            RuleId = rule.Id,
            TriggerAtUtc = triggerAtUtc,
            OpenedAtUtc = nowUtc,
            DueAtUtc = nowUtc.AddHours(rule.DueWithinHours),
        };
        c.Notes.Add(new ExceptionCaseNote { AtUtc = nowUtc, Actor = System, Kind = CaseNoteKind.Opened });
        db.Add(c);
        Outbox.EnqueueWebhook(db, WebhookEvents.ExceptionOpened, Payload(c, nowUtc), nowUtc, c.OrderId, c.ShipmentId);
        return c;
    }

    public static void Resolve(PortalDbContext db, ExceptionCase c, string actor, string? resolution, CaseNoteKind kind, DateTime nowUtc)
    {
        c.Status = CaseStatus.Resolved;
        c.ResolvedAtUtc = nowUtc;
        c.ResolvedBy = actor;
        c.Resolution = resolution;
        db.Add(new ExceptionCaseNote { CaseId = c.Id, AtUtc = nowUtc, Actor = actor, Kind = kind, Text = resolution });
        Outbox.EnqueueWebhook(db, WebhookEvents.ExceptionResolved, Payload(c, nowUtc), nowUtc, c.OrderId, c.ShipmentId);
    }

    /// <summary>
    /// Sets each order's flag from the cases as they will be after this unit of work commits: <paramref name="opening"/>
    /// orders get a case now; <paramref name="closing"/> cases are being resolved now.
    /// </summary>
    public static async Task SyncOrderFlagsAsync(PortalDbContext db, IReadOnlyCollection<long> opening, IReadOnlyCollection<ExceptionCase> closing, CancellationToken ct)
    {
        var closingIds = closing.Select(c => c.Id).ToList();
        var orderIds = opening.Concat(closing.Where(c => c.OrderId is not null).Select(c => c.OrderId!.Value)).Distinct().ToList();
        if (orderIds.Count == 0)
        {
            return;
        }
        var stillOpen = await db.Set<ExceptionCase>()
            .Where(c => c.OrderId != null && orderIds.Contains(c.OrderId.Value) && c.Status != CaseStatus.Resolved && !closingIds.Contains(c.Id))
            .Select(c => c.OrderId!.Value).Distinct().ToListAsync(ct);
        var open = stillOpen.Concat(opening).ToHashSet();
        foreach (var order in await db.Set<Order>().Where(o => orderIds.Contains(o.Id)).ToListAsync(ct))
        {
            order.HasOpenException = open.Contains(order.Id);
        }
    }

    private static object Payload(ExceptionCase c, DateTime nowUtc) => new
    {
        trackingNo = c.TrackingNo,
        shipperCode = c.ShipperCode,
        type = c.Type.ToString(),
        severity = c.Severity.ToString(),
        status = c.Status.ToString(),
        openedAt = c.OpenedAtUtc,
        dueAt = c.DueAtUtc,
        resolvedAt = c.ResolvedAtUtc,
        resolution = c.Resolution,
        at = nowUtc,
    };
}

/// <summary>The facts of a shipment a case needs, from a tracked entity or a projection.</summary>
public sealed class ShipmentRef
{
    public long Id { get; init; }
    public long? OrderId { get; init; }
    public string TrackingNo { get; init; } = "";
    public string ShipperCode { get; init; } = "";
    public string? OriginProvince { get; init; }
    public string? DestinationProvince { get; init; }
    /// <summary>The time the condition started (used by the sweep's queries).</summary>
    public DateTime Ref { get; init; }

    public static ShipmentRef Of(Shipment s) => new()
    {
        Id = s.Id, OrderId = s.OrderId, TrackingNo = s.TrackingNo, ShipperCode = s.ShipperCode,
        OriginProvince = s.OriginProvince, DestinationProvince = s.DestinationProvince,
    };
}
