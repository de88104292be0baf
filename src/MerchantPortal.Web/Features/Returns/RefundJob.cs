using System.Data;
using System.Globalization;
using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns.WeChatPay;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Carries out a refund decision (Requested): an exchange as a new order draft (done at once: no money moves), or a
/// refund handed to the configured payment path — the merchant system (webhook, then its confirmation) or WeChat Pay
/// (申请退款). The refund becomes Pending; only a confirmation (<see cref="RefundOutcomes"/>) makes it final and the return
/// Refunded. With no path configured nothing moves and the return page says so. Takes the return id; safe to run twice
/// (the Requested → Pending claim is a conditional write) and to lose (<see cref="RefundWorkSource"/> re-enqueues).
/// </summary>
public sealed class RefundJob(IDbContextFactory<PortalDbContext> dbFactory, IRefundGateway gateway, RefundSettings settings, WeChatPayRefunds wechat,
    OrderService orders, TimeProvider clock, ILogger<RefundJob> logger)
{
    /// <summary>Kept in LastError while no refund path is configured: the return page shows it in the reader's language.</summary>
    public const string NotConfigured = "refund-method-not-configured";

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(long returnId, CancellationToken ct)
    {
        ReturnRequest ret;
        Order order;
        Refund refund;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var requested = await db.Set<Refund>().AsNoTracking().FirstOrDefaultAsync(r => r.ReturnId == returnId && r.Status == RefundStatus.Requested, ct);
            if (requested is null)
            {
                // Already handed over: a WeChat Pay refund whose application failed is picked up by the query job.
                return;
            }
            refund = requested;
            ret = await db.Set<ReturnRequest>().AsNoTracking().Include(r => r.Lines).SingleAsync(r => r.Id == returnId, ct);
            order = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.Id == ret.OrderId, ct);
        }

        if (refund.Kind == ReturnResolution.Exchange)
        {
            await ExchangeAsync(refund, ret, order, ct);
            return;
        }

        var method = await settings.MethodAsync(ct);
        if (method == RefundMethod.WeChatPay && await settings.WeChatPayAsync(ct) is null)
        {
            method = RefundMethod.None;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (method == RefundMethod.None)
        {
            // R10: no path, no money, no "refund issued". The sweeper tries again once Admin has chosen one.
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Set<Refund>().Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.LastError, NotConfigured), ct);
            logger.LogWarning("Refund of return {RmaNo} waits: no refund method is configured", ret.RmaNo);
            return;
        }

        await using (var write = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await write.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var claimed = await write.Set<Refund>().Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RefundStatus.Pending).SetProperty(r => r.RequestedAtUtc, now)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.Method, method).SetProperty(r => r.LastError, (string?)null)
                    .SetProperty(r => r.OutRefundNo, method == RefundMethod.WeChatPay ? WeChatPayRefunds.OutRefundNoOf(returnId) : null), ct);
            if (claimed == 0)
            {
                logger.LogInformation("Refund of return {ReturnId} was already handed over; nothing to do", returnId);
                return;
            }
            if (method == RefundMethod.MerchantSystem)
            {
                await gateway.RequestAsync(write, new RefundRequest(WeChatPayRefunds.OutRefundNoOf(returnId), refund.Id, returnId, ret.RmaNo, order.Id, order.OrderNo, refund.Amount,
                    [.. ret.Lines.Select(l => new RefundRequestLine(l.Sku, l.Name, l.Quantity, l.UnitPrice))], now), ct);
            }
            write.Audit(now, "system", "returns.refund.requested", "Return", ret.RmaNo, $"{method} {refund.Amount.ToString("0.00", CultureInfo.InvariantCulture)}");
            await write.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (method == RefundMethod.WeChatPay)
        {
            // After the commit, outside any transaction (SQLite has one writer; an HTTP call must not hold it). A crash
            // here leaves it Pending with no answer: the query job finds WeChat Pay does not know it and applies again.
            await wechat.SubmitAsync(refund.Id, ct);
        }
    }

    /// <summary>An exchange moves no money: the draft order is the real act, so it is final at once.</summary>
    private async Task ExchangeAsync(Refund refund, ReturnRequest ret, Order order, CancellationToken ct)
    {
        // Before the claim's transaction (SQLite allows one writer): CreateAsync is idempotent on the order number,
        // so a crash after it and before the claim only finds the draft already there next time.
        var exchangeOrderNo = await CreateExchangeDraftAsync(ret, order, ct);
        await using var write = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await write.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await write.Set<Refund>().Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RefundStatus.Succeeded).SetProperty(r => r.RequestedAtUtc, now).SetProperty(r => r.CompletedAtUtc, now)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.ExchangeOrderNo, exchangeOrderNo), ct);
        if (claimed == 0)
        {
            return;
        }
        var entity = await write.Set<ReturnRequest>().SingleAsync(r => r.Id == ret.Id, ct);
        RefundOutcomes.MarkRefunded(write, entity, order.OrderNo, now);
        write.Audit(now, "system", "returns.exchange", "Return", ret.RmaNo, exchangeOrderNo);
        Outbox.EnqueueCustomer(write, NotificationMilestone.Refunded, order.Id, entity.ShipmentId, ret.Id, new Dictionary<string, string>
        {
            ["rmaNo"] = ret.RmaNo,
            ["orderNo"] = order.OrderNo,
            ["amount"] = refund.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["resolution"] = refund.Kind.ToString(),
            ["exchangeOrderNo"] = exchangeOrderNo,
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

/// <summary>Refund decisions left Requested (a lost job, a failed attempt, no path configured yet) are enqueued again by the sweeper.</summary>
public sealed class RefundWorkSource(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock) : IWorkSource
{
    public string Name => "returns:refunds";

    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        // A minute's grace: a decision just saved has its own job on the way.
        var before = clock.GetUtcNow().UtcDateTime.AddMinutes(-1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<Refund>().Where(r => r.Status == RefundStatus.Requested && r.DecidedAtUtc < before).Select(r => r.ReturnId).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<RefundJob>("default", j => j.RunAsync(id, CancellationToken.None));
        }
        return ids.Count;
    }
}

/// <summary>
/// Asks WeChat Pay about a refund still Pending (查询单笔退款): recovers a lost notification, and re-applies a refund
/// whose application never arrived. Takes the refund id; safe to run twice (the outcome is a conditional write) and to
/// lose (<see cref="RefundQueryWorkSource"/> enqueues again while it is Pending).
/// </summary>
public sealed class RefundQueryJob(WeChatPayRefunds wechat)
{
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(long refundId, CancellationToken ct) => wechat.QueryAsync(refundId, ct);
}

/// <summary>WeChat Pay refunds Pending for longer than Returns:RefundQueryAfter (default 5 minutes): a query job each.</summary>
public sealed class RefundQueryWorkSource(IDbContextFactory<PortalDbContext> dbFactory, IBackgroundJobClient jobs, IConfiguration configuration, TimeProvider clock) : IWorkSource
{
    public string Name => "returns:refund-queries";

    public async Task<int> RequeueUnfinishedAsync(CancellationToken ct)
    {
        // A notification normally comes within seconds; only a refund quiet for this long is asked about.
        var before = clock.GetUtcNow().UtcDateTime - configuration.GetValue("Returns:RefundQueryAfter", TimeSpan.FromMinutes(5));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<Refund>().AsNoTracking()
            .Where(r => r.Status == RefundStatus.Pending && r.Method == RefundMethod.WeChatPay && (r.RequestedAtUtc == null || r.RequestedAtUtc < before))
            .Select(r => r.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<RefundQueryJob>("default", j => j.RunAsync(id, CancellationToken.None));
        }
        return ids.Count;
    }
}
