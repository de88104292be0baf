using System.Globalization;
using System.Text;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// The list's orders: by creation time (Newest, Oldest) or by a column people sort by, each way. Every sort pages by
/// keyset on (key, Id) and has an index on (key, Id) (OrderKeyset). Orders without a paid time or a carrier come
/// after all the others in both directions.
/// </summary>
public enum OrderSort
{
    Newest,
    Oldest,
    PaidAsc,
    PaidDesc,
    AmountAsc,
    AmountDesc,
    ProvinceAsc,
    ProvinceDesc,
    StatusAsc,
    StatusDesc,
    CarrierAsc,
    CarrierDesc,
}

/// <summary>Reading a sort from a URL or an API query: its name only (case-insensitive), never a number.</summary>
public static class OrderSorts
{
    public static string Allowed { get; } = string.Join(", ", Enum.GetNames<OrderSort>());

    public static bool TryParse(string? text, out OrderSort sort)
    {
        sort = OrderSort.Newest;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var name = Enum.GetNames<OrderSort>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return false;
        }
        sort = Enum.Parse<OrderSort>(name);
        return true;
    }

    /// <summary>What is wrong with a sort parameter: a name that is not one of <see cref="Allowed"/>.</summary>
    public static FieldProblems Problems(string? text) =>
        TryParse(text, out _) ? new FieldProblems() : FieldProblems.Of("sort", $"sort is one of {Allowed}; it was '{text}'.");

    /// <summary>The sort a click on a column header gives: the column's ascending sort, or its descending one if already ascending.</summary>
    public static OrderSort Toggle(OrderSort current, OrderSort ascending, OrderSort descending) => current == ascending ? descending : ascending;
}

/// <summary>What the list shows; every field is also a query-string parameter so a view is a shareable URL.</summary>
public sealed record OrderFilter(
    OrderStatus? Status = null, OrderChannel? Channel = null, string? Province = null, int? WarehouseId = null, string? Carrier = null,
    DateOnly? From = null, DateOnly? To = null, bool? HasException = null, string? Q = null, OrderSort Sort = OrderSort.Newest, int? ShopId = null);

public sealed record OrderRow(long Id, string OrderNo, OrderChannel Channel, OrderStatus Status, string ReceiverName, string Phone,
    string Province, string City, string District, string AddressDetail, decimal TotalAmount, int LineCount, string? TrackingNo, string? CarrierCode,
    int? WarehouseId, DateTime CreatedAtUtc, DateTime? PaidAtUtc, string? Remark, int? ShopId = null);

/// <summary>One page; <see cref="Count"/> stops at <see cref="OrderQueries.CountCap"/> (shown as "1000+").</summary>
public sealed record OrderPage(IReadOnlyList<OrderRow> Items, string? NextCursor, int Count, bool CountCapped);

/// <summary>The lookup's answer: the first matches, and whether there were more than it shows.</summary>
public sealed record LookupResult(IReadOnlyList<OrderRow> Items, bool Capped);

public sealed record OrderLineRow(int LineNo, string? Sku, string Name, int Quantity, decimal UnitPrice, decimal WeightKg);

public sealed record OrderHistoryRow(DateTime AtUtc, string Actor, string Action, OrderStatus? FromStatus, OrderStatus? ToStatus, string? Details);

/// <param name="Parcels">How far the order's outgoing parcels are ("2 of 3 delivered").</param>
/// <param name="ExpectedDelivery">The portal's prediction for the order's outgoing parcels still on their way (the last
/// of them to arrive: the order is complete then); null when none has a prediction yet.</param>
/// <param name="CarrierEstimatedDelivery">The carrier's own estimate for the same parcels (the latest).</param>
public sealed record OrderDetail(OrderRow Order, string? BuyerName, string? Postcode, string? Warehouse, decimal TotalWeightKg, string? Tags,
    IReadOnlyList<OrderLineRow> Lines, IReadOnlyList<OrderHistoryRow> History, ParcelProgress Parcels, string? CustomerEmail = null,
    Tracking.ExpectedDelivery? ExpectedDelivery = null, DateTime? CarrierEstimatedDelivery = null, OrderShipping? Shipping = null, string? Shop = null,
    bool ReceiverMasked = false);

/// <summary>The order's outgoing parcels (voided waybills left out): how many, how many have left, how many are signed for.</summary>
public sealed record ParcelProgress(int Total, int Shipped, int Delivered)
{
    public static ParcelProgress Of(ParcelPicture picture) => new(
        // A split order's parcels not yet registered count too: "1 of 2 delivered" before the second has a number.
        picture.Expected > 1 ? Math.Max(picture.Forward.Count, picture.Expected) : picture.Forward.Count,
        picture.Forward.Count(s => s != MerchantPortal.Carriers.ShipmentStatus.Pending),
        picture.Forward.Count(s => s == MerchantPortal.Carriers.ShipmentStatus.Delivered));

    /// <summary>Worth saying only when the order has several parcels and they are not all at the same point.</summary>
    public bool IsPartial => Total > 1 && (Shipped is > 0 && Shipped < Total || Delivered > 0 && Delivered < Total);
}

/// <summary>
/// Reads for the list, detail, lookup, export and API. Paging is keyset on (sort key, Id) so page 20,000 costs
/// what page 1 costs (P1, <see cref="OrderKeyset"/>); each filter has an index that starts with it and ends with (CreatedAtUtc, Id). Counts are
/// capped: counting a million rows on every keystroke is what makes lists slow, and "1000+" is all a person needs.
/// PII is masked here, before anything leaves the server, unless the caller may see it whole.
/// </summary>
public sealed partial class OrderQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The lookup box takes at most this many characters.</summary>
    public const int MaxLookup = 100;

    /// <summary>What is wrong with a lookup text (<see cref="LookupAsync"/>): empty, or longer than the box takes.</summary>
    public static FieldProblems LookupProblems(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? FieldProblems.Of("q", "q is required: an order number, a tracking number, a phone number, a name, or \"name 1234\" (name and the phone's last 4 digits).")
            : text.Length > MaxLookup
                ? FieldProblems.Of("q", $"q has at most {MaxLookup} characters; it had {text.Length}.")
                : new FieldProblems();

    public const int CountCap = 1000;

    public async Task<OrderPage> ListAsync(OrderFilter filter, string? cursor, int pageSize, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db.Set<Order>().AsNoTracking(), filter);
        // The count does not depend on the sort: it walks the filter's own (…, CreatedAtUtc, Id) index and stops at the cap.
        var count = await query.OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id).Take(CountCap + 1).CountAsync(ct);
        // Searching the start of an order number: the order whose number is exactly the text comes first (a seek on the
        // unique index), then the others in the list's sort, without it (so no page shows it twice).
        OrderRow? exact = null;
        if (ExactOrderNo(filter.Q) is { } orderNo
            && await query.Where(o => o.OrderNo == orderNo).Select(Projection).FirstOrDefaultAsync(ct) is { } found)
        {
            exact = found;
            query = query.Where(o => o.OrderNo != orderNo);
        }
        var firstPage = exact is not null && cursor is null;
        var (items, next) = await OrderKeyset.PageAsync(db, query, filter.Sort, cursor, firstPage ? Math.Max(1, pageSize - 1) : pageSize, Projection, ct);
        if (firstPage)
        {
            items.Insert(0, exact!);
        }
        return new OrderPage([.. items.Select(r => Mask(r, fullPii))], next, Math.Min(count, CountCap), count > CountCap);
    }

    /// <summary>The list in its sort order, chunk by chunk (bulk actions and export on "all matching").</summary>
    public async IAsyncEnumerable<IReadOnlyList<OrderRow>> StreamAsync(OrderFilter filter, bool fullPii, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? cursor = null;
        do
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var (items, next) = await OrderKeyset.PageAsync(db, Apply(db.Set<Order>().AsNoTracking(), filter), filter.Sort, cursor, 1000, Projection, ct);
            yield return [.. items.Select(r => Mask(r, fullPii))];
            cursor = next;
        }
        while (cursor is not null);
    }

    /// <summary>How many orders match the filter, counted to the end (the "select all M matching" figure).</summary>
    public async Task<int> CountAllAsync(OrderFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Apply(db.Set<Order>().AsNoTracking(), filter).CountAsync(ct);
    }

    /// <summary>The page at a row offset, the way keyset paging avoids (the benchmark's comparison, and its deep cursors).</summary>
    public async Task<IReadOnlyList<OrderRow>> OffsetPageAsync(OrderFilter filter, int offset, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OrderKeyset.OffsetPageAsync(db, Apply(db.Set<Order>().AsNoTracking(), filter), filter.Sort, offset, pageSize, Projection, ct);
    }

    public async Task<OrderDetail?> GetAsync(string orderNo, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var o = await db.Set<Order>().AsNoTracking().Where(x => x.OrderNo == orderNo)
            .Select(x => new { Row = new OrderRow(x.Id, x.OrderNo, x.Channel, x.Status, x.ReceiverName, x.ReceiverPhone, x.Province, x.City, x.District, x.AddressDetail, x.TotalAmount, x.LineCount, x.TrackingNo, x.CarrierCode, x.WarehouseId, x.CreatedAtUtc, x.PaidAtUtc, x.Remark, x.ShopId), x.BuyerName, x.Postcode, x.TotalWeightKg, x.Tags, x.CustomerEmail, x.ReceiverMasked })
            .SingleOrDefaultAsync(ct);
        if (o is null)
        {
            return null;
        }
        var warehouse = o.Row.WarehouseId is { } wid ? await db.Set<Warehouse>().Where(w => w.Id == wid).Select(w => w.Name).SingleOrDefaultAsync(ct) : null;
        var shop = o.Row.ShopId is { } sid ? await db.Set<Shop>().Where(s => s.Id == sid).Select(s => s.Name).SingleOrDefaultAsync(ct) : null;
        var lines = await db.Set<OrderLine>().AsNoTracking().Where(l => l.OrderId == o.Row.Id).OrderBy(l => l.LineNo)
            .Select(l => new OrderLineRow(l.LineNo, l.Sku, l.Name, l.Quantity, l.UnitPrice, l.WeightKg)).ToListAsync(ct);
        var history = await db.Set<OrderHistory>().AsNoTracking().Where(h => h.OrderId == o.Row.Id).OrderByDescending(h => h.Id)
            .Select(h => new OrderHistoryRow(h.AtUtc, h.Actor, h.Action, h.FromStatus, h.ToStatus, h.Details)).ToListAsync(ct);
        if (!fullPii)
        {
            // Hold and cancel reasons are typed by people and may quote the customer's number.
            history = [.. history.Select(h => h with { Details = Pii.MaskPhonesIn(h.Details) })];
        }
        var parcels = (await OrderParcels.PicturesAsync(db, [o.Row.Id], ct))[o.Row.Id];
        var (expected, carrierEstimate) = await ExpectedDeliveryAsync(db, o.Row.Id, ct);
        return new OrderDetail(Mask(o.Row, fullPii), o.BuyerName, fullPii ? o.Postcode : null, warehouse, o.TotalWeightKg, fullPii ? o.Tags : Pii.MaskPhonesIn(o.Tags), lines, history, ParcelProgress.Of(parcels),
            o.CustomerEmail is null ? null : fullPii ? o.CustomerEmail : Pii.MaskEmail(o.CustomerEmail), expected, carrierEstimate,
            await ShippingAsync(db, o.Row.Id, lines, ct), shop, o.ReceiverMasked);
    }

    /// <summary>
    /// The order's outgoing parcels still travelling (read from Tracking's Shipments): the last predicted to arrive, and
    /// the carrier's latest estimate for them.
    /// </summary>
    private static async Task<(Tracking.ExpectedDelivery?, DateTime?)> ExpectedDeliveryAsync(PortalDbContext db, long orderId, CancellationToken ct)
    {
        var travelling = await db.Set<Tracking.Shipment>().AsNoTracking()
            .Where(s => s.OrderId == orderId && s.Direction == Tracking.ShipmentDirection.Forward)
            .Select(s => new
            {
                s.Status, s.EstimatedDeliveryUtc, s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc,
            })
            .ToListAsync(ct);
        travelling = [.. travelling.Where(s => !MerchantPortal.Carriers.ShipmentStatusExtensions.IsFinal(s.Status) && s.Status != MerchantPortal.Carriers.ShipmentStatus.Returning)];
        var expected = travelling
            .Select(s => Tracking.ExpectedDelivery.Of(s.PredictedDeliveryUtc, s.PredictedEarliestUtc, s.PredictedLatestUtc, s.PredictedFromStage, s.PredictedFromLane, s.PredictedAtUtc))
            .Where(e => e is not null)
            .MaxBy(e => e!.Expected);
        var carrier = travelling.Max(s => s.EstimatedDeliveryUtc);
        return (expected, carrier is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null);
    }

    /// <summary>
    /// Customer-service search: an order or tracking number or the start of one, a phone, the last four digits of a
    /// phone, a receiver name, or a name followed by the phone's last digits with or without a space ("孙涛2879",
    /// "孙涛 2879"). Every branch is an index seek or an index range (P1: ≤ 5 ms at 1M rows); none is a LIKE '%x%'.
    /// </summary>
    public async Task<IReadOnlyList<OrderRow>> LookupAsync(string? text, bool fullPii, int take = 10, CancellationToken ct = default) =>
        (await LookupWithCapAsync(text, fullPii, take, ct)).Items;

    /// <summary><see cref="LookupAsync"/>, saying whether more orders matched than <paramref name="take"/>.</summary>
    public async Task<LookupResult> LookupWithCapAsync(string? text, bool fullPii, int take = 10, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new LookupResult([], false);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orders = db.Set<Order>().AsNoTracking();
        var q = PhoneNumbers.ToHalfWidth(text).Trim();
        var found = new List<OrderRow>();

        // Exact matches first, newest first: each is a seek on its own index and finds a handful of orders.
        IQueryable<Order>? exact;
        if (NameAndDigits(q) is var (name, digits))
        {
            var last4 = digits[^4..];
            exact = orders.Where(o => o.PhoneLast4 == last4 && o.ReceiverName == name);
            if (digits.Length > 4)
            {
                // More than four digits narrow the few rows of that seek further (a longer tail, or the whole phone).
                exact = exact.Where(o => o.ReceiverPhone.EndsWith(digits));
            }
        }
        else if (q.Length == 4 && q.All(char.IsAsciiDigit))
        {
            exact = orders.Where(o => o.PhoneLast4 == q);
        }
        else if (PhoneNumbers.Normalize(q) is { } phone)
        {
            exact = orders.Where(o => o.ReceiverPhone == phone || o.OrderNo == q || o.TrackingNo == q);
        }
        else
        {
            exact = orders.Where(o => o.OrderNo == q || o.TrackingNo == q || o.ReceiverName == q);
        }
        found.AddRange(await exact.OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id).Take(take + 1).Select(Projection).ToListAsync(ct));

        // Then the numbers that start with the text, in number order: ranges on the order-number and tracking-number
        // indexes, each stopped after one more than fits.
        if (PrefixRange(q) is var (from, to))
        {
            found.AddRange(await orders.Where(o => string.Compare(o.OrderNo, from) >= 0 && string.Compare(o.OrderNo, to) < 0)
                .OrderBy(o => o.OrderNo).Take(take + 1).Select(Projection).ToListAsync(ct));
            found.AddRange(await orders.Where(o => string.Compare(o.TrackingNo, from) >= 0 && string.Compare(o.TrackingNo, to) < 0)
                .OrderBy(o => o.TrackingNo).Take(take + 1).Select(Projection).ToListAsync(ct));
        }
        var distinct = found.DistinctBy(r => r.Id).ToList();
        return new LookupResult([.. distinct.Take(take).Select(r => Mask(r, fullPii))], distinct.Count > take);
    }

    /// <summary>
    /// "孙涛2879", "孙涛 2879", "John 2879", "2879 孙涛": a name and at least the phone's last four digits. Without a
    /// space the name must not be plain ASCII, so an order number such as "DM2612010000001" is not read as one.
    /// </summary>
    internal static (string Name, string Digits)? NameAndDigits(string q)
    {
        // A space, where there is one, is where the name ends (a name may hold digits: "李4 2879"); without one the name
        // is everything up to the trailing digits.
        var match = NameSpaceDigits().Match(q) is { Success: true } spacedMatch ? spacedMatch
            : NameThenDigits().Match(q) is { Success: true } m ? m : DigitsThenName().Match(q);
        if (!match.Success)
        {
            return null;
        }
        var name = match.Groups["name"].Value.Trim();
        var digits = match.Groups["digits"].Value;
        var spaced = match.Value.Contains(' ', StringComparison.Ordinal);
        if (name.Length == 0 || (!spaced && name.All(char.IsAscii)))
        {
            return null;
        }
        return (name, digits);
    }

    /// <summary>The bounds of "starts with <paramref name="q"/>" as a range an index serves: [q, q with its last character + 1).</summary>
    internal static (string From, string To)? PrefixRange(string q)
    {
        // Short texts would match too much to mean anything; spaces and the last character's maximum cannot be a prefix.
        if (q.Length < MinPrefix || q.Any(char.IsWhiteSpace) || q[^1] == char.MaxValue)
        {
            return null;
        }
        return (q, q[..^1] + (char)(q[^1] + 1));
    }

    /// <summary>The list's search text when it is searched as the start of an order number (the exact number is shown first).</summary>
    internal static string? ExactOrderNo(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var q = PhoneNumbers.ToHalfWidth(text).Trim();
        return q.Length == 4 && q.All(char.IsAsciiDigit) || PrefixRange(q) is null ? null : q;
    }

    /// <summary>The shortest text searched as the start of an order or tracking number.</summary>
    public const int MinPrefix = 4;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<name>.*\S)\s+(?<digits>\d{4,})$")]
    private static partial System.Text.RegularExpressions.Regex NameSpaceDigits();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<name>.*?[^\d\s])\s*(?<digits>\d{4,})$")]
    private static partial System.Text.RegularExpressions.Regex NameThenDigits();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<digits>\d{4,})\s*(?<name>[^\d\s].*)$")]
    private static partial System.Text.RegularExpressions.Regex DigitsThenName();

    /// <summary>"name × qty; …" per order, for exports.</summary>
    public async Task<IReadOnlyDictionary<long, string>> ItemsAsync(IReadOnlyCollection<long> orderIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lines = await db.Set<OrderLine>().AsNoTracking().Where(l => orderIds.Contains(l.OrderId)).OrderBy(l => l.OrderId).ThenBy(l => l.LineNo)
            .Select(l => new { l.OrderId, l.Name, l.Quantity }).ToListAsync(ct);
        return lines.GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => string.Join("; ", g.Select(l => $"{l.Name} × {l.Quantity}")));
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> WarehousesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = await db.Set<Warehouse>().AsNoTracking().OrderBy(w => w.Id).Select(w => new { w.Id, w.Name }).ToListAsync(ct);
        return [.. list.Select(w => (w.Id, w.Name))];
    }

    internal static IQueryable<Order> Apply(IQueryable<Order> query, OrderFilter f)
    {
        if (f.Status is { } status)
        {
            query = query.Where(o => o.Status == status);
        }
        if (f.Channel is { } channel)
        {
            query = query.Where(o => o.Channel == channel);
        }
        if (!string.IsNullOrWhiteSpace(f.Province))
        {
            query = query.Where(o => o.Province == f.Province);
        }
        if (f.ShopId is { } shop)
        {
            // An index seek on (ShopId, CreatedAtUtc, Id), like the other filters.
            query = query.Where(o => o.ShopId == shop);
        }
        if (f.WarehouseId is { } warehouse)
        {
            query = query.Where(o => o.WarehouseId == warehouse);
        }
        if (!string.IsNullOrWhiteSpace(f.Carrier))
        {
            query = query.Where(o => o.CarrierCode == f.Carrier);
        }
        if (f.HasException is { } hasException)
        {
            query = query.Where(o => o.HasOpenException == hasException);
        }
        if (f.From is { } from)
        {
            var fromUtc = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - BusinessCalendar.Offset;
            query = query.Where(o => o.CreatedAtUtc >= fromUtc);
        }
        if (f.To is { } to)
        {
            var toUtc = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - BusinessCalendar.Offset;
            query = query.Where(o => o.CreatedAtUtc < toUtc);
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            // Exact matches and the start of an order number: a LIKE '%x%' over a million rows cannot be served by an
            // index, a range [q, q + 1) on the order-number index can.
            var q = PhoneNumbers.ToHalfWidth(f.Q).Trim();
            var phone = PhoneNumbers.Normalize(q);
            if (q.Length == 4 && q.All(char.IsAsciiDigit))
            {
                query = query.Where(o => o.PhoneLast4 == q);
            }
            else if (PrefixRange(q) is var (low, high))
            {
                query = query.Where(o => (string.Compare(o.OrderNo, low) >= 0 && string.Compare(o.OrderNo, high) < 0)
                    || o.TrackingNo == q || o.ReceiverName == q || (phone != null && o.ReceiverPhone == phone));
            }
            else
            {
                query = query.Where(o => o.OrderNo == q || o.TrackingNo == q || o.ReceiverName == q || (phone != null && o.ReceiverPhone == phone));
            }
        }
        return query;
    }

    private static readonly System.Linq.Expressions.Expression<Func<Order, OrderRow>> Projection = x =>
        new OrderRow(x.Id, x.OrderNo, x.Channel, x.Status, x.ReceiverName, x.ReceiverPhone, x.Province, x.City, x.District, x.AddressDetail,
            x.TotalAmount, x.LineCount, x.TrackingNo, x.CarrierCode, x.WarehouseId, x.CreatedAtUtc, x.PaidAtUtc, x.Remark, x.ShopId);

    /// <summary>The remark (the buyer's message or a note) is free text: a number typed into it is masked like the phone.</summary>
    public static OrderRow Mask(OrderRow r, bool fullPii) =>
        fullPii ? r : r with { Phone = Pii.MaskPhone(r.Phone), AddressDetail = Pii.MaskAddressDetail(r.AddressDetail), Remark = Pii.MaskPhonesIn(r.Remark) };

    /// <summary>The cursor of the page after <paramref name="last"/> in <paramref name="sort"/> order.</summary>
    public static string EncodeCursor(OrderRow last, OrderSort sort = OrderSort.Newest) => OrderKeyset.Encode(last, sort);
}
