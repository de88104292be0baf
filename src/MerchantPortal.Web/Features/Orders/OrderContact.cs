using System.Net.Mail;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

public enum ContactOutcome
{
    Saved,
    NotFound,
    Invalid,
}

/// <summary>
/// The customer's e-mail on an order: where e-mail messages about it go (a return may name another). Any status may
/// change it: unlike the address, nothing printed carries it. Written to the order's history (the address masked) and
/// the audit log.
/// </summary>
public sealed class OrderContactService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxEmailLength = 256;

    /// <summary>Null or empty clears it (messages then go by SMS only).</summary>
    public async Task<ContactOutcome> SetEmailAsync(string orderNo, string? email, string actor, CancellationToken ct = default)
    {
        var value = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (value is not null && !IsEmail(value))
        {
            return ContactOutcome.Invalid;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Set<Order>().FirstOrDefaultAsync(o => o.OrderNo == orderNo, ct);
        if (order is null)
        {
            return ContactOutcome.NotFound;
        }
        if (string.Equals(order.CustomerEmail, value, StringComparison.OrdinalIgnoreCase))
        {
            return ContactOutcome.Saved;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        order.CustomerEmail = value;
        order.UpdatedAtUtc = now;
        var shown = value is null ? "—" : Infrastructure.Pii.MaskEmail(value);
        db.Add(new OrderHistory { OrderId = order.Id, AtUtc = now, Actor = actor, Action = "EmailChanged", Details = shown });
        db.Audit(now, actor, "orders.email", "Order", order.OrderNo, shown);
        await db.SaveChangesAsync(ct);
        return ContactOutcome.Saved;
    }

    public static bool IsEmail(string value) => value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
}
