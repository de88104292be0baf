using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;

namespace MerchantPortal.Web.Features.Returns;

/// <param name="IdempotencyKey">"return-{id}": the same for every attempt, so a payment system can recognise a repeat.</param>
/// <param name="RefundId">The id the merchant system confirms under: POST /api/v1/refunds/{RefundId}/result.</param>
public sealed record RefundRequest(string IdempotencyKey, long RefundId, long ReturnId, string RmaNo, long OrderId, string OrderNo, decimal Amount,
    IReadOnlyList<RefundRequestLine> Lines, DateTime NowUtc);

public sealed record RefundRequestLine(string? Sku, string Name, int Quantity, decimal UnitPrice);

/// <summary>
/// The seam to whatever pays the customer back. Called inside the transaction that marks the refund requested:
/// rows added to <c>db</c> commit with it; an external call must be idempotent on <see cref="RefundRequest.IdempotencyKey"/>
/// (a crash after the call and before the commit repeats it). Throwing leaves the refund pending for a retry.
/// </summary>
public interface IRefundGateway
{
    /// <returns>A reference of the payment system, if it gives one.</returns>
    Task<string?> RequestAsync(PortalDbContext db, RefundRequest request, CancellationToken ct);
}

/// <summary>
/// The merchant-system path (RefundMethod.MerchantSystem): the merchant's own systems pay. The decision is announced
/// with the signed webhook "refund.requested" through the outbox, in the transaction that marks the refund Pending;
/// nothing is final until the merchant system posts its result to /api/v1/refunds/{refundId}/result.
/// </summary>
public sealed class WebhookRefundGateway : IRefundGateway
{
    public Task<string?> RequestAsync(PortalDbContext db, RefundRequest request, CancellationToken ct)
    {
        Outbox.EnqueueWebhook(db, "refund.requested", new
        {
            idempotencyKey = request.IdempotencyKey,
            refundId = request.RefundId,
            resultUrl = $"/api/v1/refunds/{request.RefundId}/result",
            returnId = request.ReturnId,
            rmaNo = request.RmaNo,
            orderNo = request.OrderNo,
            amount = request.Amount,
            currency = "CNY",
            lines = request.Lines,
            requestedAt = request.NowUtc,
        }, request.NowUtc, orderId: request.OrderId, returnId: request.ReturnId);
        return Task.FromResult<string?>(null);
    }
}
