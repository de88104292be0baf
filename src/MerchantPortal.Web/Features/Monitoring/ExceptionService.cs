using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

public enum CaseActionOutcome
{
    Done,
    NotFound,
    /// <summary>The case is resolved; only comments are still accepted.</summary>
    Closed,
}

/// <summary>
/// What people do with a case: assign, comment, record actions, resolve. Every action is a note on the case and an
/// audit entry in the same commit. Who may do what is the caller's policy (CustomerService: comment only).
/// </summary>
public sealed class ExceptionService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public Task<CaseActionOutcome> AssignAsync(long caseId, string? assignee, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.Assigned, assignee ?? "—", ct, (_, c) =>
        {
            c.AssignedTo = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
            c.Status = c.AssignedTo is null ? CaseStatus.Open : CaseStatus.InProgress;
            return Task.CompletedTask;
        });

    public Task<CaseActionOutcome> CommentAsync(long caseId, string text, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.Comment, text, ct, null, allowClosed: true);

    public Task<CaseActionOutcome> NoteCarrierContactAsync(long caseId, string text, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.CarrierContacted, text, ct, null);

    /// <summary>Queues the "exception" message to the customer (the dispatcher sends it, or skips it if they opted out).</summary>
    public Task<CaseActionOutcome> NotifyCustomerAsync(long caseId, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.CustomerNotified, null, ct, async (db, c) =>
        {
            var values = await CustomerValues.ForShipmentAsync(db, c.ShipmentId, ct);
            values["exception"] = c.Type.ToString();
            Outbox.EnqueueCustomer(db, NotificationMilestone.Exception, c.OrderId, c.ShipmentId, null, values, clock.GetUtcNow().UtcDateTime);
        });

    /// <summary>
    /// Records that a reshipment was asked for. The portal does not create the replacement order itself: a copy would
    /// need stock and approval decisions that belong to the Orders feature (ADR 0011).
    /// </summary>
    public Task<CaseActionOutcome> RequestReshipAsync(long caseId, string? text, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.ReshipRequested, text, ct, (_, c) =>
        {
            c.ReshipRequested = true;
            return Task.CompletedTask;
        });

    /// <summary>Records that a return was asked for (the Returns feature opens the return itself).</summary>
    public Task<CaseActionOutcome> RequestReturnAsync(long caseId, string? text, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.ReturnRequested, text, ct, (_, c) =>
        {
            c.ReturnRequested = true;
            return Task.CompletedTask;
        });

    public async Task<CaseActionOutcome> ResolveAsync(long caseId, string? resolution, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Set<ExceptionCase>().SingleOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null)
        {
            return CaseActionOutcome.NotFound;
        }
        if (c.Status == CaseStatus.Resolved)
        {
            return CaseActionOutcome.Closed;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        CaseWriter.Resolve(db, c, actor, string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim(), CaseNoteKind.Resolved, now);
        await CaseWriter.SyncOrderFlagsAsync(db, [], [c], ct);
        db.Audit(now, actor, "exception.resolve", nameof(ExceptionCase), caseId.ToString(CultureInfo.InvariantCulture), resolution);
        await db.SaveChangesAsync(ct);
        return CaseActionOutcome.Done;
    }

    private async Task<CaseActionOutcome> ActAsync(long caseId, string actor, CaseNoteKind kind, string? text, CancellationToken ct,
        Func<PortalDbContext, ExceptionCase, Task>? change, bool allowClosed = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Set<ExceptionCase>().SingleOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null)
        {
            return CaseActionOutcome.NotFound;
        }
        if (c.Status == CaseStatus.Resolved && !allowClosed)
        {
            return CaseActionOutcome.Closed;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (change is not null)
        {
            await change(db, c);
        }
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        db.Add(new ExceptionCaseNote { CaseId = c.Id, AtUtc = now, Actor = actor, Kind = kind, Text = text is { Length: > 2000 } ? text[..2000] : text });
        db.Audit(now, actor, "exception." + kind.ToString().ToLowerInvariant(), nameof(ExceptionCase), caseId.ToString(CultureInfo.InvariantCulture), text);
        await db.SaveChangesAsync(ct);
        return CaseActionOutcome.Done;
    }
}

/// <summary>The placeholder values every customer template can use, from a shipment and its order.</summary>
public static class CustomerValues
{
    public static async Task<Dictionary<string, string>> ForShipmentAsync(PortalDbContext db, long shipmentId, CancellationToken ct)
    {
        var s = await db.Set<Shipment>().AsNoTracking().SingleAsync(x => x.Id == shipmentId, ct);
        return await ForAsync(db, s, ct);
    }

    public static async Task<Dictionary<string, string>> ForAsync(PortalDbContext db, Shipment s, CancellationToken ct)
    {
        var order = s.OrderId is null ? null : await db.Set<Order>().AsNoTracking()
            .Where(o => o.Id == s.OrderId).Select(o => new { o.OrderNo, o.ReceiverName, o.ReceiverPhone }).FirstOrDefaultAsync(ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trackingNo"] = s.TrackingNo,
            ["carrier"] = s.ShipperCode,
            ["trackingUrl"] = "/track?no=" + Uri.EscapeDataString(s.TrackingNo),
        };
        if (order is not null)
        {
            values["orderNo"] = order.OrderNo;
            values["name"] = order.ReceiverName;
            values["phone"] = order.ReceiverPhone;
        }
        return values;
    }
}
