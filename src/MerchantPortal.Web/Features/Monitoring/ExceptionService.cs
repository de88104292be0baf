using System.Data;
using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Monitoring;

public enum CaseActionOutcome
{
    Done,
    NotFound,
    /// <summary>The case is resolved; only comments are still accepted.</summary>
    Closed,
    /// <summary>The input was refused (see the problems).</summary>
    Invalid,
}

/// <summary>
/// What "start a reship" / "start a return" did: the order or return it created, or the one the case already had
/// (<see cref="AlreadyStarted"/>: the actions are idempotent per case), or why not.
/// </summary>
public sealed record CaseStartOutcome(CaseActionOutcome Outcome, long? Id = null, string? Number = null, bool AlreadyStarted = false, IReadOnlyList<FieldProblem>? Problems = null)
{
    public static CaseStartOutcome Fail(string field, string code, string message) =>
        new(CaseActionOutcome.Invalid, Problems: [new FieldProblem(field, code, message)]);
}

/// <summary>
/// What people do with a case: assign, comment, record actions, resolve. Every action is a note on the case and an
/// audit entry in the same commit. Who may do what is the caller's policy (CustomerService: comment only).
/// </summary>
public sealed class ExceptionService(IDbContextFactory<PortalDbContext> dbFactory, ReturnService returns, TimeProvider clock, ILogger<ExceptionService> logger)
{
    /// <summary>The longest note text (a comment, a carrier contact) a case keeps: the column's length. Longer is refused, never cut.</summary>
    public const int MaxNoteText = 2000;

    /// <summary>The longest resolution (the case's column); a resolution is also a note, so it stays within both.</summary>
    public const int MaxResolution = 1000;

    /// <summary>
    /// Why a comment is refused, or null. Field "text"; codes "Required" and "TooLong" (the page words them from its
    /// resources, the API sends the message).
    /// </summary>
    public static FieldProblem? CommentProblem(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return new FieldProblem("text", "Required", "A comment needs some text.");
        }
        return trimmed.Length > MaxNoteText
            ? new FieldProblem("text", "TooLong", $"A comment has at most {MaxNoteText} characters; this one has {trimmed.Length}. Nothing was saved.")
            : null;
    }

    /// <summary>The longest assignee (the case's column, a user name). Longer is refused, never cut.</summary>
    public const int MaxAssignee = 256;

    /// <summary>
    /// The longest note a reship carries (a note on the case; the replacement order's remark quotes it). Longer is
    /// refused, never cut: the page says so beside the field, the API answers 400 naming "note".
    /// </summary>
    public const int MaxReshipNote = 1000;

    /// <summary>Why an assignee is refused (the API needs one; the page's button is off without), or null. Field "assignee".</summary>
    public static FieldProblem? AssigneeProblem(string? assignee)
    {
        var trimmed = assignee?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return new FieldProblem("assignee", "Required", "Name the user to assign the case to (for example ops@demo.local).");
        }
        return trimmed.Length > MaxAssignee
            ? new FieldProblem("assignee", "TooLong", $"An assignee has at most {MaxAssignee} characters; this one has {trimmed.Length}. Nothing was changed.")
            : null;
    }

    /// <summary>Why a carrier-contact note is refused, or null (no text is allowed: "contacted", as on the page). Field "text".</summary>
    public static FieldProblem? CarrierContactProblem(string? text) =>
        text?.Trim() is { Length: > MaxNoteText } trimmed
            ? new FieldProblem("text", "TooLong", $"A carrier-contact note has at most {MaxNoteText} characters; this one has {trimmed.Length}. Nothing was saved.")
            : null;

    /// <summary>Why a reship note is refused, or null (it is optional). Field "note", code "TooLong".</summary>
    public static FieldProblem? ReshipNoteProblem(string? note) =>
        note?.Trim() is { Length: > MaxReshipNote } trimmed
            ? new FieldProblem("note", "TooLong", $"A reship note has at most {MaxReshipNote} characters; this one has {trimmed.Length}. Nothing was created.")
            : null;

    /// <summary>Assigns the case (an open case becomes InProgress); <see cref="CaseActionOutcome.Invalid"/> when <see cref="AssigneeProblem"/> refuses the name.</summary>
    public Task<CaseActionOutcome> AssignAsync(long caseId, string? assignee, string actor, CancellationToken ct = default) =>
        assignee?.Trim() is { Length: > MaxAssignee }
            ? Task.FromResult(CaseActionOutcome.Invalid)
            : ActAsync(caseId, actor, CaseNoteKind.Assigned, assignee ?? "—", ct, (_, c) =>
            {
                c.AssignedTo = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
                c.Status = c.AssignedTo is null ? CaseStatus.Open : CaseStatus.InProgress;
                return Task.CompletedTask;
            });

    /// <summary>A comment (any signed-in user); <see cref="CaseActionOutcome.Invalid"/> when <see cref="CommentProblem"/> refuses it.</summary>
    public Task<CaseActionOutcome> CommentAsync(long caseId, string text, string actor, CancellationToken ct = default) =>
        CommentProblem(text) is not null
            ? Task.FromResult(CaseActionOutcome.Invalid)
            : ActAsync(caseId, actor, CaseNoteKind.Comment, text, ct, null, allowClosed: true);

    /// <summary>A "carrier contacted" note, with or without text; <see cref="CaseActionOutcome.Invalid"/> over <see cref="MaxNoteText"/>.</summary>
    public Task<CaseActionOutcome> NoteCarrierContactAsync(long caseId, string? text, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.CarrierContacted, text, ct, null);

    /// <summary>Queues the "exception" message to the customer (the dispatcher sends it, or skips it if they opted out).</summary>
    public Task<CaseActionOutcome> NotifyCustomerAsync(long caseId, string actor, CancellationToken ct = default) =>
        ActAsync(caseId, actor, CaseNoteKind.CustomerNotified, null, ct, async (db, c) =>
        {
            var values = c.ShipmentId is { } shipmentId ? await CustomerValues.ForShipmentAsync(db, shipmentId, ct)
                : await CustomerValues.ForOrderAsync(db, c.OrderId, ct);
            values["exception"] = c.Type.ToString();
            Outbox.EnqueueCustomer(db, NotificationMilestone.Exception, c.OrderId, c.ShipmentId, c.ReturnId, values, clock.GetUtcNow().UtcDateTime);
        });

    /// <summary>
    /// Creates the replacement order (Orders' <see cref="ReshipOrders"/>: "{OrderNo}-R{n}", PendingReview, so Ops
    /// approve it and issue its waybill as usual) and links it to the case with a note and an audit entry, in one
    /// transaction. Idempotent per case: a second call answers the order the case already has (ADR 0011).
    /// </summary>
    public async Task<CaseStartOutcome> StartReshipAsync(long caseId, string? text, string actor, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartReshipOnceAsync(caseId, text, actor, ct);
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // Two clicks at once: the unique indexes (order number, the case's reship) let one through; the
                // other re-reads and answers the order the case now has.
                logger.LogInformation(ex, "Reship of case {CaseId} raced with another; re-reading", caseId);
            }
        }
    }

    private async Task<CaseStartOutcome> StartReshipOnceAsync(long caseId, string? text, string actor, CancellationToken ct)
    {
        if (ReshipNoteProblem(text) is { } tooLong)
        {
            // Before anything else, and refused rather than cut: a shortened note says something its writer did not.
            return new CaseStartOutcome(CaseActionOutcome.Invalid, Problems: [tooLong]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Serializable: "has the case a reship yet?" and the insert are one unit (SQLite takes the write lock at BEGIN).
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var c = await db.Set<ExceptionCase>().SingleOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null)
        {
            return new CaseStartOutcome(CaseActionOutcome.NotFound);
        }
        if (c.ReshipOrderId is { } existing)
        {
            var no = await db.Set<Order>().Where(o => o.Id == existing).Select(o => o.OrderNo).SingleAsync(ct);
            return new CaseStartOutcome(CaseActionOutcome.Done, existing, no, AlreadyStarted: true);
        }
        if (c.Status == CaseStatus.Resolved)
        {
            return new CaseStartOutcome(CaseActionOutcome.Closed);
        }
        if (c.OrderId is not { } orderId)
        {
            return CaseStartOutcome.Fail("orderNo", "NoOrder", "This case's parcel belongs to no order; there is nothing to copy for a reship.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        text = Clean(text);
        var order = await ReshipOrders.CreateAsync(db, orderId, actor, $"exception case #{c.Id} ({c.Type}){(text is null ? "" : ": " + text)}", now, ct);
        c.ReshipOrderId = order.Id;
        c.ReshipRequested = true;
        Note(db, c, now, actor, CaseNoteKind.ReshipRequested, text is null ? order.OrderNo : $"{order.OrderNo}: {text}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CaseStartOutcome(CaseActionOutcome.Done, order.Id, order.OrderNo);
    }

    /// <summary>
    /// Opens a real return (Returns' own create path and validation: shipped lines only, never more than shipped minus
    /// earlier returns) for the case's order and links it to the case in the same transaction. While the case's
    /// return is open (not rejected or cancelled) a second call answers that return instead of opening another.
    /// </summary>
    public async Task<CaseStartOutcome> StartReturnAsync(long caseId, IReadOnlyList<NewReturnLine> lines, ReturnReason reason, string? reasonText,
        ReturnResolution resolution, string actor, CancellationToken ct = default)
    {
        string orderNo;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var c = await db.Set<ExceptionCase>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == caseId, ct);
            if (c is null)
            {
                return new CaseStartOutcome(CaseActionOutcome.NotFound);
            }
            if (await ExistingReturnAsync(db, c.StartedReturnId, ct) is { } existing)
            {
                return existing;
            }
            if (c.Status == CaseStatus.Resolved)
            {
                return new CaseStartOutcome(CaseActionOutcome.Closed);
            }
            if (c.ReturnId is not null)
            {
                // A missed pickup is handled on its return (rebook or cancel), not by a second return of the same goods.
                return CaseStartOutcome.Fail("case", "ReturnCase", "This case is about a return already; rebook its pickup or cancel it on the return's page.");
            }
            if (c.OrderId is not { } orderId)
            {
                return CaseStartOutcome.Fail("orderNo", "NoOrder", "This case's parcel belongs to no order; there is nothing to return.");
            }
            orderNo = await db.Set<Order>().Where(o => o.Id == orderId).Select(o => o.OrderNo).SingleAsync(ct);
        }

        var outcome = await returns.CreateLinkedAsync(new NewReturn(orderNo, lines, reason, reasonText, resolution), actor, async (db, ret) =>
        {
            var c = await db.Set<ExceptionCase>().SingleAsync(x => x.Id == caseId, ct);
            if (c.Status == CaseStatus.Resolved)
            {
                return new FieldProblem("case", "CaseClosed", "The case was resolved meanwhile.");
            }
            if (await ExistingReturnAsync(db, c.StartedReturnId, ct) is not null)
            {
                return new FieldProblem("case", "CaseHasReturn", "The case got a return meanwhile.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            c.StartedReturnId = ret.Id;
            c.ReturnRequested = true;
            Note(db, c, now, actor, CaseNoteKind.ReturnRequested, ret.RmaNo);
            return null;
        }, ct);
        if (outcome.Ok)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rma = await db.Set<ReturnRequest>().Where(r => r.Id == outcome.Id).Select(r => r.RmaNo).SingleAsync(ct);
            return new CaseStartOutcome(CaseActionOutcome.Done, outcome.Id, rma);
        }
        if (outcome.Problems[0].Code is "CaseHasReturn" or "CaseClosed")
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var c = await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(x => x.Id == caseId, ct);
            return await ExistingReturnAsync(db, c.StartedReturnId, ct) ?? new CaseStartOutcome(CaseActionOutcome.Closed);
        }
        return new CaseStartOutcome(CaseActionOutcome.Invalid, Problems: outcome.Problems);
    }

    /// <summary>The case's return while it still counts (a rejected or cancelled one lets the case start another).</summary>
    private static async Task<CaseStartOutcome?> ExistingReturnAsync(PortalDbContext db, long? returnId, CancellationToken ct)
    {
        if (returnId is null)
        {
            return null;
        }
        var r = await db.Set<ReturnRequest>().AsNoTracking().Where(x => x.Id == returnId).Select(x => new { x.Id, x.RmaNo, x.Status }).SingleAsync(ct);
        return ReturnService.Closed.Contains(r.Status) ? null : new CaseStartOutcome(CaseActionOutcome.Done, r.Id, r.RmaNo, AlreadyStarted: true);
    }

    private static void Note(PortalDbContext db, ExceptionCase c, DateTime now, string actor, CaseNoteKind kind, string? text)
    {
        db.Add(new ExceptionCaseNote { CaseId = c.Id, AtUtc = now, Actor = actor, Kind = kind, Text = text });
        db.Audit(now, actor, "exception." + kind.ToString().ToLowerInvariant(), nameof(ExceptionCase), c.Id.ToString(CultureInfo.InvariantCulture), text);
    }

    // Only blank to null: a note over its limit was refused before this (ReshipNoteProblem), never cut here.
    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Resolves with no reason code given (older callers): the code is <see cref="ResolutionCode.Other"/>.</summary>
    public Task<CaseActionOutcome> ResolveAsync(long caseId, string? resolution, string actor, CancellationToken ct = default) =>
        ResolveAsync(caseId, ResolutionCode.Other, resolution, actor, ct);

    /// <summary>Resolves an open case with why (a code, so outcomes can be counted) and an optional note.</summary>
    public async Task<CaseActionOutcome> ResolveAsync(long caseId, ResolutionCode code, string? resolution, string actor, CancellationToken ct = default)
    {
        if (resolution?.Trim() is { Length: > MaxResolution })
        {
            // Refused rather than cut, like a note (the API's request record says so too).
            return CaseActionOutcome.Invalid;
        }
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
        CaseWriter.Resolve(db, c, actor, string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim(), CaseNoteKind.Resolved, now, code: code);
        await CaseWriter.SyncOrdersAsync(db, [c], actor, now, ct);
        db.Audit(now, actor, "exception.resolve", nameof(ExceptionCase), caseId.ToString(CultureInfo.InvariantCulture), $"{code}{(string.IsNullOrWhiteSpace(resolution) ? "" : ": " + resolution.Trim())}");
        await db.SaveChangesAsync(ct);
        return CaseActionOutcome.Done;
    }

    /// <summary>The most cases one bulk action takes (the queue's selection is one page or a few).</summary>
    public const int MaxBulk = 500;

    /// <summary>
    /// Assigns each case as <see cref="AssignAsync(long, string?, string, CancellationToken)"/> does, one commit per case
    /// (a case resolved or gone meanwhile is reported, never blocks the others).
    /// </summary>
    public async Task<BulkOutcome> AssignManyAsync(IReadOnlyCollection<long> caseIds, string? assignee, string actor, CancellationToken ct = default)
    {
        var outcomes = new Dictionary<long, CaseActionOutcome>();
        foreach (var id in caseIds.Distinct())
        {
            outcomes[id] = await AssignAsync(id, assignee, actor, ct);
        }
        return new BulkOutcome(outcomes);
    }

    /// <summary>Resolves each case with the same code and note, one commit per case (see <see cref="AssignManyAsync"/>).</summary>
    public async Task<BulkOutcome> ResolveManyAsync(IReadOnlyCollection<long> caseIds, ResolutionCode code, string? resolution, string actor, CancellationToken ct = default)
    {
        var outcomes = new Dictionary<long, CaseActionOutcome>();
        foreach (var id in caseIds.Distinct())
        {
            outcomes[id] = await ResolveAsync(id, code, resolution, actor, ct);
        }
        return new BulkOutcome(outcomes);
    }

    private async Task<CaseActionOutcome> ActAsync(long caseId, string actor, CaseNoteKind kind, string? text, CancellationToken ct,
        Func<PortalDbContext, ExceptionCase, Task>? change, bool allowClosed = false)
    {
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (text is { Length: > MaxNoteText })
        {
            // Refused, not cut: a note that silently lost its end says something its writer did not.
            return CaseActionOutcome.Invalid;
        }
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
        Note(db, c, now, actor, kind, text);
        await db.SaveChangesAsync(ct);
        return CaseActionOutcome.Done;
    }
}

/// <summary>What a bulk action did to each case.</summary>
public sealed record BulkOutcome(IReadOnlyDictionary<long, CaseActionOutcome> ByCase)
{
    public int Done => ByCase.Values.Count(o => o == CaseActionOutcome.Done);
}

/// <summary>The placeholder values every customer template can use, from a shipment and its order.</summary>
public static class CustomerValues
{
    public static async Task<Dictionary<string, string>> ForShipmentAsync(PortalDbContext db, long shipmentId, CancellationToken ct)
    {
        var s = await db.Set<Shipment>().AsNoTracking().SingleAsync(x => x.Id == shipmentId, ct);
        return await ForAsync(db, s, ct);
    }

    /// <summary>For a case without a parcel (a return's missed pickup): the order's customer.</summary>
    public static async Task<Dictionary<string, string>> ForOrderAsync(PortalDbContext db, long? orderId, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = orderId is null ? null : await db.Set<Order>().AsNoTracking()
            .Where(o => o.Id == orderId).Select(o => new { o.OrderNo, o.ReceiverName, o.ReceiverPhone }).FirstOrDefaultAsync(ct);
        if (order is not null)
        {
            values["orderNo"] = order.OrderNo;
            values["name"] = order.ReceiverName;
            values["phone"] = order.ReceiverPhone;
        }
        return values;
    }

    public static async Task<Dictionary<string, string>> ForAsync(PortalDbContext db, Shipment s, CancellationToken ct)
    {
        var order = s.OrderId is null ? null : await db.Set<Order>().AsNoTracking()
            .Where(o => o.Id == s.OrderId).Select(o => new { o.OrderNo, o.ReceiverName, o.ReceiverPhone }).FirstOrDefaultAsync(ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trackingNo"] = s.TrackingNo,
            ["carrier"] = s.ShipperCode,
            ["trackingUrl"] = await TrackingLinks.ForMessageAsync(db, s.TrackingNo, ct),
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
