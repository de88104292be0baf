using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;

namespace MerchantPortal.Web.Features.Returns;

/// <param name="IdempotencyKey">"return-{id}": the same for every attempt, so a payment system can recognise a repeat.</param>
public sealed record RefundRequest(string IdempotencyKey, long ReturnId, string RmaNo, long OrderId, string OrderNo, decimal Amount,
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
/// The default: the merchant's own systems pay. The decision is recorded (the Refund row) and announced with the
/// signed webhook "refund.requested" through the outbox, in the same transaction.
/// </summary>
public sealed class WebhookRefundGateway : IRefundGateway
{
    public Task<string?> RequestAsync(PortalDbContext db, RefundRequest request, CancellationToken ct)
    {
        Outbox.EnqueueWebhook(db, "refund.requested", new
        {
            idempotencyKey = request.IdempotencyKey,
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
