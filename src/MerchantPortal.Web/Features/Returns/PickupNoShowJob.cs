using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>
/// Finds booked pickups whose window ended (plus a grace) without a first scan: cancels them at the carrier (1802,
/// so a late courier does not come unannounced) and puts the return back to Approved with the no-show recorded, so
/// it can be rebooked, and opens a PickupNoShow exception case for Ops (closed by a rebooking or a late collection).
/// A pickup the carrier says was collected is left alone: its scans are on the way.
/// Recurring ("returns:pickup-no-shows"); safe to run twice (each pickup is re-checked before it is changed).
/// </summary>
public sealed class PickupNoShowJob(IDbContextFactory<PortalDbContext> dbFactory, CarrierClient carriers, JobGate gate, TimeProvider clock, ILogger<PickupNoShowJob> logger)
{
    /// <summary>
    /// Starts the return's status reason after a missed pickup (English, for the API); the return's page recognises it
    /// and words it from the missed pickup's window in its reader's language.
    /// </summary>
    public const string NoShowReasonPrefix = "pickup no-show: ";

    public static readonly TimeSpan Grace = TimeSpan.FromHours(2);

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var held = gate.TryEnter("returns:pickup-no-shows");
        if (held is null)
        {
            return;
        }
        var cutoff = clock.GetUtcNow().UtcDateTime - Grace;
        List<Pickup> overdue;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            overdue = await db.Set<Pickup>().AsNoTracking().Where(p => p.Status == PickupStatus.Booked && p.WindowEndUtc < cutoff).Take(200).ToListAsync(ct);
        }
        foreach (var pickup in overdue)
        {
            var cancelled = await carriers.CallAsync(pickup.CarrierAccountId, (g, c, t) => g.CancelPickupAsync(c, pickup.ShipperCode, pickup.OrderCode, pickup.TrackingNo, "快递员未在预约时段上门", t), ct);
            if (!cancelled.Success)
            {
                logger.LogInformation("Pickup {OrderCode} is overdue but the carrier did not cancel it ({Reason}); checked again later", pickup.OrderCode, cancelled.Reason);
                continue;
            }
            await MarkNoShowAsync(pickup.Id, ct);
        }
    }

    private async Task MarkNoShowAsync(long pickupId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pickup = await db.Set<Pickup>().SingleAsync(p => p.Id == pickupId, ct);
        if (pickup.Status != PickupStatus.Booked)
        {
            return;
        }
        pickup.Status = PickupStatus.NoShow;
        pickup.CancelledAtUtc = now;
        var window = $"{Infrastructure.BusinessCalendar.ToBusinessTime(pickup.WindowStartUtc):yyyy-MM-dd HH:mm}–{Infrastructure.BusinessCalendar.ToBusinessTime(pickup.WindowEndUtc):HH:mm}";
        await PickupService.BackToApprovedAsync(db, pickup.ReturnId, NoShowReasonPrefix + $"the courier did not come in {window} (Beijing time); book again", now, ct);
        var ret = await db.Set<ReturnRequest>().SingleAsync(r => r.Id == pickup.ReturnId, ct);
        ret.PickupNoShowAtUtc = now;
        db.Audit(now, "system", "returns.pickup.noshow", "Return", ret.RmaNo, pickup.OrderCode);
        // The exception case commits with the no-show itself: one missed window, one case (keyed by the window).
        var orderNo = await db.Set<Orders.Order>().Where(o => o.Id == ret.OrderId).Select(o => o.OrderNo).SingleAsync(ct);
        await Monitoring.ReturnCases.OpenNoShowAsync(db,
            new Monitoring.ReturnSubject(ret.Id, ret.RmaNo, ret.OrderId, orderNo, pickup.ShipperCode, pickup.TrackingNo, pickup.Province),
            pickup.WindowEndUtc, now, ct);
        await db.SaveChangesAsync(ct);
    }
}
