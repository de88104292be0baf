using Hangfire;
using System.Data;
using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Carries out a pending refund decision: a refund through <see cref="IRefundGateway"/>, or an exchange as a new
/// order draft. Takes the return id; safe to run twice (the Pending → Requested claim is a conditional write in the
/// same transaction as everything it causes) and safe to lose (<see cref="RefundWorkSource"/> re-enqueues).
/// </summary>
public sealed class RefundJob(IDbContextFactory<PortalDbContext> dbFactory, IRefundGateway gateway, OrderService orders, TimeProvider clock, ILogger<RefundJob> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long returnId, CancellationToken ct)
    {
        ReturnRequest ret;
        Order order;
        Refund refund;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var pending = await db.Set<Refund>().AsNoTracking().FirstOrDefaultAsync(r => r.ReturnId == returnId && r.Status == RefundStatus.Pending, ct);
            if (pending is null)
            {
                return;
            }
            refund = pending;
            ret = await db.Set<ReturnRequest>().AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == returnId, ct);
            order = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.Id == ret.OrderId, ct);
        }

        // Before the claim's transaction (SQLite allows one writer): CreateAsync is idempotent on the order number,
        // so a crash after it and before the claim only finds the draft already there next time.
        var exchangeOrderNo = refund.Kind == ReturnResolution.Exchange ? await CreateExchangeDraftAsync(ret, order, ct) : null;

        await using var write = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await write.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await write.Set<Refund>().Where(r => r.ReturnId == returnId && r.Status == RefundStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RefundStatus.Requested).SetProperty(r => r.RequestedAtUtc, now)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.ExchangeOrderNo, exchangeOrderNo), ct);
        if (claimed == 0)
        {
            logger.LogInformation("Refund of return {ReturnId} was already requested; nothing to do", returnId);
            return;
        }

        string? reference = null;
        if (refund.Kind == ReturnResolution.Refund)
        {
            reference = await gateway.RequestAsync(write, new RefundRequest($"return-{returnId}", returnId, ret.RmaNo, order.Id, order.OrderNo, refund.Amount,
                [.. ret.Lines.Select(l => new RefundRequestLine(l.Sku, l.Name, l.Quantity, l.UnitPrice))], now), ct);
        }
        if (reference is not null)
        {
            await write.Set<Refund>().Where(r => r.ReturnId == returnId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Reference, reference), ct);
        }

        var entity = await write.Set<ReturnRequest>().SingleAsync(r => r.Id == returnId, ct);
        var previous = entity.Status;
        entity.Status = ReturnStatus.Refunded;
        entity.RefundedAtUtc = now;
        entity.UpdatedAtUtc = now;
        entity.Version = Guid.NewGuid();
        ReturnService.StatusChanged(write, entity, order.OrderNo, previous, now);
        write.Audit(now, "system", refund.Kind == ReturnResolution.Refund ? "returns.refund" : "returns.exchange", "Return", ret.RmaNo,
            exchangeOrderNo ?? refund.Amount.ToString("0.00", CultureInfo.InvariantCulture));
        Outbox.EnqueueCustomer(write, NotificationMilestone.Refunded, order.Id, entity.ShipmentId, returnId, new Dictionary<string, string>
        {
            ["rmaNo"] = ret.RmaNo,
            ["orderNo"] = order.OrderNo,
            ["amount"] = refund.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["resolution"] = refund.Kind.ToString(),
            ["exchangeOrderNo"] = exchangeOrderNo ?? "",
        }, now);
        await write.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A draft (PendingReview) copying the returned lines, to the same customer, for Ops to approve and ship.</summary>
    private async Task<string> CreateExchangeDraftAsync(ReturnRequest ret, Order order, CancellationToken ct)
    {
        var orderNo = ret.RmaNo + "-EX";
        var (outcome, _) = await orders.CreateAsync(new NewOrder(orderNo, order.Channel, order.ReceiverName, order.ReceiverPhone, order.Province, order.City,
            order.District, order.AddressDetail, order.Postcode,
            [.. ret.Lines.Select(l => new NewOrderLine(l.Sku, l.Name, l.Quantity, l.UnitPrice, 0m))],
            $"换货 exchange for {order.OrderNo} ({ret.RmaNo})"), "returns", ct);
        if (outcome == CreateOutcome.Conflict)
        {
            throw new InvalidOperationException($"Order {orderNo} exists with other content; the exchange of {ret.RmaNo} needs a look.");
        }
        return orderNo;
    }
}

/// <summary>Refund decisions left pending (a lost job, a failed attempt) are enqueued again by the sweeper.</summary>
public sealed class RefundWorkSource(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock) : IWorkSource
{
    public string Name => "returns:refunds";

    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        // A minute's grace: a decision just saved has its own job on the way.
        var before = clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<Refund>().Where(r => r.Status == RefundStatus.Pending && r.DecidedAtUtc < before).Select(r => r.ReturnId).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<RefundJob>("default", j => j.RunAsync(id, CancellationToken.None));
        }
        return ids.Count;
    }
}
