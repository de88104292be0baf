using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

public sealed record ReturnRow(long Id, string RmaNo, string OrderNo, ReturnStatus Status, ReturnReason Reason, ReturnResolution Resolution,
    decimal Amount, DateTime CreatedAtUtc, string CreatedBy, string? TrackingNo);

public sealed record ReturnLineView(string? Sku, string Name, int Quantity, decimal UnitPrice);

public sealed record PickupView(long Id, int Attempt, string OrderCode, string ShipperCode, PickupStatus Status, DateTime WindowStartUtc, DateTime WindowEndUtc,
    string ContactName, string ContactPhone, string Province, string City, string District, string Address,
    string? PickupCode, string? TrackingNo, string? CourierName, string? CourierPhone, string? FailureReason, DateTime? BookedAtUtc, DateTime? CollectedAtUtc);

/// <summary>A refund as the page, the list and the API show it: its true state and the provider's ids (R10).</summary>
/// <param name="Reference">The provider's refund id (WeChat Pay refund_id) or the merchant system's reference.</param>
/// <param name="OutRefundNo">The idempotency key sent to WeChat Pay.</param>
/// <param name="FailureReason">The provider's reason when Failed.</param>
/// <param name="Waiting">Why a Requested or Pending refund has not moved: "NotConfigured" (no refund method), or the last error.</param>
public sealed record RefundView(long Id, ReturnResolution Kind, decimal Amount, RefundStatus Status, string Trigger, DateTime DecidedAtUtc, DateTime? RequestedAtUtc,
    DateTime? CompletedAtUtc, string? ExchangeOrderNo, string? Reference, RefundMethod? Method, string? OutRefundNo, string? FailureReason, string? Waiting);

/// <summary>A refund row of the refund list (/returns/refunds and GET /api/v1/refunds).</summary>
public sealed record RefundRow(long Id, long ReturnId, string RmaNo, string OrderNo, decimal Amount, RefundStatus Status, RefundMethod? Method, string? Reference,
    string? OutRefundNo, string? FailureReason, string? Waiting, DateTime DecidedAtUtc, DateTime? RequestedAtUtc, DateTime? CompletedAtUtc);

public sealed record PhotoView(long Id, string FileName, string ContentType, int SizeBytes);

public sealed record ReturnDetail(ReturnRow Return, string? ReasonText, string? StatusReason, long OrderId, string? DecidedBy, DateTime? PickupNoShowAtUtc,
    IReadOnlyList<ReturnLineView> Lines, IReadOnlyList<PickupView> Pickups, ShipmentSummary? Shipment, IReadOnlyList<RefundView> Refunds, IReadOnlyList<PhotoView> Photos,
    string? ContactEmail = null)
{
    /// <summary>The pickup that counts now: the last attempt.</summary>
    public PickupView? Pickup => Pickups.Count == 0 ? null : Pickups[^1];
}

/// <param name="Returnable">Shipped minus what earlier returns (not rejected, not cancelled) already hold.</param>
public sealed record ReturnableLine(long OrderLineId, int LineNo, string? Sku, string Name, int Quantity, decimal UnitPrice, int Returnable);

/// <param name="OrderEmail">The order's e-mail, masked (a return's messages go there unless the return names another).</param>
public sealed record ReturnableOrder(long OrderId, string OrderNo, bool Shipped, IReadOnlyList<ReturnableLine> Lines, string? OrderEmail = null);

/// <summary>Reads of returns for the pages and the API.</summary>
public sealed class ReturnQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<ReturnRow> Items, int Total)> ListAsync(ReturnStatus? status, string? search, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<ReturnRequest>().AsNoTracking();
        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            query = query.Where(r => r.RmaNo == text || db.Set<Order>().Any(o => o.Id == r.OrderId && o.OrderNo == text));
        }
        var total = await query.CountAsync(ct);
        var items = await Rows(db, query.OrderByDescending(r => r.CreatedAtUtc).ThenByDescending(r => r.Id).Skip(skip).Take(take)).ToListAsync(ct);
        return (items, total);
    }

    public async Task<IReadOnlyList<ReturnRow>> ListForOrderAsync(long orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Rows(db, db.Set<ReturnRequest>().AsNoTracking().Where(r => r.OrderId == orderId).OrderByDescending(r => r.Id)).ToListAsync(ct);
    }

    private static IQueryable<ReturnRow> Rows(PortalDbContext db, IQueryable<ReturnRequest> query) =>
        query.Select(r => new ReturnRow(r.Id, r.RmaNo,
            db.Set<Order>().Where(o => o.Id == r.OrderId).Select(o => o.OrderNo).First(),
            r.Status, r.Reason, r.Resolution, r.Amount, r.CreatedAtUtc, r.CreatedBy,
            db.Set<Pickup>().Where(p => p.ReturnId == r.Id && p.TrackingNo != null).OrderByDescending(p => p.Attempt).Select(p => p.TrackingNo).FirstOrDefault()));

    public async Task<ReturnDetail?> GetAsync(long id, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.Set<ReturnRequest>().AsNoTracking().Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return null;
        }
        var row = await Rows(db, db.Set<ReturnRequest>().AsNoTracking().Where(x => x.Id == id)).SingleAsync(ct);
        var pickups = await db.Set<Pickup>().AsNoTracking().Where(p => p.ReturnId == id).OrderBy(p => p.Attempt).ToListAsync(ct);
        var shipment = r.ShipmentId is null ? null : await db.Set<Shipment>().AsNoTracking().Where(s => s.Id == r.ShipmentId)
            .Select(s => new ShipmentSummary(s.TrackingNo, s.ShipperCode, s.Direction, s.Status)).FirstOrDefaultAsync(ct);
        var refunds = await db.Set<Refund>().AsNoTracking().Where(x => x.ReturnId == id)
            .Select(x => new RefundView(x.Id, x.Kind, x.Amount, x.Status, x.Trigger, x.DecidedAtUtc, x.RequestedAtUtc, x.CompletedAtUtc, x.ExchangeOrderNo, x.Reference,
                x.Method, x.OutRefundNo, x.FailureReason, x.Status == RefundStatus.Requested || x.Status == RefundStatus.Pending ? Waiting(x.LastError) : null)).ToListAsync(ct);
        var photos = await db.Set<ReturnPhoto>().AsNoTracking().Where(p => p.ReturnId == id).OrderBy(p => p.Id)
            .Select(p => new PhotoView(p.Id, p.FileName, p.ContentType, p.SizeBytes)).ToListAsync(ct);
        // Reasons are free text (the customer's words, a rejection note): a mobile number typed into them is masked too.
        return new ReturnDetail(row, fullPii ? r.ReasonText : Pii.MaskPhonesIn(r.ReasonText), fullPii ? r.StatusReason : Pii.MaskPhonesIn(r.StatusReason), r.OrderId, r.DecidedBy, r.PickupNoShowAtUtc,
            [.. r.Lines.OrderBy(l => l.Id).Select(l => new ReturnLineView(l.Sku, l.Name, l.Quantity, l.UnitPrice))],
            [.. pickups.Select(p => View(p, fullPii))], shipment, refunds, photos,
            r.ContactEmail is null ? null : fullPii ? r.ContactEmail : Pii.MaskEmail(r.ContactEmail));
    }

    private static string? Waiting(string? lastError) => lastError == RefundJob.NotConfigured ? "NotConfigured" : lastError;

    /// <summary>Refunds newest first, optionally of one status; keyset by id (afterId = the last id of the previous page).</summary>
    public async Task<IReadOnlyList<RefundRow>> RefundsAsync(RefundStatus? status, long? afterId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Set<Refund>().AsNoTracking().Where(r => r.Kind == ReturnResolution.Refund);
        if (status is { } s)
        {
            q = q.Where(r => r.Status == s);
        }
        if (afterId is { } after)
        {
            q = q.Where(r => r.Id < after);
        }
        var rows = await q.OrderByDescending(r => r.Id).Take(take)
            .Join(db.Set<ReturnRequest>(), f => f.ReturnId, r => r.Id, (f, r) => new { f, r.RmaNo, r.OrderId })
            .Join(db.Set<Order>(), x => x.OrderId, o => o.Id, (x, o) => new { x.f, x.RmaNo, o.OrderNo })
            .ToListAsync(ct);
        return [.. rows.OrderByDescending(x => x.f.Id).Select(x => new RefundRow(x.f.Id, x.f.ReturnId, x.RmaNo, x.OrderNo, x.f.Amount, x.f.Status, x.f.Method, x.f.Reference,
            x.f.OutRefundNo, x.f.FailureReason, x.f.Status is RefundStatus.Requested or RefundStatus.Pending ? Waiting(x.f.LastError) : null, x.f.DecidedAtUtc, x.f.RequestedAtUtc, x.f.CompletedAtUtc))];
    }

    public async Task<RefundRow?> RefundAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var x = await db.Set<Refund>().AsNoTracking().Where(f => f.Id == id)
            .Join(db.Set<ReturnRequest>(), f => f.ReturnId, r => r.Id, (f, r) => new { f, r.RmaNo, r.OrderId })
            .Join(db.Set<Order>(), x => x.OrderId, o => o.Id, (x, o) => new { x.f, x.RmaNo, o.OrderNo })
            .FirstOrDefaultAsync(ct);
        return x is null ? null : new RefundRow(x.f.Id, x.f.ReturnId, x.RmaNo, x.OrderNo, x.f.Amount, x.f.Status, x.f.Method, x.f.Reference,
            x.f.OutRefundNo, x.f.FailureReason, x.f.Status is RefundStatus.Requested or RefundStatus.Pending ? Waiting(x.f.LastError) : null, x.f.DecidedAtUtc, x.f.RequestedAtUtc, x.f.CompletedAtUtc);
    }

    /// <summary>The refunds of an order's returns, for the order's timeline: decided, handed over, and confirmed or failed, with times.</summary>
    public async Task<IReadOnlyList<RefundRow>> RefundsOfOrderAsync(long orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<Refund>().AsNoTracking()
            .Join(db.Set<ReturnRequest>().Where(r => r.OrderId == orderId), f => f.ReturnId, r => r.Id, (f, r) => new { f, r.RmaNo })
            .ToListAsync(ct);
        var orderNo = await db.Set<Order>().AsNoTracking().Where(o => o.Id == orderId).Select(o => o.OrderNo).FirstOrDefaultAsync(ct) ?? "";
        return [.. rows.OrderBy(x => x.f.Id).Select(x => new RefundRow(x.f.Id, x.f.ReturnId, x.RmaNo, orderNo, x.f.Amount, x.f.Status, x.f.Method, x.f.Reference,
            x.f.OutRefundNo, x.f.FailureReason, x.f.Status is RefundStatus.Requested or RefundStatus.Pending ? Waiting(x.f.LastError) : null, x.f.DecidedAtUtc, x.f.RequestedAtUtc, x.f.CompletedAtUtc))];
    }

    private static PickupView View(Pickup p, bool fullPii) => new(p.Id, p.Attempt, p.OrderCode, p.ShipperCode, p.Status, p.WindowStartUtc, p.WindowEndUtc,
        p.ContactName, fullPii ? p.ContactPhone : Pii.MaskPhone(p.ContactPhone), p.Province, p.City, p.District,
        fullPii ? p.Address : Pii.MaskAddressDetail(p.Address), p.PickupCode, p.TrackingNo, p.CourierName, p.CourierPhone, fullPii ? p.FailureReason : Pii.MaskPhonesIn(p.FailureReason), p.BookedAtUtc, p.CollectedAtUtc);

    public async Task<(byte[] Content, string ContentType, string FileName)?> PhotoAsync(long returnId, long photoId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var photo = await db.Set<ReturnPhoto>().AsNoTracking().Where(p => p.Id == photoId && p.ReturnId == returnId)
            .Select(p => new { p.Content, p.ContentType, p.FileName }).FirstOrDefaultAsync(ct);
        return photo is null ? null : (photo.Content, photo.ContentType, photo.FileName);
    }

    /// <summary>What the create-return dialog offers: each line with how many can still be returned.</summary>
    public async Task<ReturnableOrder?> ReturnableAsync(string orderNo, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.OrderNo == orderNo, ct);
        if (order is null)
        {
            return null;
        }
        var shipped = await ReturnService.IsShippedAsync(db, order, ct);
        var returned = await ReturnService.ReturnedQuantitiesAsync(db, order.Id, ct);
        return new ReturnableOrder(order.Id, order.OrderNo, shipped, [.. order.Lines.OrderBy(l => l.LineNo)
            .Select(l => new ReturnableLine(l.Id, l.LineNo, l.Sku, l.Name, l.Quantity, l.UnitPrice, shipped ? Math.Max(0, l.Quantity - returned.GetValueOrDefault(l.Id)) : 0))],
            order.CustomerEmail is null ? null : Pii.MaskEmail(order.CustomerEmail));
    }
}

/// <summary>Dashboard tile "ReturnsToReview": returns waiting for someone to approve or reject them.</summary>
public sealed class ReturnsToReviewCounter : Dashboard.IDashboardCounter
{
    public string Tile => "ReturnsToReview";

    public async Task<long> CountAsync(PortalDbContext db, BusinessDay today, CancellationToken ct) =>
        await db.Set<ReturnRequest>().LongCountAsync(r => r.Status == ReturnStatus.Requested, ct);
}
