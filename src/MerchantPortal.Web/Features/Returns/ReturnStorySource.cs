using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>The order's returns in its story: requested, decided, pickups booked and collected, received, refunded.</summary>
public sealed class ReturnStorySource(IStringLocalizer<ReturnsResources> l) : IOrderStorySource
{
    public async Task<IReadOnlyList<StoryEvent>> EventsAsync(PortalDbContext db, long orderId, bool fullPii, CancellationToken ct)
    {
        var returns = await db.Set<ReturnRequest>().AsNoTracking().Where(r => r.OrderId == orderId).ToListAsync(ct);
        var ids = returns.Select(r => r.Id).ToList();
        var pickups = await db.Set<Pickup>().AsNoTracking().Where(p => ids.Contains(p.ReturnId)).ToListAsync(ct);
        var refunds = await db.Set<Refund>().AsNoTracking().Where(r => ids.Contains(r.ReturnId)).ToListAsync(ct);
        var events = new List<StoryEvent>();
        foreach (var r in returns)
        {
            var href = "/returns/" + r.Id.ToString(CultureInfo.InvariantCulture);
            events.Add(new(r.CreatedAtUtc, "Return.Requested", $"{r.RmaNo} · {l["Reason." + r.Reason]}", r.CreatedBy, href));
            if (r.DecidedAtUtc is { } decided)
            {
                var rejected = r.Status == ReturnStatus.Rejected;
                events.Add(new(decided, rejected ? "Return.Rejected" : "Return.Approved", rejected ? Mask(r.StatusReason, fullPii) : r.RmaNo, r.DecidedBy, href, rejected ? StoryTone.Warning : StoryTone.Normal));
            }
            foreach (var p in pickups.Where(p => p.ReturnId == r.Id))
            {
                var window = $"{BusinessCalendar.ToBusinessTime(p.WindowStartUtc):MM-dd HH:mm}–{BusinessCalendar.ToBusinessTime(p.WindowEndUtc):HH:mm}";
                if (p.BookedAtUtc is { } booked)
                {
                    events.Add(new(booked, "Pickup.Booked", $"{r.RmaNo} · {Components.Shared.CarrierNames.Of(p.ShipperCode)} {p.TrackingNo} · {window}", p.CreatedBy, href));
                }
                if (p.CollectedAtUtc is { } collected)
                {
                    events.Add(new(collected, "Pickup.Collected", $"{r.RmaNo} · {Components.Shared.CarrierNames.Of(p.ShipperCode)} {p.TrackingNo}", null, href));
                }
                if (p.CancelledAtUtc is { } cancelled)
                {
                    events.Add(new(cancelled, "Pickup.Cancelled", $"{r.RmaNo} · {window}", null, href));
                }
            }
            if (r.ReceivedAtUtc is { } received)
            {
                events.Add(new(received, "Return.Received", r.RmaNo, null, href));
            }
            foreach (var refund in refunds.Where(x => x.ReturnId == r.Id && x.RequestedAtUtc is not null))
            {
                events.Add(new(refund.RequestedAtUtc!.Value, "Refund.Requested", $"{r.RmaNo} · {refund.Amount.ToString("N2", CultureInfo.CurrentCulture)}", null, href));
            }
            // A refund the provider or the merchant's system refused: the money did not move, and a case is open for it.
            foreach (var failed in refunds.Where(x => x.ReturnId == r.Id && x.Status == RefundStatus.Failed))
            {
                events.Add(new(failed.CompletedAtUtc ?? failed.DecidedAtUtc, "Refund.Failed",
                    $"{r.RmaNo} · {failed.Amount.ToString("N2", CultureInfo.CurrentCulture)} · {Mask(failed.FailureReason, fullPii)}", null, href, StoryTone.Warning));
            }
            if (r.RefundedAtUtc is { } refunded)
            {
                events.Add(new(refunded, "Return.Refunded", $"{r.RmaNo} · {r.Amount.ToString("N2", CultureInfo.CurrentCulture)}", null, href, StoryTone.Good));
            }
        }
        return events;
    }

    private static string? Mask(string? text, bool fullPii) => fullPii ? text : Pii.MaskPhonesIn(text);
}
