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
    string AddressDetail, string? Postcode, IReadOnlyList<NewOrderLine> Lines, string? Remark, string? Email = null, string? Culture = null, int? ShopId = null);

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
    /// What is wrong with an order a shop system sends, field by field; with none, the order to create. The nested
    /// records' DataAnnotations are checked here too: minimal-API validation does not reach into array elements, and
    /// shop systems need lines[i].field in the answer.
    /// </summary>
    public static FieldProblems Check(OrderEndpoints.CreateOrderRequest request, RegionCatalog regions, out NewOrder? order)
    {
        var problems = CheckLines(request.Lines);
        if (request.Email is { } email && (email.Trim().Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out _)))
        {
            problems.Add("email", "email is the buyer's e-mail address (at most 256 characters).");
        }
        if (request.Language is not (null or "zh-CN" or "en"))
        {
            problems.Add("language", "language is zh-CN or en.");
        }
        var r = request.Receiver;
        var (phone, province) = OrderAddressRules.CheckForApi(new(r.Name, r.Mobile, r.Province, r.City, r.District, r.Address, r.Postcode), regions, problems);
        order = problems.Any ? null : new NewOrder(request.OrderNo.Trim(),
            request.Channel is null ? OrderChannel.Api : Import.OrderRowValidator.ParseChannel(request.Channel),
            request.Receiver.Name.Trim(), phone!, province!.Name, request.Receiver.City?.Trim() ?? (province.IsMunicipality ? province.Name : ""),
            request.Receiver.District?.Trim() ?? "", request.Receiver.Address.Trim(), request.Receiver.Postcode?.Trim(),
            [.. request.Lines.Select(l => new NewOrderLine(l.Sku, l.Name, l.Quantity, l.UnitPrice, l.WeightKg))], request.Remark,
            string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(), request.Language);
        return problems;
    }

    private static FieldProblems CheckLines(OrderEndpoints.LineRequest?[] lines)
    {
        var problems = new FieldProblems();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] is not { } line)
            {
                problems.Add($"lines[{i}]", "A line is required.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line.Name) || line.Name.Length > 300)
            {
                problems.Add($"lines[{i}].name", "The name is required (at most 300 characters).");
            }
            if (line.Quantity is < 1 or > 10_000)
            {
                problems.Add($"lines[{i}].quantity", "The quantity must be between 1 and 10000.");
            }
            if (line.UnitPrice is < 0 or > 100_000_000)
            {
                problems.Add($"lines[{i}].unitPrice", "The unit price must be between 0 and 100000000.");
            }
            if (line.WeightKg is < 0 or > 10_000)
            {
                problems.Add($"lines[{i}].weightKg", "The weight must be between 0 and 10000 kg.");
            }
        }
        return problems;
    }

    /// <summary>A bulk action by name and its order numbers (1 to <paramref name="max"/>, trimmed, duplicates dropped).</summary>
    public static FieldProblems CheckBulk(string? actionName, IReadOnlyList<string?>? requested, int max, out OrderAction action, out List<string> orderNos)
    {
        var problems = new FieldProblems();
        // By name only: Enum.TryParse also takes "1" and "Approve,Hold" (flags arithmetic gives Hold).
        var name = Enum.GetNames<OrderAction>().FirstOrDefault(n => string.Equals(n, actionName?.Trim(), StringComparison.OrdinalIgnoreCase));
        action = name is null ? default : Enum.Parse<OrderAction>(name);
        if (name is null)
        {
            problems.Add("action", "action is one of Approve, Hold, Cancel.");
        }
        var trimmed = (requested ?? []).Select(o => o?.Trim() ?? "").ToList();
        if (trimmed.Count == 0 || trimmed.Count > max)
        {
            problems.Add("orderNos", $"orderNos lists 1 to {max} order numbers; it had {trimmed.Count}.");
        }
        else if (trimmed.FindIndex(o => o.Length is 0 or > 64) is var bad and >= 0)
        {
            problems.Add($"orderNos[{bad}]", "An order number has 1 to 64 characters.");
        }
        orderNos = trimmed.Distinct(StringComparer.Ordinal).ToList();
        return problems;
    }

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
        // After the hash: the same push again is the same order even if the catalogue changed in between.
        var (lines, warehouseId) = await CatalogueWeights.ApplyAsync(db, input.Lines, ct);
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
            TotalWeightKg = lines.Sum(l => l.WeightKg),
            LineCount = lines.Count,
            ShopId = input.ShopId,
            WarehouseId = warehouseId,
            Lines = [.. lines.Select((l, i) => new OrderLine { LineNo = i + 1, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WeightKg = l.WeightKg })],
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
