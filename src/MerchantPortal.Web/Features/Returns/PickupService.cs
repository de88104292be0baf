using System.Globalization;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Returns;

/// <summary>Where the courier collects: the customer's address (prefilled from the order, editable).</summary>
public sealed record PickupAddress(string Name, string Phone, string Province, string City, string District, string Address);

/// <param name="Address">Null = the order's ship-to address (CustomerService never sees it unmasked, and need not).</param>
/// <param name="CarrierAccountId">Null = the order's warehouse default account, else the default account.</param>
public sealed record PickupInput(DateTime WindowStartUtc, DateTime WindowEndUtc, PickupAddress? Address, int? CarrierAccountId);

/// <summary>A bookable time window, e.g. 09:00–12:00 Beijing time tomorrow.</summary>
public sealed record PickupSlot(DateTime StartUtc, DateTime EndUtc)
{
    public string Label(CultureInfo culture) =>
        BusinessCalendar.ToBusinessTime(StartUtc).ToString("ddd M/d HH:mm", culture) + "–" + BusinessCalendar.ToBusinessTime(EndUtc).ToString("HH:mm", culture);
}

public sealed record PickupOutcome(Pickup? Pickup, IReadOnlyList<FieldProblem> Problems, bool AlreadyBooked = false)
{
    public bool Ok => Problems.Count == 0;

    public static PickupOutcome Fail(string field, string code, string message, params object[] args) => new(null, [new FieldProblem(field, code, message, args)]);
}

public sealed record CarrierChoice(int Id, string Name, string ShipperCode, bool IsDefault);

/// <summary>
/// Door pickups of returns (上门取件, carrier-protocol.md §2.8): booking (1801) with a stable OrderCode per return
/// and attempt, cancel (1802) and rebook until the courier has collected the parcel, address parsing (6001).
/// Once the aggregator names the tracking number, the reverse parcel is registered as a shipment of the return.
/// </summary>
public sealed class PickupService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierClient carriers,
    ShipmentService shipments,
    TimeProvider clock,
    ILogger<PickupService> logger)
{
    /// <summary>Slots offered: three windows a day (Beijing time) for today and the next days.</summary>
    public static readonly (int FromHour, int ToHour)[] DailyWindows = [(9, 12), (12, 15), (15, 18)];
    public const int SlotDays = 3;

    /// <summary>The windows that have not started yet, today and the next <see cref="SlotDays"/> days.</summary>
    public IReadOnlyList<PickupSlot> Slots()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = (now + BusinessCalendar.Offset).Date;
        var slots = new List<PickupSlot>();
        for (var day = 0; day <= SlotDays; day++)
        {
            foreach (var (from, to) in DailyWindows)
            {
                var start = DateTime.SpecifyKind(today.AddDays(day).AddHours(from) - BusinessCalendar.Offset, DateTimeKind.Utc);
                var end = DateTime.SpecifyKind(today.AddDays(day).AddHours(to) - BusinessCalendar.Offset, DateTimeKind.Utc);
                if (start > now)
                {
                    slots.Add(new PickupSlot(start, end));
                }
            }
        }
        return slots;
    }

    public async Task<IReadOnlyList<CarrierChoice>> CarriersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<CarrierAccount>().Where(a => !a.IsDisabled).OrderByDescending(a => a.IsDefault).ThenBy(a => a.Name)
            .Select(a => new CarrierChoice(a.Id, a.Name, a.ShipperCode, a.IsDefault)).ToListAsync(ct);
    }

    /// <summary>"Paste an address": 6001 through the chosen (or default) account.</summary>
    public async Task<(PickupAddress? Address, string? Problem)> ParseAddressAsync(string text, int? carrierAccountId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "Paste an address first.");
        }
        var accountId = carrierAccountId ?? (await CarriersAsync(ct)).Select(c => (int?)c.Id).FirstOrDefault();
        if (accountId is null)
        {
            return (null, "No enabled carrier account can parse addresses.");
        }
        var result = await carriers.CallAsync(accountId.Value, (g, c, t) => g.ParseAddressAsync(c, text.Trim(), t), ct);
        if (!result.Success || result.Value is not { } p)
        {
            return (null, $"The address could not be parsed: {result.Reason ?? result.Error.ToString()}");
        }
        var street = string.Concat(p.StreetName ?? "", p.Address ?? "");
        return (new PickupAddress(p.Name ?? "", p.Mobile ?? "", p.ProvinceName ?? "", p.CityName ?? "", p.DistrictName ?? "", street), null);
    }

    /// <summary>How long an attempt without any recorded answer counts as still being booked (longer than a carrier call with its retries).</summary>
    public static readonly TimeSpan InFlightFor = TimeSpan.FromMinutes(2);

    public async Task<PickupOutcome> BookAsync(long returnId, PickupInput input, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (Validate(input, now) is { } invalid)
        {
            return invalid;
        }

        Pickup pickup;
        ReturnRequest ret;
        Order order;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await db.Set<ReturnRequest>().AsNoTracking().Include(r => r.Lines).FirstOrDefaultAsync(r => r.Id == returnId, ct);
            if (found is null)
            {
                return PickupOutcome.Fail("id", "NotFound", "No such return.");
            }
            ret = found;
            order = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.Id == ret.OrderId, ct);
            var attempts = await db.Set<Pickup>().Where(p => p.ReturnId == returnId).OrderBy(p => p.Attempt).ToListAsync(ct);
            if (attempts.LastOrDefault(p => p.Status is PickupStatus.Booked or PickupStatus.Collected) is { } active)
            {
                // A repeated booking (double click, API retry) is the booking that exists: no second courier.
                return new PickupOutcome(active, [], AlreadyBooked: true);
            }
            if (attempts.LastOrDefault(p => p.Status == PickupStatus.Requested) is { FailureReason: null } inFlight && now - inFlight.CreatedAtUtc < InFlightFor)
            {
                // Another booking of this return is talking to the carrier right now (no answer recorded, not even a
                // lost one): sending the same attempt again would race it. A crashed call is resent after InFlightFor.
                return PickupOutcome.Fail("status", "BookingInProgress", "This return's pickup is being booked right now; reload in a moment.");
            }
            if (ret.Status != ReturnStatus.Approved)
            {
                return PickupOutcome.Fail("status", "PickupNeedsApproval", $"A pickup can be booked for an approved return; this one is {ret.Status}.", ret.Status);
            }
            var accountId = input.CarrierAccountId ?? await DefaultAccountAsync(db, order, ct);
            var account = accountId is null ? null : await db.Set<CarrierAccount>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && !a.IsDisabled, ct);
            if (account is null)
            {
                return PickupOutcome.Fail("carrierAccountId", "NoCarrier", "Choose an enabled carrier account.");
            }
            var address = input.Address ?? new PickupAddress(order.ReceiverName, order.ReceiverPhone, order.Province, order.City, order.District, order.AddressDetail);
            if (ValidateAddress(address) is { } badAddress)
            {
                return badAddress;
            }

            pickup = NextAttempt(attempts, ret, account, address, input, actor, now);
            if (pickup.Id == 0)
            {
                db.Add(pickup);
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another booking of this return saved the same attempt first: it owns the carrier call.
                return PickupOutcome.Fail("status", "BookingInProgress", "This return's pickup is being booked right now; reload in a moment.");
            }
        }

        var request = CarrierRequest(pickup, await WarehouseAsync(order, ct), ret);
        var result = await carriers.CallAsync(pickup.CarrierAccountId, (g, c, t) => g.BookPickupAsync(c, request, t), ct);
        return await RecordBookingAsync(ret, order, pickup.Id, result, actor, ct);
    }

    /// <summary>
    /// The attempt to book: the last one whose answer was lost, sent again with its OrderCode, otherwise a new one;
    /// either way with the account, window and address of this booking.
    /// </summary>
    private static Pickup NextAttempt(List<Pickup> attempts, ReturnRequest ret, CarrierAccount account, PickupAddress address, PickupInput input, string actor, DateTime now)
    {
        var pickup = attempts.LastOrDefault(p => p.Status == PickupStatus.Requested) ?? new Pickup
        {
            ReturnId = ret.Id,
            Attempt = attempts.Count + 1,
            OrderCode = $"{ret.RmaNo}-P{attempts.Count + 1}",
            ShipperCode = account.ShipperCode,
            ContactName = "",
            ContactPhone = "",
            Province = "",
            City = "",
            District = "",
            Address = "",
            CreatedBy = actor,
            CreatedAtUtc = now,
        };
        pickup.CarrierAccountId = account.Id;
        pickup.ShipperCode = account.ShipperCode;
        pickup.Status = PickupStatus.Requested;
        pickup.WindowStartUtc = input.WindowStartUtc;
        pickup.WindowEndUtc = input.WindowEndUtc;
        (pickup.ContactName, pickup.ContactPhone, pickup.Province, pickup.City, pickup.District, pickup.Address) =
            (address.Name.Trim(), address.Phone.Trim(), address.Province.Trim(), address.City.Trim(), address.District.Trim(), address.Address.Trim());
        return pickup;
    }

    /// <summary>1801: the courier collects at the pickup's address and brings the goods to the order's warehouse.</summary>
    private static PickupRequest CarrierRequest(Pickup pickup, Warehouse warehouse, ReturnRequest ret) => new(
        pickup.OrderCode, pickup.ShipperCode,
        new Party(pickup.ContactName, pickup.ContactPhone, null, pickup.Province, pickup.City, pickup.District, pickup.Address),
        new Party(warehouse.ContactName.Length > 0 ? warehouse.ContactName : warehouse.Name, null, warehouse.ContactPhone, warehouse.Province, warehouse.City, warehouse.District, warehouse.Address),
        pickup.WindowStartUtc, pickup.WindowEndUtc,
        [.. ret.Lines.Select(l => new Commodity(l.Name, l.Quantity, l.UnitPrice, GoodsCode: l.Sku))],
        null, $"退货 {ret.RmaNo}");

    private async Task<PickupOutcome> RecordBookingAsync(ReturnRequest ret, Order order, long pickupId, CarrierResult<PickupBooked> result, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pickup = await db.Set<Pickup>().SingleAsync(p => p.Id == pickupId, ct);
        if (!result.Success || result.Value is not { } booked)
        {
            if (result.Error is CarrierErrorKind.Rejected or CarrierErrorKind.InvalidResponse)
            {
                // Refused for good (a window, an address): this attempt is over; the next booking is a new one.
                pickup.Status = PickupStatus.Failed;
            }
            // Otherwise the answer was lost or never came: Requested stays, and the next booking resends the same OrderCode.
            pickup.FailureReason = Truncate($"{result.ResultCode} {result.Reason ?? result.Error.ToString()}".Trim(), 500);
            await db.SaveChangesAsync(ct);
            // A refusal quotes the carrier's own code and words (the aggregator answers in Chinese); the gateway's
            // description of a lost or unreadable answer is English, so pages word that one themselves.
            return result.Error == CarrierErrorKind.Rejected
                ? PickupOutcome.Fail("carrier", "CarrierRefused", $"The carrier did not book the pickup: {pickup.FailureReason}", pickup.FailureReason ?? "")
                : PickupOutcome.Fail("carrier", "CarrierUnavailable", $"The carrier could not be reached or its answer could not be read ({pickup.FailureReason}); book again to resend the same request.");
        }

        pickup.Status = PickupStatus.Booked;
        pickup.BookedAtUtc = now;
        pickup.FailureReason = null;
        pickup.TrackingNo = booked.TrackingNo ?? pickup.TrackingNo;
        pickup.PickupCode = booked.PickupCode ?? pickup.PickupCode;
        pickup.CourierName = Truncate(booked.CourierName, 50) ?? pickup.CourierName;
        pickup.CourierPhone = Truncate(booked.CourierPhone, 20) ?? pickup.CourierPhone;
        var entity = await db.Set<ReturnRequest>().SingleAsync(r => r.Id == ret.Id, ct);
        var previous = entity.Status;
        entity.Status = ReturnStatus.PickupBooked;
        entity.StatusReason = null;
        entity.UpdatedAtUtc = now;
        entity.Version = Guid.NewGuid();
        db.Audit(now, actor, "returns.pickup.book", "Return", ret.RmaNo, $"{pickup.OrderCode} {pickup.ShipperCode} {pickup.TrackingNo}{(booked.AlreadyExisted ? " (already existed)" : "")}");
        ReturnService.StatusChanged(db, entity, order.OrderNo, previous, now);
        Outbox.EnqueueCustomer(db, NotificationMilestone.PickupBooked, order.Id, null, ret.Id, new Dictionary<string, string>
        {
            ["rmaNo"] = ret.RmaNo,
            ["orderNo"] = order.OrderNo,
            ["carrier"] = pickup.ShipperCode,
            ["trackingNo"] = pickup.TrackingNo ?? "",
            ["pickupCode"] = pickup.PickupCode ?? "",
            ["windowStart"] = BusinessCalendar.ToBusinessTime(pickup.WindowStartUtc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["windowEnd"] = BusinessCalendar.ToBusinessTime(pickup.WindowEndUtc).ToString("HH:mm", CultureInfo.InvariantCulture),
        }, now);
        // A rebooking after a missed pickup is what Ops do about its case: the case closes with it.
        await Monitoring.ReturnCases.CloseAsync(db, ret.Id, "Pickup rebooked: " + pickup.OrderCode, now, ct);
        await db.SaveChangesAsync(ct);

        if (pickup.TrackingNo is not null)
        {
            await LinkShipmentAsync(ret.Id, order.OrderNo, pickup, ct);
        }
        return new PickupOutcome(pickup, []);
    }

    /// <summary>The reverse parcel as a shipment of the return (followed, pushed and shown like any other).</summary>
    private async Task LinkShipmentAsync(long returnId, string orderNo, Pickup pickup, CancellationToken ct)
    {
        var registered = await shipments.RegisterAsync(orderNo, pickup.ShipperCode, pickup.TrackingNo!, pickup.CarrierAccountId,
            new ShipmentFacts(ShipmentDirection.Reverse, returnId), ct);
        if (registered.ShipmentId is not { } shipmentId)
        {
            logger.LogWarning("The return parcel {TrackingNo} of return {ReturnId} could not be registered: {Outcome}", pickup.TrackingNo, returnId, registered.Outcome);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<ReturnRequest>().Where(r => r.Id == returnId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ShipmentId, shipmentId).SetProperty(r => r.Version, Guid.NewGuid()), ct);
    }

    /// <summary>1802, only while the courier has not collected; the return goes back to Approved and can be rebooked.</summary>
    public async Task<PickupOutcome> CancelAsync(long returnId, string actor, CancellationToken ct = default)
    {
        Pickup pickup;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await db.Set<Pickup>().AsNoTracking().Where(p => p.ReturnId == returnId && (p.Status == PickupStatus.Booked || p.Status == PickupStatus.Collected))
                .OrderByDescending(p => p.Attempt).FirstOrDefaultAsync(ct);
            if (found is null)
            {
                return await db.Set<ReturnRequest>().AnyAsync(r => r.Id == returnId, ct)
                    ? PickupOutcome.Fail("pickup", "NoPickup", "This return has no booked pickup.")
                    : PickupOutcome.Fail("id", "NotFound", "No such return.");
            }
            if (found.Status == PickupStatus.Collected || await IsScannedAsync(db, returnId, ct))
            {
                return PickupOutcome.Fail("pickup", "AlreadyCollected", "The courier has already collected the parcel; the pickup can no longer be cancelled.");
            }
            pickup = found;
        }

        var result = await carriers.CallAsync(pickup.CarrierAccountId, (g, c, t) => g.CancelPickupAsync(c, pickup.ShipperCode, pickup.OrderCode, pickup.TrackingNo, "退货取件取消", t), ct);
        if (!result.Success)
        {
            var collected = result.Reason?.Contains("揽收", StringComparison.Ordinal) == true;
            return collected
                ? PickupOutcome.Fail("pickup", "AlreadyCollected", "The courier has already collected the parcel; the pickup can no longer be cancelled.")
                : result.Error == CarrierErrorKind.Rejected
                    ? PickupOutcome.Fail("carrier", "CarrierRefused", $"The carrier did not cancel the pickup: {result.ResultCode} {result.Reason}", result.Reason ?? result.ResultCode ?? "")
                    // The gateway's text for a lost or unreadable answer is English: pages word this code themselves.
                    : PickupOutcome.Fail("carrier", "CancelCarrierUnavailable", $"The carrier could not be reached or its answer could not be read ({result.Reason}); the pickup is still booked, try again.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var entity = await db.Set<Pickup>().SingleAsync(p => p.Id == pickup.Id, ct);
            entity.Status = PickupStatus.Cancelled;
            entity.CancelledAtUtc = now;
            await BackToApprovedAsync(db, returnId, null, now, ct);
            var rmaNo = await db.Set<ReturnRequest>().Where(r => r.Id == returnId).Select(r => r.RmaNo).SingleAsync(ct);
            db.Audit(now, actor, "returns.pickup.cancel", "Return", rmaNo, pickup.OrderCode);
            await db.SaveChangesAsync(ct);
            return new PickupOutcome(entity, []);
        }
    }

    /// <summary>A cancelled or missed pickup: the return can be booked again.</summary>
    internal static async Task BackToApprovedAsync(PortalDbContext db, long returnId, string? reason, DateTime now, CancellationToken ct)
    {
        var ret = await db.Set<ReturnRequest>().SingleAsync(r => r.Id == returnId, ct);
        if (ret.Status != ReturnStatus.PickupBooked)
        {
            return;
        }
        var orderNo = await db.Set<Order>().Where(o => o.Id == ret.OrderId).Select(o => o.OrderNo).SingleAsync(ct);
        ret.Status = ReturnStatus.Approved;
        ret.StatusReason = reason;
        ret.ShipmentId = null;
        ret.UpdatedAtUtc = now;
        ret.Version = Guid.NewGuid();
        ReturnService.StatusChanged(db, ret, orderNo, ReturnStatus.PickupBooked, now);
    }

    private static async Task<bool> IsScannedAsync(PortalDbContext db, long returnId, CancellationToken ct) =>
        await db.Set<ReturnRequest>().Where(r => r.Id == returnId && r.ShipmentId != null)
            .Join(db.Set<Shipment>(), r => r.ShipmentId, s => (long?)s.Id, (r, s) => s.Status)
            .AnyAsync(s => s != ShipmentStatus.Pending, ct);

    private static PickupOutcome? Validate(PickupInput input, DateTime now)
    {
        if (input.WindowEndUtc <= input.WindowStartUtc)
        {
            return PickupOutcome.Fail("windowEnd", "WindowBackwards", "The window must end after it starts.");
        }
        if (input.WindowEndUtc <= now)
        {
            return PickupOutcome.Fail("windowStart", "WindowInPast", "The pickup window is in the past; choose a later one.");
        }
        if (input.WindowStartUtc > now.AddDays(SlotDays + 7))
        {
            return PickupOutcome.Fail("windowStart", "WindowTooFar", "A pickup can be booked at most ten days ahead.");
        }
        return null;
    }

    private static PickupOutcome? ValidateAddress(PickupAddress a)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(a.Name))
        {
            problems.Add(new("address.name", "AddressName", "The contact name is required."));
        }
        if (string.IsNullOrWhiteSpace(a.Phone))
        {
            problems.Add(new("address.phone", "AddressPhone", "The contact phone is required."));
        }
        if (string.IsNullOrWhiteSpace(a.Province) || string.IsNullOrWhiteSpace(a.City))
        {
            problems.Add(new("address.city", "AddressCity", "The province and city are required."));
        }
        if (string.IsNullOrWhiteSpace(a.District))
        {
            problems.Add(new("address.district", "AddressDistrict", "The address has no district (区/县); the courier needs it to find the customer."));
        }
        if (string.IsNullOrWhiteSpace(a.Address))
        {
            problems.Add(new("address.address", "AddressStreet", "The street address is required."));
        }
        return problems.Count == 0 ? null : new PickupOutcome(null, problems);
    }

    private static async Task<int?> DefaultAccountAsync(PortalDbContext db, Order order, CancellationToken ct) =>
        await db.Set<Warehouse>().Where(w => w.Id == order.WarehouseId).Select(w => w.DefaultCarrierAccountId).FirstOrDefaultAsync(ct)
        ?? await db.Set<CarrierAccount>().Where(a => !a.IsDisabled).OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => (int?)a.Id).FirstOrDefaultAsync(ct);

    /// <summary>Returns go back to the order's warehouse, else the first active one.</summary>
    private async Task<Warehouse> WarehouseAsync(Order order, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Warehouse>().AsNoTracking().Where(w => w.Id == order.WarehouseId).FirstOrDefaultAsync(ct)
            ?? await db.Set<Warehouse>().AsNoTracking().Where(w => w.Active).OrderBy(w => w.Id).FirstAsync(ct);
    }

    private static string? Truncate(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
}
