using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

/// <summary>
/// Opens and closes cases inside the caller's unit of work (the tracking writer's, the sweep's or a user action's),
/// with the order following (through Orders' lifecycle) and the exception.* webhooks in the same commit.
/// </summary>
internal static class CaseWriter
{
    public const string System = "system";

    public static ExceptionCase Open(PortalDbContext db, MonitoringRule rule, ShipmentRef shipment, DateTime triggerAtUtc, DateTime nowUtc)
    {
        var c = New(rule, triggerAtUtc, nowUtc);
        c.ShipmentId = shipment.Id;
        c.OrderId = shipment.OrderId;
        c.TrackingNo = shipment.TrackingNo;
        c.ShipperCode = shipment.ShipperCode;
        c.OrderValue = shipment.OrderValue;
        CaseUrgency.Apply(c);
        Add(db, c, new CaseSubject(shipment.OrderNo, null, null), nowUtc);
        return c;
    }

    /// <summary>
    /// A more specific cause on a parcel that has an open case: the case takes the new type, rule, severity and trigger,
    /// keeps its history, assignee and actions, and notes "cause changed from X to Y" (ADR 0020). The due time only
    /// comes forward: a worse cause never gives Ops more time.
    /// </summary>
    public static void ChangeCause(PortalDbContext db, ExceptionCase c, MonitoringRule rule, DateTime triggerAtUtc, DateTime nowUtc, LateCause? lateCause = null)
    {
        var from = c.Type;
        c.Type = rule.Type;
        c.RuleId = rule.Id;
        c.Severity = rule.Severity;
        c.TriggerAtUtc = triggerAtUtc;
        c.LateCause = lateCause;
        var due = nowUtc.AddHours(rule.DueWithinHours);
        if (due < c.DueAtUtc)
        {
            c.DueAtUtc = due;
        }
        CaseUrgency.Apply(c);
        db.Add(new ExceptionCaseNote { CaseId = c.Id, AtUtc = nowUtc, Actor = System, Kind = CaseNoteKind.CauseChanged, Text = $"{from} → {rule.Type}" });
    }

    /// <summary>A case about a return that has no parcel to watch (the courier never came for it).</summary>
    public static ExceptionCase OpenForReturn(PortalDbContext db, MonitoringRule rule, ReturnSubject ret, DateTime triggerAtUtc, DateTime nowUtc)
    {
        var c = New(rule, triggerAtUtc, nowUtc);
        c.ReturnId = ret.ReturnId;
        c.OrderId = ret.OrderId;
        c.TrackingNo = ret.TrackingNo;
        c.ShipperCode = ret.ShipperCode;
        CaseUrgency.Apply(c);
        Add(db, c, new CaseSubject(ret.OrderNo, ret.ReturnId, ret.RmaNo), nowUtc);
        return c;
    }

    private static ExceptionCase New(MonitoringRule rule, DateTime triggerAtUtc, DateTime nowUtc) => new()
    {
        ShipperCode = "",
        Type = rule.Type,
        Severity = rule.Severity,
        Status = CaseStatus.Open,
        RuleId = rule.Id,
        TriggerAtUtc = triggerAtUtc,
        OpenedAtUtc = nowUtc,
        DueAtUtc = nowUtc.AddHours(rule.DueWithinHours),
    };

    private static void Add(PortalDbContext db, ExceptionCase c, CaseSubject subject, DateTime nowUtc)
    {
        c.Notes.Add(new ExceptionCaseNote { AtUtc = nowUtc, Actor = System, Kind = CaseNoteKind.Opened });
        // Through the case's navigation: EF inserts the case first and fills the webhook's CaseId in the same commit.
        Outbox.EnqueueWebhook(c.Webhooks, WebhookEvents.ExceptionOpened, Payload(c, subject, nowUtc), nowUtc, c.OrderId, c.ShipmentId, c.ReturnId);
        db.Add(c);
    }

    public static void Resolve(PortalDbContext db, ExceptionCase c, string actor, string? resolution, CaseNoteKind kind, DateTime nowUtc, CaseSubject? subject = null,
        ResolutionCode? code = null)
    {
        c.Status = CaseStatus.Resolved;
        c.ResolutionCode = code;
        c.ResolvedAtUtc = nowUtc;
        c.ResolvedBy = actor;
        c.Resolution = resolution;
        db.Add(new ExceptionCaseNote { CaseId = c.Id, AtUtc = nowUtc, Actor = actor, Kind = kind, Text = resolution });
        Outbox.EnqueueWebhook(db, WebhookEvents.ExceptionResolved, Payload(c, subject ?? new CaseSubject(null, c.ReturnId, null), nowUtc), nowUtc, c.OrderId, c.ShipmentId, c.ReturnId, c.Id);
    }

    /// <summary>
    /// Tells Orders that these cases are being opened or resolved in this unit of work: each named order's open-case
    /// flag and status (Exception while a high-severity case is open) follow, with the case as the cause.
    /// </summary>
    public static async Task SyncOrdersAsync(PortalDbContext db, IReadOnlyCollection<ExceptionCase> changed, string actor, DateTime nowUtc, CancellationToken ct)
    {
        var byOrder = changed.Where(c => c.OrderId is not null).GroupBy(c => c.OrderId!.Value).ToDictionary(g => g.Key, g => g.Last());
        await OrderLifecycle.FollowParcelsAsync(db, byOrder.Keys, id => Cause(byOrder[id], actor), nowUtc, ct);
    }

    private static OrderCause Cause(ExceptionCase c, string actor) =>
        // The case's type and severity are on its own line of the order's story; the order's row names the parcel.
        new(actor, c.Status == CaseStatus.Resolved ? "CaseResolved" : "CaseOpened", $"{c.ShipperCode} {c.TrackingNo}".Trim());

    /// <summary>The case id is added by the dispatcher's envelope (from the row's CaseId), see <see cref="ExceptionCase.Webhooks"/>.</summary>
    private static object Payload(ExceptionCase c, CaseSubject subject, DateTime nowUtc) => new
    {
        orderNo = subject.OrderNo,
        returnId = subject.ReturnId,
        rmaNo = subject.RmaNo,
        trackingNo = c.TrackingNo,
        shipperCode = c.ShipperCode,
        type = c.Type.ToString(),
        severity = c.Severity.ToString(),
        status = c.Status.ToString(),
        openedAt = c.OpenedAtUtc,
        dueAt = c.DueAtUtc,
        resolvedAt = c.ResolvedAtUtc,
        resolution = c.Resolution,
        resolutionCode = c.ResolutionCode?.ToString(),
        at = nowUtc,
    };
}

/// <summary>What a webhook names besides the case: the order and, for return cases, the return.</summary>
public sealed record CaseSubject(string? OrderNo, long? ReturnId, string? RmaNo);

/// <summary>The facts of a return a no-show case needs.</summary>
public sealed record ReturnSubject(long ReturnId, string RmaNo, long OrderId, string OrderNo, string ShipperCode, string? TrackingNo, string? Province);

/// <summary>The facts of a shipment a case needs, from a tracked entity or a projection.</summary>
public sealed class ShipmentRef
{
    public long Id { get; init; }
    public long? OrderId { get; init; }
    /// <summary>For the webhook; callers fill it (one lookup per batch) before opening.</summary>
    public string? OrderNo { get; set; }
    /// <summary>The order's amount, for the case's urgency; filled with <see cref="OrderNo"/>.</summary>
    public decimal? OrderValue { get; set; }
    public string TrackingNo { get; init; } = "";
    public string ShipperCode { get; init; } = "";
    public string? OriginProvince { get; init; }
    public string? DestinationProvince { get; init; }
    /// <summary>The time the condition started (used by the sweep's queries).</summary>
    public DateTime Ref { get; init; }
    /// <summary>A forecast case: the promise (its due time is never after it) and the last scan (stuck or slow).</summary>
    public DateTime? PromisedByUtc { get; init; }
    public DateTime? LastScanAtUtc { get; init; }

    /// <summary>Fills <see cref="OrderNo"/> and <see cref="OrderValue"/> of these subjects with one query (Orders' table, read only).</summary>
    public static async Task FillOrdersAsync(PortalDbContext db, IReadOnlyCollection<ShipmentRef> subjects, CancellationToken ct)
    {
        var ids = subjects.Where(c => c.OrderId != null).Select(c => c.OrderId!.Value).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var orders = await db.Set<Order>().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.OrderNo, o.TotalAmount }).ToDictionaryAsync(o => o.Id, ct);
        foreach (var s in subjects)
        {
            if (s.OrderId is { } id && orders.TryGetValue(id, out var o))
            {
                (s.OrderNo, s.OrderValue) = (o.OrderNo, o.TotalAmount);
            }
        }
    }

    public static ShipmentRef Of(Shipment s) => new()
    {
        Id = s.Id, OrderId = s.OrderId, TrackingNo = s.TrackingNo, ShipperCode = s.ShipperCode,
        OriginProvince = s.OriginProvince, DestinationProvince = s.DestinationProvince,
    };
}
