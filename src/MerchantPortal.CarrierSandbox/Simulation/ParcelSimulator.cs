using MerchantPortal.CarrierSandbox.Storage;

namespace MerchantPortal.CarrierSandbox.Simulation;

/// <summary>What the sandbox knows about a tracking number at a given moment.</summary>
public sealed record ParcelView(
    string ShipperCode,
    string LogisticCode,
    string? OrderCode,
    Journey? Journey,
    TrackingSnapshot Snapshot,
    bool Issued,
    PickerInfo? Picker);

/// <summary>Ties numbers to journeys: issued waybills, booked pickups, and numbers the sandbox never issued.</summary>
public sealed class ParcelSimulator(Regions regions, Carriers carriers, SandboxStore store, SandboxClock clock)
{
    public Regions Regions => regions;

    public Carriers Carriers => carriers;

    public ParcelView View(CarrierProfile carrier, string logisticCode)
    {
        var now = clock.GetUtcNow();
        if (store.FindWaybillByNumber(logisticCode) is { } waybill && waybill.ShipperCode == carrier.Code)
        {
            if (store.IsNumberCancelled(SandboxStore.WaybillKind, logisticCode))
            {
                // A cancelled waybill never moves (carrier-protocol.md §2.7: cancel is only possible before pickup).
                return new(carrier.Code, logisticCode, waybill.OrderCode, null, JourneyBuilder.Snapshot(null, now, false), true, null);
            }

            var journey = JourneyBuilder.Build(ForWaybill(waybill, carrier), regions);
            return new(carrier.Code, logisticCode, waybill.OrderCode, journey, JourneyBuilder.Snapshot(journey, now, true), true, null);
        }

        if (store.FindPickupByNumber(logisticCode) is { } pickup && pickup.ShipperCode == carrier.Code)
        {
            if (store.IsNumberCancelled(SandboxStore.PickupKind, logisticCode))
            {
                return new(carrier.Code, logisticCode, pickup.OrderCode, null, JourneyBuilder.Snapshot(null, now, false), true, null);
            }

            var journey = JourneyBuilder.Build(ForPickup(pickup, carrier), regions);
            var picker = journey.PickerAssignedUtc <= now ? journey.Picker : null;
            return new(carrier.Code, logisticCode, pickup.OrderCode, journey, JourneyBuilder.Snapshot(journey, now, true), true, picker);
        }

        var foreign = JourneyBuilder.Build(ForForeignNumber(carrier, logisticCode, store.FirstSeen(carrier.Code, logisticCode, now)), regions);
        return new(carrier.Code, logisticCode, null, foreign, JourneyBuilder.Snapshot(foreign, now, false), false, null);
    }

    public JourneyInput ForWaybill(WaybillRow w, CarrierProfile carrier) => new(
        w.LogisticCode, carrier, City(w.OriginCity, w.LogisticCode + "o"), w.OriginArea, City(w.DestCity, w.LogisticCode + "d"), w.DestArea, w.IssuedUtc);

    public JourneyInput ForPickup(PickupRow p, CarrierProfile carrier) => new(
        p.LogisticCode, carrier, City(p.OriginCity, p.LogisticCode + "o"), p.OriginArea, City(p.DestCity, p.LogisticCode + "d"), p.DestArea,
        p.BookedUtc, new PickupWindow(p.WindowStartUtc, p.WindowEndUtc));

    /// <summary>
    /// A number we did not issue still tracks: origin and destination come from the number's hash, and the
    /// journey is placed so that it started up to three days before the number was first asked about.
    /// </summary>
    public JourneyInput ForForeignNumber(CarrierProfile carrier, string logisticCode, DateTimeOffset firstSeenUtc)
    {
        var hash = StableHash.Of(carrier.Code + ":" + logisticCode);
        var origin = regions.FromHash(hash);
        var destination = regions.FromHash(hash / 97);
        var start = firstSeenUtc - TimeSpan.FromMinutes((double)(hash % (72 * 60)));
        return new(logisticCode, carrier, origin, null, destination, null, new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
    }

    private RegionCity City(string cityZh, string fallbackKey) => regions.ByName(cityZh) ?? regions.FromHash(StableHash.Of(fallbackKey));
}
