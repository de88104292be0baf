using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

public enum OrderAction
{
    Approve,
    Hold,
    Cancel,
}

/// <summary>One order's outcome of a bulk action; <see cref="CurrentStatus"/> says why it was refused.</summary>
public sealed record TransitionResult(string OrderNo, bool Changed, OrderStatus? CurrentStatus);

public sealed record NewOrderLine(string? Sku, string Name, int Quantity, decimal UnitPrice, decimal WeightKg);

public sealed record NewOrder(string OrderNo, OrderChannel Channel, string ReceiverName, string Phone, string Province, string City, string District,
    string AddressDetail, string? Postcode, IReadOnlyList<NewOrderLine> Lines, string? Remark, string? Email = null, string? Culture = null);

public enum CreateOutcome
{
    Created,
    AlreadyExists,
    Conflict,
}

/// <summary>Told after orders were approved and committed (e.g. the waybill feature's automatic waybills).</summary>
public interface IOrderApprovedHandler
{
    Task OnApprovedAsync(IReadOnlyList<string> orderNos, string actor, CancellationToken ct);
}

/// <summary>Writes to orders: creation from the API, approve / hold / cancel. Each change writes history and audit in the same SaveChanges.</summary>
public sealed class OrderService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IEnumerable<IOrderApprovedHandler> approvedHandlers)
{
    public static readonly IReadOnlyDictionary<OrderAction, (OrderStatus[] From, OrderStatus To)> Transitions = new Dictionary<OrderAction, (OrderStatus[], OrderStatus)>
    {
        [OrderAction.Approve] = ([OrderStatus.PendingReview, OrderStatus.OnHold], OrderStatus.Approved),
        [OrderAction.Hold] = ([OrderStatus.PendingReview, OrderStatus.Approved], OrderStatus.OnHold),
        [OrderAction.Cancel] = ([OrderStatus.PendingReview, OrderStatus.Approved, OrderStatus.OnHold], OrderStatus.Cancelled),
    };

    public static bool CanApply(OrderAction action, OrderStatus status) => Transitions[action].From.Contains(status);

    /// <summary>
    /// Applies an action to each order with a conditional UPDATE … WHERE Status IN (allowed): when two people act on
    /// the same order at once, exactly one UPDATE matches and the other is told the order's status now (R8).
    /// </summary>
    public async Task<IReadOnlyList<TransitionResult>> ApplyAsync(OrderAction action, IReadOnlyCollection<string> orderNos, string actor, string? reason = null, CancellationToken ct = default)
    {
        var (from, to) = Transitions[action];
        var results = new List<TransitionResult>(orderNos.Count);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var chunk in orderNos.Distinct().Chunk(500))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var before = await db.Set<Order>().AsNoTracking().Where(o => chunk.Contains(o.OrderNo)).Select(o => new { o.Id, o.OrderNo, o.Status }).ToListAsync(ct);
            foreach (var o in before)
            {
                var changed = from.Contains(o.Status) && await db.Set<Order>()
                    .Where(x => x.Id == o.Id && x.Status == o.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, to).SetProperty(x => x.UpdatedAtUtc, now), ct) == 1;
                if (changed)
                {
                    db.Add(new OrderHistory { OrderId = o.Id, AtUtc = now, Actor = actor, Action = action.ToString(), FromStatus = o.Status, ToStatus = to, Details = reason });
                    results.Add(new TransitionResult(o.OrderNo, true, to));
                }
                else
                {
                    var current = await db.Set<Order>().Where(x => x.Id == o.Id).Select(x => (OrderStatus?)x.Status).SingleOrDefaultAsync(ct);
                    results.Add(new TransitionResult(o.OrderNo, false, current));
                }
            }
            results.AddRange(chunk.Except(before.Select(b => b.OrderNo)).Select(n => new TransitionResult(n, false, null)));
            var done = results.Where(r => r.Changed && chunk.Contains(r.OrderNo)).Select(r => r.OrderNo).ToList();
            if (done.Count > 0)
            {
                db.Audit(now, actor, "orders." + action.ToString().ToLowerInvariant(), "Order", done.Count == 1 ? done[0] : null,
                    done.Count == 1 ? reason : $"{done.Count} orders: {string.Join(", ", done.Take(20))}{(done.Count > 20 ? ", …" : "")}");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var approved = results.Where(r => r.Changed).Select(r => r.OrderNo).ToList();
        if (action == OrderAction.Approve && approved.Count > 0)
        {
            foreach (var handler in approvedHandlers)
            {
                await handler.OnApprovedAsync(approved, actor, ct);
            }
        }
        return results;
    }

    /// <summary>Idempotent on the order number: the same content again is the existing order, other content a conflict.</summary>
    public async Task<(CreateOutcome Outcome, string OrderNo)> CreateAsync(NewOrder input, string actor, CancellationToken ct = default)
    {
        var hash = ContentHash(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Set<Order>().AsNoTracking().Where(o => o.OrderNo == input.OrderNo).Select(o => o.ContentHash).ToListAsync(ct);
        if (existing.Count > 0)
        {
            return (existing[0] == hash ? CreateOutcome.AlreadyExists : CreateOutcome.Conflict, input.OrderNo);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var order = new Order
        {
            OrderNo = input.OrderNo,
            Channel = input.Channel,
            Status = OrderStatus.PendingReview,
            ReceiverName = input.ReceiverName,
            ReceiverPhone = input.Phone,
            PhoneLast4 = PhoneNumbers.Last4(input.Phone),
            Province = input.Province,
            City = input.City,
            District = input.District,
            AddressDetail = input.AddressDetail,
            Postcode = input.Postcode,
            CustomerEmail = input.Email,
            CustomerCulture = input.Culture,
            Remark = input.Remark,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            ContentHash = hash,
            TotalAmount = input.Lines.Sum(l => l.Quantity * l.UnitPrice),
            TotalWeightKg = input.Lines.Sum(l => l.WeightKg),
            LineCount = input.Lines.Count,
            Lines = [.. input.Lines.Select((l, i) => new OrderLine { LineNo = i + 1, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WeightKg = l.WeightKg })],
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(order);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two pushes of one order number at once: the unique index let one in; answer as if we were second.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var winner = await db.Set<Order>().AsNoTracking().Where(o => o.OrderNo == input.OrderNo).Select(o => o.ContentHash).SingleAsync(ct);
            return (winner == hash ? CreateOutcome.AlreadyExists : CreateOutcome.Conflict, input.OrderNo);
        }
        db.Add(new OrderHistory { OrderId = order.Id, AtUtc = now, Actor = actor, Action = "Created", ToStatus = OrderStatus.PendingReview, Details = "API" });
        db.Audit(now, actor, "orders.create", "Order", order.OrderNo, "API");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (CreateOutcome.Created, order.OrderNo);
    }

    private static string ContentHash(NewOrder input) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(input)))).ToLowerInvariant();
}

/// <summary>
/// A dashboard tile that counts the orders in one status, as the orders list filtered to that status shows them
/// (an index seek on (Status, CreatedAtUtc, Id)).
/// </summary>
public sealed class OrderStatusCounter(string tile, OrderStatus status) : IDashboardCounter
{
    public string Tile => tile;

    public async Task<long> CountAsync(PortalDbContext db, BusinessDay today, CancellationToken ct) =>
        await db.Set<Order>().LongCountAsync(o => o.Status == status, ct);
}
