using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

public enum ParcelChangeOutcome
{
    Done,
    NotFound,
    /// <summary>The request itself is wrong (400): which line, which parcel.</summary>
    Invalid,
    /// <summary>The orders' state refuses it (409): which order and why.</summary>
    Refused,
}

public sealed record ParcelChange(ParcelChangeOutcome Outcome, FieldProblems Problems, string? LeadOrderNo = null)
{
    public static ParcelChange Done(string? lead = null) => new(ParcelChangeOutcome.Done, new FieldProblems(), lead);

    public static ParcelChange Invalid(FieldProblems problems) => new(ParcelChangeOutcome.Invalid, problems);

    /// <param name="code">Translated by the pages ("Parcels.Problem.{code}", the order number as {0}); the API answers the message.</param>
    public static ParcelChange Refused(string field, string code, string orderNo, string message) =>
        new(ParcelChangeOutcome.Refused, new FieldProblems().Add(new FieldProblem(field, code, message, orderNo)));

    public IResult ToResult(Func<IResult> done) => Outcome switch
    {
        ParcelChangeOutcome.Done => done(),
        ParcelChangeOutcome.NotFound => Problems.ToResult(StatusCodes.Status404NotFound, "Not found"),
        ParcelChangeOutcome.Invalid => Problems.ToResult(),
        _ => Problems.ToResult(StatusCodes.Status409Conflict, "Refused by the orders' state"),
    };
}

/// <summary>One suggested merge: orders of one shop to one receiver that could ship in one parcel.</summary>
public sealed record MergeSuggestion(string ReceiverName, string Phone, string Address, int? ShopId, IReadOnlyList<MergeSuggestionOrder> Orders);

public sealed record MergeSuggestionOrder(string OrderNo, OrderStatus Status, DateTime CreatedAtUtc, decimal TotalAmount, int LineCount, bool IsLead);

/// <summary>
/// 合并发货 and 拆单 (docs/decisions/0021-merged-and-split-parcels.md): merge orders to one receiver into one parcel and
/// take them apart again before the waybill; split an order into parcels and join it again. Each change is one
/// transaction with a history row on every order it touches and an audit row; state checks are conditional updates,
/// so an approval, a waybill or another merge at the same moment is told apart rather than overwritten.
/// </summary>
public sealed class OrderParcelService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Groups of at least two orders that could be merged (not yet all in one merge), oldest first.</summary>
    public async Task<IReadOnlyList<MergeSuggestion>> SuggestionsAsync(int take = 50, bool fullPii = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = Candidates(db);
        var keys = await open.GroupBy(o => new { o.ShopId, o.ReceiverName, o.ReceiverPhone, o.Province, o.City, o.District, o.AddressDetail })
            .Where(g => g.Count() > 1).Select(g => new { g.Key, First = g.Min(o => o.Id) }).OrderBy(g => g.First).Take(take).ToListAsync(ct);
        var result = new List<MergeSuggestion>(keys.Count);
        foreach (var k in keys.Select(k => k.Key))
        {
            var orders = await open.Where(o => o.ShopId == k.ShopId && o.ReceiverName == k.ReceiverName && o.ReceiverPhone == k.ReceiverPhone && o.Province == k.Province
                    && o.City == k.City && o.District == k.District && o.AddressDetail == k.AddressDetail)
                .OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id)
                .Select(o => new MergeSuggestionOrder(o.OrderNo, o.Status, o.CreatedAtUtc, o.TotalAmount, o.LineCount, db.Set<Order>().Any(f => f.MergedIntoOrderId == o.Id)))
                .ToListAsync(ct);
            result.Add(new MergeSuggestion(k.ReceiverName, fullPii ? k.ReceiverPhone : Pii.MaskPhone(k.ReceiverPhone),
                $"{k.Province}{k.City}{k.District}" + (fullPii ? k.AddressDetail : Pii.MaskAddressDetail(k.AddressDetail)), k.ShopId, orders));
        }
        return result;
    }

    /// <summary>The other open orders this one could be merged with (its merge suggestion), oldest first; empty when none.</summary>
    public async Task<IReadOnlyList<string>> MergeableWithAsync(string orderNo, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var o = await Candidates(db).FirstOrDefaultAsync(x => x.OrderNo == orderNo, ct);
        if (o is null)
        {
            return [];
        }
        return await SameReceiver(Candidates(db), o).Where(x => x.Id != o.Id).OrderBy(x => x.CreatedAtUtc).ThenBy(x => x.Id)
            .Select(x => x.OrderNo).Take(ParcelRules.MaxMergeOrders - 1).ToListAsync(ct);
    }

    private static IQueryable<Order> SameReceiver(IQueryable<Order> orders, Order o) =>
        orders.Where(x => x.ShopId == o.ShopId && x.ReceiverName == o.ReceiverName && x.ReceiverPhone == o.ReceiverPhone
            && x.Province == o.Province && x.City == o.City && x.District == o.District && x.AddressDetail == o.AddressDetail);

    /// <summary>Orders that may start or join a merge: before the waybill, whole, receiver known, not following another.</summary>
    private static IQueryable<Order> Candidates(PortalDbContext db) => db.Set<Order>().AsNoTracking()
        .Where(o => (o.Status == OrderStatus.PendingReview || o.Status == OrderStatus.Approved || o.Status == OrderStatus.OnHold)
            && !o.ReceiverMasked && o.ParcelCount == 1 && o.MergedIntoOrderId == null);

    /// <summary>
    /// Merges the orders into one parcel: the oldest leads (its waybill carries every order's lines), the others (and
    /// any orders already merged into one of them) follow it.
    /// </summary>
    public async Task<ParcelChange> MergeAsync(IReadOnlyList<string> orderNos, string actor, CancellationToken ct = default)
    {
        var numbers = orderNos.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (numbers.Count is < 2 or > ParcelRules.MaxMergeOrders)
        {
            return ParcelChange.Invalid(new FieldProblems().Add(new FieldProblem("orderNos", "MergeCount", $"A merge names 2 to {ParcelRules.MaxMergeOrders} orders; it named {numbers.Count}.", ParcelRules.MaxMergeOrders)));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var named = await db.Set<Order>().AsNoTracking().Where(o => numbers.Contains(o.OrderNo)).OrderBy(o => o.Id).ToListAsync(ct);
        if (numbers.Except(named.Select(o => o.OrderNo)).FirstOrDefault() is { } unknown)
        {
            return new ParcelChange(ParcelChangeOutcome.NotFound, FieldProblems.Of("orderNos", $"There is no order {unknown}."));
        }
        var ids = named.Select(o => o.Id).ToList();
        // Orders already merged into one of the named orders come along (one level: a follower never leads).
        var members = named.Concat(await db.Set<Order>().AsNoTracking().Where(o => o.MergedIntoOrderId != null && ids.Contains(o.MergedIntoOrderId.Value) && !ids.Contains(o.Id)).ToListAsync(ct)).ToList();
        var memberIds = members.Select(o => o.Id).ToList();
        var live = (await db.Set<Waybill>().AsNoTracking().Where(w => w.LiveOrderId != null && memberIds.Contains(w.OrderId)).Select(w => w.OrderId).ToListAsync(ct)).ToHashSet();
        foreach (var o in members)
        {
            if (ParcelRules.MergeRefusal(o, live.Contains(o.Id)) is { } reason)
            {
                return ParcelChange.Refused(o.OrderNo, reason, o.OrderNo, RefusalText(o, reason));
            }
            if (o.MergedIntoOrderId is { } lead && !memberIds.Contains(lead))
            {
                var leadNo = await db.Set<Order>().Where(x => x.Id == lead).Select(x => x.OrderNo).FirstAsync(ct);
                return ParcelChange.Refused(o.OrderNo, "MergedElsewhere", o.OrderNo, $"Order {o.OrderNo} already ships with order {leadNo}: unmerge it first.");
            }
        }
        var first = members[0];
        if (members.FirstOrDefault(o => ParcelRules.MergeKey(o) != ParcelRules.MergeKey(first)) is { } other)
        {
            return ParcelChange.Refused(other.OrderNo, "OtherReceiver", other.OrderNo,
                $"Order {other.OrderNo} goes to another receiver, phone, address or shop than order {first.OrderNo}: only orders to the very same receiver ship together.");
        }
        var leadOrder = ParcelRules.Lead(members);
        var now = clock.GetUtcNow().UtcDateTime;
        var followers = members.Where(o => o.Id != leadOrder.Id).ToList();
        foreach (var f in followers)
        {
            // Conditional: a waybill, a cancel or another merge since the read makes this merge fail as a whole.
            var before = f.MergedIntoOrderId;
            var changed = await db.Set<Order>()
                .Where(o => o.Id == f.Id && o.MergedIntoOrderId == before && (o.Status == OrderStatus.PendingReview || o.Status == OrderStatus.Approved || o.Status == OrderStatus.OnHold))
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.MergedIntoOrderId, leadOrder.Id).SetProperty(o => o.UpdatedAtUtc, now), ct);
            if (changed != 1)
            {
                await tx.RollbackAsync(ct);
                return ParcelChange.Refused(f.OrderNo, "Changed", f.OrderNo, $"Order {f.OrderNo} changed meanwhile; look again and merge.");
            }
            db.Add(History(f.Id, now, actor, "Merged", $"合并发货: ships in the parcel of {leadOrder.OrderNo}"));
        }
        // The lead leads nobody's parcel but its own: it may have followed another order before.
        await db.Set<Order>().Where(o => o.Id == leadOrder.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.MergedIntoOrderId, (long?)null).SetProperty(o => o.UpdatedAtUtc, now), ct);
        db.Add(History(leadOrder.Id, now, actor, "MergedOrders", "合并发货: " + string.Join(", ", followers.Select(f => f.OrderNo))));
        db.Audit(now, actor, "orders.merge", "Order", leadOrder.OrderNo, string.Join(", ", followers.Select(f => f.OrderNo)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ParcelChange.Done(leadOrder.OrderNo);
    }

    private static string RefusalText(Order o, string reason) => reason switch
    {
        "Status" => $"Order {o.OrderNo} is {o.Status}: only orders in PendingReview, Approved or OnHold (before their waybill) can be merged.",
        "ReceiverMasked" => $"Order {o.OrderNo} has a masked receiver: give the real name, phone and address first.",
        "Split" => $"Order {o.OrderNo} is split into {o.ParcelCount} parcels: unsplit it first.",
        _ => $"Order {o.OrderNo} has a live waybill: void it first.",
    };

    /// <summary>
    /// Takes an order out of its merge (a follower), or every order out of it (the lead), while the lead has no live
    /// waybill yet.
    /// </summary>
    public async Task<ParcelChange> UnmergeAsync(string orderNo, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await db.Set<Order>().AsNoTracking().Where(o => o.OrderNo == orderNo.Trim()).Select(o => new { o.Id, o.OrderNo, o.MergedIntoOrderId }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return new ParcelChange(ParcelChangeOutcome.NotFound, FieldProblems.Of("orderNo", $"There is no order {orderNo}."));
        }
        var leadId = order.MergedIntoOrderId ?? order.Id;
        var followers = await db.Set<Order>().AsNoTracking().Where(o => o.MergedIntoOrderId == leadId && (order.MergedIntoOrderId == null || o.Id == order.Id))
            .Select(o => new { o.Id, o.OrderNo }).ToListAsync(ct);
        if (followers.Count == 0)
        {
            return ParcelChange.Refused("orderNo", "NotMerged", order.OrderNo, $"Order {order.OrderNo} is not merged with another order.");
        }
        var lead = await db.Set<Order>().AsNoTracking().Where(o => o.Id == leadId).Select(o => new { o.Id, o.OrderNo }).FirstAsync(ct);
        if (await db.Set<Waybill>().AnyAsync(w => w.LiveOrderId == leadId, ct))
        {
            return ParcelChange.Refused("orderNo", "LiveWaybill", lead.OrderNo, $"The merged parcel of order {lead.OrderNo} has a live waybill: void it first, then unmerge.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var f in followers)
        {
            await db.Set<Order>().Where(o => o.Id == f.Id && o.MergedIntoOrderId == leadId)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.MergedIntoOrderId, (long?)null).SetProperty(o => o.UpdatedAtUtc, now), ct);
            db.Add(History(f.Id, now, actor, "Unmerged", $"no longer ships with {lead.OrderNo}"));
        }
        db.Add(History(lead.Id, now, actor, "Unmerged", "no longer carries " + string.Join(", ", followers.Select(f => f.OrderNo))));
        db.Audit(now, actor, "orders.unmerge", "Order", lead.OrderNo, string.Join(", ", followers.Select(f => f.OrderNo)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ParcelChange.Done(lead.OrderNo);
    }

    /// <summary>Splits the order into parcels (each line's units over the parcels), replacing an earlier split.</summary>
    public async Task<ParcelChange> SplitAsync(string orderNo, IReadOnlyList<IReadOnlyList<ParcelLineRequest>> parcels, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.OrderNo == orderNo.Trim(), ct);
        if (order is null)
        {
            return new ParcelChange(ParcelChangeOutcome.NotFound, FieldProblems.Of("orderNo", $"There is no order {orderNo}."));
        }
        var problems = ParcelRules.CheckSplit(order.Lines, parcels);
        if (problems.Any)
        {
            return ParcelChange.Invalid(problems);
        }
        if (await RefuseChangeAsync(db, order, "split", ct) is { } refused)
        {
            return refused;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Set<Order>().Where(o => o.Id == order.Id && o.ParcelCount == order.ParcelCount && o.MergedIntoOrderId == null
                && (o.Status == OrderStatus.PendingReview || o.Status == OrderStatus.Approved || o.Status == OrderStatus.OnHold))
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ParcelCount, parcels.Count).SetProperty(o => o.UpdatedAtUtc, now), ct);
        if (changed != 1)
        {
            return ParcelChange.Refused("orderNo", "Changed", order.OrderNo, $"Order {order.OrderNo} changed meanwhile; look again and split.");
        }
        await db.Set<OrderParcelLine>().Where(p => p.OrderId == order.Id).ExecuteDeleteAsync(ct);
        for (var p = 0; p < parcels.Count; p++)
        {
            foreach (var line in parcels[p].Where(l => l.Quantity > 0))
            {
                db.Add(new OrderParcelLine { OrderId = order.Id, ParcelNo = p + 1, LineNo = line.LineNo, Quantity = line.Quantity });
            }
        }
        var what = string.Join("; ", parcels.Select((p, i) => $"{i + 1}: {ParcelRules.Describe(p)}"));
        db.Add(History(order.Id, now, actor, "Split", $"拆单 {parcels.Count} parcels · {what}"));
        db.Audit(now, actor, "orders.split", "Order", order.OrderNo, what);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ParcelChange.Done();
    }

    /// <summary>Ships the order whole again (before any parcel's waybill).</summary>
    public async Task<ParcelChange> UnsplitAsync(string orderNo, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await db.Set<Order>().AsNoTracking().FirstOrDefaultAsync(o => o.OrderNo == orderNo.Trim(), ct);
        if (order is null)
        {
            return new ParcelChange(ParcelChangeOutcome.NotFound, FieldProblems.Of("orderNo", $"There is no order {orderNo}."));
        }
        if (order.ParcelCount <= 1)
        {
            return ParcelChange.Refused("orderNo", "NotSplit", order.OrderNo, $"Order {order.OrderNo} is not split.");
        }
        if (await RefuseChangeAsync(db, order, "unsplit", ct) is { } refused)
        {
            return refused;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Set<Order>().Where(o => o.Id == order.Id && o.ParcelCount == order.ParcelCount
                && (o.Status == OrderStatus.PendingReview || o.Status == OrderStatus.Approved || o.Status == OrderStatus.OnHold))
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ParcelCount, 1).SetProperty(o => o.UpdatedAtUtc, now), ct);
        if (changed != 1)
        {
            return ParcelChange.Refused("orderNo", "Changed", order.OrderNo, $"Order {order.OrderNo} changed meanwhile; look again.");
        }
        await db.Set<OrderParcelLine>().Where(p => p.OrderId == order.Id).ExecuteDeleteAsync(ct);
        db.Add(History(order.Id, now, actor, "Unsplit", $"ships whole again (was {order.ParcelCount} parcels)"));
        db.Audit(now, actor, "orders.unsplit", "Order", order.OrderNo, null);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ParcelChange.Done();
    }

    /// <summary>A split or unsplit is refused after a waybill (any parcel's) and for merged orders (lead or follower).</summary>
    private static async Task<ParcelChange?> RefuseChangeAsync(PortalDbContext db, Order order, string what, CancellationToken ct)
    {
        if (!ParcelRules.BeforeWaybill.Contains(order.Status))
        {
            return ParcelChange.Refused("orderNo", "Status", order.OrderNo, $"Order {order.OrderNo} is {order.Status}: it can be {what} only in PendingReview, Approved or OnHold (before its waybill).");
        }
        if (await db.Set<Waybill>().Where(w => w.LiveOrderId == order.Id).Select(w => w.TrackingNo).FirstOrDefaultAsync(ct) is { } tracking)
        {
            return ParcelChange.Refused("orderNo", "LiveWaybill", order.OrderNo, $"Order {order.OrderNo} has a live waybill ({tracking}): void it first.");
        }
        if (order.MergedIntoOrderId is not null || await db.Set<Order>().AnyAsync(o => o.MergedIntoOrderId == order.Id, ct))
        {
            return ParcelChange.Refused("orderNo", "Merged", order.OrderNo, $"Order {order.OrderNo} is merged with another order: unmerge it first.");
        }
        return null;
    }

    private static OrderHistory History(long orderId, DateTime now, string actor, string action, string details) =>
        new() { OrderId = orderId, AtUtc = now, Actor = actor.Length <= 256 ? actor : actor[..256], Action = action, Details = details.Length <= 1000 ? details : details[..1000] };

    /// <summary>Merges every order just approved with the other orders to its receiver, when the Admin setting is on.</summary>
    public async Task<int> AutoMergeAsync(IReadOnlyList<string> approvedOrderNos, string actor, CancellationToken ct = default)
    {
        var merged = 0;
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var orderNo in approvedOrderNos)
        {
            if (done.Contains(orderNo))
            {
                continue;
            }
            List<string> group;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var o = await Candidates(db).FirstOrDefaultAsync(x => x.OrderNo == orderNo, ct);
                if (o is null)
                {
                    continue;
                }
                group = await SameReceiver(Candidates(db), o).OrderBy(x => x.Id).Select(x => x.OrderNo).Take(ParcelRules.MaxMergeOrders).ToListAsync(ct);
            }
            done.UnionWith(group);
            if (group.Count > 1 && (await MergeAsync(group, actor, ct)).Outcome == ParcelChangeOutcome.Done)
            {
                merged++;
            }
        }
        return merged;
    }
}

/// <summary>
/// 合并发货 on approval (Admin setting <see cref="SettingKey"/>, off by default): an approved order is merged with the
/// other open orders to the same receiver. Registered before automatic waybills, so the merged parcel is what gets one.
/// </summary>
public sealed class AutoMerge(PortalSettings settings, OrderParcelService parcels, ILogger<AutoMerge> logger) : IOrderApprovedHandler
{
    public const string SettingKey = "orders.autoMergeOnApproval";

    public static Task<bool> IsOnAsync(PortalSettings settings, CancellationToken ct = default) => settings.GetAsync(SettingKey, false, ct);

    public Task SetAsync(bool on, string actor, CancellationToken ct = default) => settings.SetAsync(SettingKey, on, actor, ct);

    public async Task OnApprovedAsync(IReadOnlyList<string> orderNos, string actor, CancellationToken ct)
    {
        if (!await IsOnAsync(settings, ct))
        {
            return;
        }
        try
        {
            await parcels.AutoMergeAsync(orderNos, actor, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The approval stands; the orders can be merged by hand from the suggestions.
            logger.LogError(ex, "Merging {Count} approved order(s) automatically failed", orderNos.Count);
        }
    }
}
