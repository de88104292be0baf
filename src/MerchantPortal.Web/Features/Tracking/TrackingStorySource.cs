using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Every carrier scan of the order's parcels, outgoing and returning, for the order's story. A scan dated in the
/// future and a scan that contradicts the journey before it are shown with a warning: staff see what the carrier
/// said without taking it as fact.
/// </summary>
public sealed class TrackingStorySource : IOrderStorySource
{
    public async Task<IReadOnlyList<StoryEvent>> EventsAsync(PortalDbContext db, long orderId, bool fullPii, CancellationToken ct)
    {
        var parcels = await db.Set<Shipment>().AsNoTracking().Where(s => s.OrderId == orderId)
            .Select(s => new { s.Id, s.ShipperCode, s.TrackingNo, s.Direction, s.CreatedAtUtc }).ToListAsync(ct);
        var ids = parcels.Select(p => p.Id).ToList();
        var scans = await db.Set<TrackingEvent>().AsNoTracking().Where(e => ids.Contains(e.ShipmentId)).OrderBy(e => e.TimeUtc).ThenBy(e => e.Id).ToListAsync(ct);
        var events = new List<StoryEvent>(scans.Count);
        foreach (var parcel in parcels)
        {
            var href = "/shipments/" + Uri.EscapeDataString(parcel.TrackingNo);
            events.Add(new StoryEvent(parcel.CreatedAtUtc, parcel.Direction == ShipmentDirection.Reverse ? "Parcel.ReturnRegistered" : "Parcel.Registered",
                $"{Components.Shared.CarrierNames.Of(parcel.ShipperCode)} {parcel.TrackingNo}", null, href));
            var own = scans.Where(s => s.ShipmentId == parcel.Id).ToList();
            var odd = TimelineCheck.Contradicting(own);
            foreach (var scan in own)
            {
                var kind = parcel.Direction == ShipmentDirection.Reverse ? "ReturnScan" : "Scan";
                var warning = scan.DatedInFuture ? "ScanInFuture" : odd.Contains(scan.Id) ? "ScanContradicts" : null;
                events.Add(new StoryEvent(scan.TimeUtc, warning ?? kind, $"{Components.Shared.CarrierNames.Of(parcel.ShipperCode)} {parcel.TrackingNo} · {(fullPii ? scan.Description : Infrastructure.Pii.MaskPhonesIn(scan.Description))}", null, href,
                    warning is not null ? StoryTone.Warning : scan.Status == MerchantPortal.Carriers.ShipmentStatus.Delivered ? StoryTone.Good : StoryTone.Normal));
            }
        }
        return events;
    }
}
