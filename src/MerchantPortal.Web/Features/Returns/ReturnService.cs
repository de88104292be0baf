using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Mail;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// A refused input or action, for one field. <see cref="Code"/> + <see cref="Args"/> name a localized message
/// ("Error.{Code}" in ReturnsResources); <see cref="Message"/> is the English text the API answers with.
/// </summary>
public sealed record ReturnProblem(string Field, string Code, string Message, params object[] Args);

public sealed record ReturnOutcome(long? Id, IReadOnlyList<ReturnProblem> Problems)
{
    public bool Ok => Problems.Count == 0;

    public static ReturnOutcome Fail(string field, string code, string message, params object[] args) => new(null, [new ReturnProblem(field, code, message, args)]);
}

/// <summary>A returned line: by order line id (the UI) or by SKU (the API).</summary>
public sealed record NewReturnLine(string? Sku, int Quantity, long? OrderLineId = null);

/// <param name="Email">The customer's e-mail for this return's messages; null or empty = the order's.</param>
public sealed record NewReturn(string OrderNo, IReadOnlyList<NewReturnLine> Lines, ReturnReason Reason, string? ReasonText, ReturnResolution Resolution,
    string? Email = null);

/// <summary>
/// Writes returns: creation (with the "never more than shipped minus earlier returns" rule), approval, rejection,
/// cancellation and photos. Every status change also writes the audit and the "return.status_changed" webhook in
/// the same SaveChanges.
/// </summary>
public sealed class ReturnService(IDbContextFactory<PortalDbContext> dbFactory, ReturnRules rules, TimeProvider clock, ILogger<ReturnService> logger)
{
    public const int MaxPhotoBytes = 5 * 1024 * 1024;
    public const int MaxPhotos = 6;
    public const string AutoApprovedReason = "auto-approved";

    /// <summary>Order statuses whose goods have left the warehouse.</summary>
    public static readonly OrderStatus[] ShippedStatuses = [OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Exception, OrderStatus.Returned];

    /// <summary>Returns that still hold their quantities (everything but rejected and cancelled ones).</summary>
    public static readonly ReturnStatus[] Closed = [ReturnStatus.Rejected, ReturnStatus.Cancelled];

    public Task<ReturnOutcome> CreateAsync(NewReturn input, string actor, CancellationToken ct = default) => CreateLinkedAsync(input, actor, null, ct);

    /// <summary>
    /// Creation with <paramref name="link"/> run in the same transaction once the return has its id (an exception case
    /// records the return it started): both commit or neither. A problem from <paramref name="link"/> rolls back.
    /// </summary>
    public async Task<ReturnOutcome> CreateLinkedAsync(NewReturn input, string actor, Func<PortalDbContext, ReturnRequest, Task<ReturnProblem?>>? link, CancellationToken ct = default)
    {
        if (input.Lines.Count == 0)
        {
            return ReturnOutcome.Fail("lines", "NoLines", "Name at least one line to return.");
        }
        if (input.Reason == ReturnReason.Other && string.IsNullOrWhiteSpace(input.ReasonText))
        {
            return ReturnOutcome.Fail("reasonText", "ReasonTextRequired", "Describe the reason when it is \"Other\".");
        }
        if (!string.IsNullOrWhiteSpace(input.Email) && (input.Email.Trim().Length > 256 || !MailAddress.TryCreate(input.Email.Trim(), out _)))
        {
            return ReturnOutcome.Fail("email", "EmailInvalid", $"\"{input.Email.Trim()}\" is not an e-mail address.", input.Email.Trim());
        }
        var ruleSet = await rules.GetAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CreateOnceAsync(input, ruleSet, actor, link, ct);
            }
            catch (Exception ex) when (attempt < 3 && ex is DbUpdateException or DbException)
            {
                // Two returns of the same lines at once: the serializable transaction let one through; the other
                // re-reads the quantities and is refused if nothing is left.
                logger.LogInformation(ex, "Creating a return for {OrderNo} raced with another writer; retrying", input.OrderNo);
            }
        }
    }

    private async Task<ReturnOutcome> CreateOnceAsync(NewReturn input, ReturnRuleSet ruleSet, string actor,
        Func<PortalDbContext, ReturnRequest, Task<ReturnProblem?>>? link, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Serializable: the check "returned so far" and the insert are one unit (SQLite takes the write lock at
        // BEGIN; SQL Server holds range locks on what was read), so concurrent returns cannot both pass the check.
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var orderNo = input.OrderNo.Trim();
        var order = await db.Set<Order>().Include(o => o.Lines).AsNoTracking().FirstOrDefaultAsync(o => o.OrderNo == orderNo, ct);
        if (order is null)
        {
            return ReturnOutcome.Fail("orderNo", "OrderNotFound", $"No order has the number {orderNo}.", orderNo);
        }
        if (!await IsShippedAsync(db, order, ct))
        {
            return ReturnOutcome.Fail("orderNo", "OrderNotShipped", $"Order {orderNo} has not shipped yet ({order.Status}); only shipped goods can be returned.", orderNo);
        }

        var returned = await ReturnedQuantitiesAsync(db, order.Id, ct);
        var (lines, problems) = Allocate(input.Lines, order.Lines.OrderBy(l => l.LineNo).ToList(), returned);
        if (problems.Count > 0)
        {
            return new ReturnOutcome(null, problems);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var amount = lines.Sum(l => l.Quantity * l.UnitPrice);
        var autoApproved = ruleSet.AutoApproves(input.Reason, amount);
        var entity = new ReturnRequest
        {
            RmaNo = NewRmaNo(now),
            OrderId = order.Id,
            Status = autoApproved ? ReturnStatus.Approved : ReturnStatus.Requested,
            Reason = input.Reason,
            ReasonText = string.IsNullOrWhiteSpace(input.ReasonText) ? null : input.ReasonText.Trim(),
            Resolution = input.Resolution,
            ContactEmail = string.IsNullOrWhiteSpace(input.Email) ? order.CustomerEmail : input.Email.Trim(),
            Amount = amount,
            StatusReason = autoApproved ? AutoApprovedReason : null,
            CreatedBy = actor,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            DecidedBy = autoApproved ? "auto" : null,
            DecidedAtUtc = autoApproved ? now : null,
            Version = Guid.NewGuid(),
            Lines = lines,
        };
        db.Add(entity);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "returns.create", "Return", entity.RmaNo, $"{orderNo} {input.Reason} {input.Resolution} {amount.ToString("0.00", CultureInfo.InvariantCulture)}{(autoApproved ? " auto-approved" : "")}");
        StatusChanged(db, entity, order.OrderNo, null, now);
        if (link is not null && await link(db, entity) is { } refused)
        {
            await tx.RollbackAsync(ct);
            return new ReturnOutcome(null, [refused]);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ReturnOutcome(entity.Id, []);
    }

    /// <summary>Shipped: the order's status says so, or a forward parcel of it has been scanned.</summary>
    internal static async Task<bool> IsShippedAsync(PortalDbContext db, Order order, CancellationToken ct) =>
        ShippedStatuses.Contains(order.Status)
        || await db.Set<Shipment>().AnyAsync(s => s.OrderId == order.Id && s.Direction == ShipmentDirection.Forward && s.Status != MerchantPortal.Carriers.ShipmentStatus.Pending, ct);

    public static async Task<Dictionary<long, int>> ReturnedQuantitiesAsync(PortalDbContext db, long orderId, CancellationToken ct) =>
        await db.Set<ReturnLine>()
            .Where(l => db.Set<ReturnRequest>().Any(r => r.Id == l.ReturnId && r.OrderId == orderId && !Closed.Contains(r.Status)))
            .GroupBy(l => l.OrderLineId)
            .Select(g => new { g.Key, Quantity = g.Sum(l => l.Quantity) })
            .ToDictionaryAsync(x => x.Key, x => x.Quantity, ct);

    /// <summary>Maps requested lines onto order lines (a SKU on several lines fills them in order) and checks each quantity.</summary>
    private static (List<ReturnLine> Lines, List<ReturnProblem> Problems) Allocate(IReadOnlyList<NewReturnLine> requested, List<OrderLine> orderLines, Dictionary<long, int> returned)
    {
        var problems = new List<ReturnProblem>();
        var taken = new Dictionary<long, int>();
        int Left(OrderLine l) => l.Quantity - returned.GetValueOrDefault(l.Id) - taken.GetValueOrDefault(l.Id);
        for (var i = 0; i < requested.Count; i++)
        {
            var r = requested[i];
            var sku = r.Sku?.Trim();
            var candidates = r.OrderLineId is { } lineId
                ? orderLines.Where(l => l.Id == lineId).ToList()
                : orderLines.Where(l => string.Equals(l.Sku, sku, StringComparison.OrdinalIgnoreCase)).ToList();
            if (candidates.Count == 0)
            {
                problems.Add(new($"lines[{i}].sku", "UnknownSku", $"The order has no line with SKU \"{sku}\".", sku ?? ""));
                continue;
            }
            if (r.Quantity <= 0)
            {
                problems.Add(new($"lines[{i}].quantity", "QuantityNotPositive", "The quantity must be at least 1."));
                continue;
            }
            var available = candidates.Sum(Left);
            if (r.Quantity > available)
            {
                var shipped = candidates.Sum(l => l.Quantity);
                problems.Add(new($"lines[{i}].quantity", "QuantityTooHigh",
                    $"Only {available} of {candidates[0].Sku ?? candidates[0].Name} can be returned: {shipped} shipped, {shipped - available} already in other returns; {r.Quantity} asked.",
                    candidates[0].Sku ?? candidates[0].Name, available, shipped, r.Quantity));
                continue;
            }
            var rest = r.Quantity;
            foreach (var line in candidates)
            {
                var take = Math.Min(rest, Left(line));
                if (take > 0)
                {
                    taken[line.Id] = taken.GetValueOrDefault(line.Id) + take;
                    rest -= take;
                }
            }
        }
        var lines = taken.Select(t =>
        {
            var line = orderLines.Single(l => l.Id == t.Key);
            return new ReturnLine { OrderLineId = line.Id, Sku = line.Sku, Name = line.Name, Quantity = t.Value, UnitPrice = line.UnitPrice };
        }).ToList();
        return (lines, problems);
    }

    public Task<ReturnOutcome> ApproveAsync(long id, string actor, CancellationToken ct = default) =>
        DecideAsync(id, [ReturnStatus.Requested], ReturnStatus.Approved, null, "returns.approve", actor, ct);

    /// <summary>The longest rejection reason (the status reason's column). Longer is refused, never cut.</summary>
    public const int MaxRejectReason = 500;

    public Task<ReturnOutcome> RejectAsync(long id, string reason, string actor, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(reason)
            ? Task.FromResult(ReturnOutcome.Fail("reason", "RejectReasonRequired", "Say why the return is rejected."))
            : reason.Trim().Length > MaxRejectReason
                ? Task.FromResult(ReturnOutcome.Fail("reason", "RejectReasonTooLong",
                    $"A rejection reason has at most {MaxRejectReason} characters; this one has {reason.Trim().Length}. Nothing was changed.", MaxRejectReason, reason.Trim().Length))
                : DecideAsync(id, [ReturnStatus.Requested], ReturnStatus.Rejected, reason.Trim(), "returns.reject", actor, ct);

    /// <summary>Only before a pickup is booked: a booked pickup is cancelled first (so no courier comes for nothing).</summary>
    public Task<ReturnOutcome> CancelAsync(long id, string actor, CancellationToken ct = default) =>
        DecideAsync(id, [ReturnStatus.Requested, ReturnStatus.Approved], ReturnStatus.Cancelled, null, "returns.cancel", actor, ct);

    private async Task<ReturnOutcome> DecideAsync(long id, ReturnStatus[] from, ReturnStatus to, string? reason, string auditAction, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Set<ReturnRequest>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (entity is null)
        {
            return ReturnOutcome.Fail("id", "NotFound", "No such return.");
        }
        if (!from.Contains(entity.Status))
        {
            return ReturnOutcome.Fail("status", "WrongStatus", $"The return is {entity.Status}; this action is not possible now.", entity.Status);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var previous = entity.Status;
        entity.Status = to;
        entity.StatusReason = reason;
        entity.UpdatedAtUtc = now;
        if (to is ReturnStatus.Approved or ReturnStatus.Rejected)
        {
            entity.DecidedBy = actor;
            entity.DecidedAtUtc = now;
        }
        entity.Version = Guid.NewGuid();
        db.Audit(now, actor, auditAction, "Return", entity.RmaNo, reason);
        var orderNo = await db.Set<Order>().Where(o => o.Id == entity.OrderId).Select(o => o.OrderNo).SingleAsync(ct);
        StatusChanged(db, entity, orderNo, previous, now);
        if (to == ReturnStatus.Cancelled)
        {
            // Nothing is left to collect: a missed-pickup case of this return is over.
            await Monitoring.ReturnCases.CloseAsync(db, id, "Return cancelled", now, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else changed it first (another user, a tracking update): say what it is now.
            return ReturnOutcome.Fail("status", "Changed", "The return was changed meanwhile; reload it.");
        }
        return new ReturnOutcome(id, []);
    }

    /// <summary>Stores a photo of the returned goods; the outcome's Id is the new photo's.</summary>
    public async Task<ReturnOutcome> AddPhotoAsync(long returnId, string fileName, byte[] content, string actor, CancellationToken ct = default)
    {
        if (content.Length > MaxPhotoBytes)
        {
            return ReturnOutcome.Fail("photo", "PhotoTooLarge", $"{fileName} is larger than 5 MB.", fileName);
        }
        if (ImageType(content) is not { } contentType)
        {
            return ReturnOutcome.Fail("photo", "PhotoType", $"{fileName} is not a JPEG, PNG or WebP image.", fileName);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<ReturnRequest>().AnyAsync(r => r.Id == returnId, ct))
        {
            return ReturnOutcome.Fail("id", "NotFound", "No such return.");
        }
        if (await db.Set<ReturnPhoto>().CountAsync(p => p.ReturnId == returnId, ct) >= MaxPhotos)
        {
            return ReturnOutcome.Fail("photo", "TooManyPhotos", $"A return has at most {MaxPhotos} photos.", MaxPhotos);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // The name only: a client's "../../x.png" or "C:\x\y.png" keeps its last part.
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        if (name.Length == 0)
        {
            name = "photo";
        }
        var photo = new ReturnPhoto
        {
            ReturnId = returnId,
            FileName = name.Length > 200 ? name[..200] : name,
            ContentType = contentType,
            SizeBytes = content.Length,
            Content = content,
            UploadedBy = actor,
            UploadedAtUtc = now,
        };
        db.Add(photo);
        await db.SaveChangesAsync(ct);
        return new ReturnOutcome(photo.Id, []);
    }

    /// <summary>The type by magic bytes, never by the file name or the browser's claim.</summary>
    public static string? ImageType(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[..8].SequenceEqual((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;

    /// <summary>The webhook every status change sends (and the customer message for the milestones that have one).</summary>
    internal static void StatusChanged(PortalDbContext db, ReturnRequest r, string orderNo, ReturnStatus? from, DateTime now)
    {
        Outbox.EnqueueWebhook(db, "return.status_changed", new
        {
            returnId = r.Id,
            rmaNo = r.RmaNo,
            orderNo,
            from = from?.ToString(),
            to = r.Status.ToString(),
            reason = r.StatusReason,
            at = now,
        }, now, orderId: r.OrderId, shipmentId: r.ShipmentId, returnId: r.Id);
    }

    private static string NewRmaNo(DateTime now) =>
        "RMA" + BusinessCalendar.ToBusinessTime(now).ToString("yyMMdd", CultureInfo.InvariantCulture) + Random.Shared.Next(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
