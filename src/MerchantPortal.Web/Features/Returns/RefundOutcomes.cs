using System.Data;
using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

public enum RefundResult
{
    Succeeded,
    Failed,
}

public enum RefundApplyOutcome
{
    /// <summary>The refund moved to its final state now.</summary>
    Applied,
    /// <summary>It already had this very result: a repeat (a duplicate notification, a retried confirmation) changes nothing.</summary>
    AlreadyApplied,
    /// <summary>It already has the other final result: a final result is never overwritten.</summary>
    Conflict,
    /// <summary>Not handed to a payment path yet (Requested): there is nothing to confirm.</summary>
    NotPending,
    NotFound,
}

/// <summary>
/// The one place a refund becomes final (R10: no done state without the provider's confirmation). Succeeded makes the
/// return Refunded and queues the customer's "refund issued" message; Failed opens a RefundFailed exception case with
/// the reason through Monitoring's public case API. The Pending → final move is a conditional write in the transaction
/// that carries its consequences, so two confirmations at once (a notification and the query job) apply once.
/// </summary>
public sealed class RefundOutcomes(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<RefundOutcomes> logger)
{
    /// <summary>What is wrong with a result the merchant system reports; with none, the result it names.</summary>
    public static FieldProblems ResultProblems(string? status, string? reference, string? reason, out RefundResult? result)
    {
        var problems = new FieldProblems();
        result = status switch
        {
            "Succeeded" => RefundResult.Succeeded,
            "Failed" => RefundResult.Failed,
            _ => null,
        };
        if (result is null)
        {
            problems.Add("status", "status is required: Succeeded or Failed.");
        }
        if (reference is { Length: > 100 })
        {
            problems.Add("reference", "reference is at most 100 characters.");
        }
        if (reason is { Length: > 500 })
        {
            problems.Add("reason", "reason is at most 500 characters.");
        }
        else if (result == RefundResult.Failed && string.IsNullOrWhiteSpace(reason))
        {
            problems.Add("reason", "reason is required when the refund failed: it is what Ops see on the exception case.");
        }
        return problems;
    }

    public async Task<RefundApplyOutcome> ApplyAsync(long refundId, RefundResult result, string? reference, string? reason, string actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(refundId, result, reference, reason, actor, ct);
            }
            catch (Exception ex) when (attempt < 3 && DatabaseRaces.IsLostRace(ex))
            {
                // Two confirmations at once (the notification and the query job, two instances): the engine let one
                // through; this one decides again and now finds the refund final.
                logger.LogInformation(ex, "Confirming refund {RefundId} raced with another confirmation; deciding again", refundId);
            }
        }
    }

    private async Task<RefundApplyOutcome> ApplyOnceAsync(long refundId, RefundResult result, string? reference, string? reason, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var refund = await db.Set<Refund>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == refundId, ct);
        if (refund is null)
        {
            return RefundApplyOutcome.NotFound;
        }
        var target = result == RefundResult.Succeeded ? RefundStatus.Succeeded : RefundStatus.Failed;
        if (refund.Status is RefundStatus.Succeeded or RefundStatus.Failed)
        {
            return refund.Status == target ? RefundApplyOutcome.AlreadyApplied : RefundApplyOutcome.Conflict;
        }
        if (refund.Status != RefundStatus.Pending)
        {
            return RefundApplyOutcome.NotPending;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 500)];
        reference = string.IsNullOrWhiteSpace(reference) ? refund.Reference : reference.Trim()[..Math.Min(reference.Trim().Length, 100)];
        var claimed = await db.Set<Refund>().Where(r => r.Id == refundId && r.Status == RefundStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, target).SetProperty(r => r.CompletedAtUtc, now)
                .SetProperty(r => r.Reference, reference).SetProperty(r => r.FailureReason, target == RefundStatus.Failed ? reason ?? "no reason given" : null), ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            var now2 = await db.Set<Refund>().AsNoTracking().Where(r => r.Id == refundId).Select(r => r.Status).SingleAsync(ct);
            return now2 == target ? RefundApplyOutcome.AlreadyApplied : RefundApplyOutcome.Conflict;
        }
        var ret = await db.Set<ReturnRequest>().SingleAsync(r => r.Id == refund.ReturnId, ct);
        var order = await db.Set<Order>().AsNoTracking().Where(o => o.Id == ret.OrderId).Select(o => new { o.Id, o.OrderNo }).SingleAsync(ct);
        if (target == RefundStatus.Succeeded)
        {
            MarkRefunded(db, ret, order.OrderNo, now);
            db.Audit(now, actor, "returns.refund.succeeded", "Return", ret.RmaNo, $"{refund.Amount.ToString("0.00", CultureInfo.InvariantCulture)} {reference}");
            Outbox.EnqueueCustomer(db, NotificationMilestone.Refunded, order.Id, ret.ShipmentId, ret.Id, new Dictionary<string, string>
            {
                ["rmaNo"] = ret.RmaNo,
                ["orderNo"] = order.OrderNo,
                ["amount"] = refund.Amount.ToString("0.00", CultureInfo.InvariantCulture),
                ["resolution"] = refund.Kind.ToString(),
                ["exchangeOrderNo"] = refund.ExchangeOrderNo ?? "",
            }, now);
        }
        else
        {
            db.Audit(now, actor, "returns.refund.failed", "Return", ret.RmaNo, reason);
            var shipment = ret.ShipmentId is { } sid
                ? await db.Set<Shipment>().AsNoTracking().Where(s => s.Id == sid).Select(s => new { s.ShipperCode, s.TrackingNo, s.OriginProvince }).FirstOrDefaultAsync(ct)
                : null;
            await Monitoring.ReturnCases.OpenRefundFailedAsync(db,
                new Monitoring.ReturnSubject(ret.Id, ret.RmaNo, ret.OrderId, order.OrderNo, shipment?.ShipperCode ?? "", shipment?.TrackingNo, shipment?.OriginProvince),
                $"退款失败 Refund failed ({refund.Method}): {reason ?? "no reason given"}", now, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Refund {RefundId} of return {RmaNo} is {Status} ({Reference}) by {Actor}", refundId, ret.RmaNo, target, reference, actor);
        return RefundApplyOutcome.Applied;
    }

    /// <summary>The return reads Refunded (from wherever it is: Received, or in transit with the first-scan trigger).</summary>
    internal static void MarkRefunded(PortalDbContext db, ReturnRequest ret, string orderNo, DateTime now)
    {
        var previous = ret.Status;
        if (previous is ReturnStatus.Refunded or ReturnStatus.Rejected or ReturnStatus.Cancelled)
        {
            return;
        }
        ret.Status = ReturnStatus.Refunded;
        ret.RefundedAtUtc = now;
        ret.UpdatedAtUtc = now;
        ret.Version = Guid.NewGuid();
        ReturnService.StatusChanged(db, ret, orderNo, previous, now);
    }
}
