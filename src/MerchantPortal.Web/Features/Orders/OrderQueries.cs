using System.Globalization;
using System.Text;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

public enum OrderSort
{
    Newest,
    Oldest,
}

/// <summary>What the list shows; every field is also a query-string parameter so a view is a shareable URL.</summary>
public sealed record OrderFilter(
    OrderStatus? Status = null, OrderChannel? Channel = null, string? Province = null, int? WarehouseId = null, string? Carrier = null,
    DateOnly? From = null, DateOnly? To = null, bool? HasException = null, string? Q = null, OrderSort Sort = OrderSort.Newest);

public sealed record OrderRow(long Id, string OrderNo, OrderChannel Channel, OrderStatus Status, string ReceiverName, string Phone,
    string Province, string City, string District, string AddressDetail, decimal TotalAmount, int LineCount, string? TrackingNo, string? CarrierCode,
    int? WarehouseId, DateTime CreatedAtUtc, DateTime? PaidAtUtc, string? Remark);

/// <summary>One page; <see cref="Count"/> stops at <see cref="OrderQueries.CountCap"/> (shown as "1000+").</summary>
public sealed record OrderPage(IReadOnlyList<OrderRow> Items, string? NextCursor, int Count, bool CountCapped);

public sealed record OrderLineRow(int LineNo, string? Sku, string Name, int Quantity, decimal UnitPrice, decimal WeightKg);

public sealed record OrderHistoryRow(DateTime AtUtc, string Actor, string Action, OrderStatus? FromStatus, OrderStatus? ToStatus, string? Details);

/// <param name="Parcels">How far the order's outgoing parcels are ("2 of 3 delivered").</param>
public sealed record OrderDetail(OrderRow Order, string? BuyerName, string? Postcode, string? Warehouse, decimal TotalWeightKg, string? Tags,
    IReadOnlyList<OrderLineRow> Lines, IReadOnlyList<OrderHistoryRow> History, ParcelProgress Parcels, string? CustomerEmail = null);

/// <summary>The order's outgoing parcels (voided waybills left out): how many, how many have left, how many are signed for.</summary>
public sealed record ParcelProgress(int Total, int Shipped, int Delivered)
{
    public static ParcelProgress Of(ParcelPicture picture) => new(
        picture.Forward.Count,
        picture.Forward.Count(s => s != MerchantPortal.Carriers.ShipmentStatus.Pending),
        picture.Forward.Count(s => s == MerchantPortal.Carriers.ShipmentStatus.Delivered));

    /// <summary>Worth saying only when the order has several parcels and they are not all at the same point.</summary>
    public bool IsPartial => Total > 1 && (Shipped is > 0 && Shipped < Total || Delivered > 0 && Delivered < Total);
}

/// <summary>
/// Reads for the list, detail, lookup, export and API. Paging is keyset on (CreatedAtUtc, Id) so page 20,000 costs
/// what page 1 costs (P1); each filter has an index that starts with it and ends with the sort key. Counts are
/// capped: counting a million rows on every keystroke is what makes lists slow, and "1000+" is all a person needs.
/// PII is masked here, before anything leaves the server, unless the caller may see it whole.
/// </summary>
public sealed class OrderQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int CountCap = 1000;

    public async Task<OrderPage> ListAsync(OrderFilter filter, string? cursor, int pageSize, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db.Set<Order>().AsNoTracking(), filter);
        // Ordered like the page so the count walks the same index range and stops at the cap.
        var count = await Page(query, filter.Sort, null).Take(CountCap + 1).CountAsync(ct);
        var page = await Page(query, filter.Sort, cursor).Take(pageSize + 1).Select(Projection).ToListAsync(ct);
        string? next = null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            next = EncodeCursor(page[^1]);
        }
        return new OrderPage([.. page.Select(r => Mask(r, fullPii))], next, Math.Min(count, CountCap), count > CountCap);
    }

    /// <summary>The list's ids in sort order, chunk by chunk (bulk actions and export on "all matching").</summary>
    public async IAsyncEnumerable<IReadOnlyList<OrderRow>> StreamAsync(OrderFilter filter, bool fullPii, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListWithoutCountAsync(filter, cursor, 1000, fullPii, ct);
            yield return page.Items;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private async Task<OrderPage> ListWithoutCountAsync(OrderFilter filter, string? cursor, int pageSize, bool fullPii, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = await Page(Apply(db.Set<Order>().AsNoTracking(), filter), filter.Sort, cursor).Take(pageSize + 1).Select(Projection).ToListAsync(ct);
        string? next = null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            next = EncodeCursor(page[^1]);
        }
        return new OrderPage([.. page.Select(r => Mask(r, fullPii))], next, page.Count, false);
    }

    public async Task<OrderDetail?> GetAsync(string orderNo, bool fullPii, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var o = await db.Set<Order>().AsNoTracking().Where(x => x.OrderNo == orderNo)
            .Select(x => new { Row = new OrderRow(x.Id, x.OrderNo, x.Channel, x.Status, x.ReceiverName, x.ReceiverPhone, x.Province, x.City, x.District, x.AddressDetail, x.TotalAmount, x.LineCount, x.TrackingNo, x.CarrierCode, x.WarehouseId, x.CreatedAtUtc, x.PaidAtUtc, x.Remark), x.BuyerName, x.Postcode, x.TotalWeightKg, x.Tags, x.CustomerEmail })
            .SingleOrDefaultAsync(ct);
        if (o is null)
        {
            return null;
        }
        var warehouse = o.Row.WarehouseId is { } wid ? await db.Set<Warehouse>().Where(w => w.Id == wid).Select(w => w.Name).SingleOrDefaultAsync(ct) : null;
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
        return new OrderDetail(Mask(o.Row, fullPii), o.BuyerName, fullPii ? o.Postcode : null, warehouse, o.TotalWeightKg, fullPii ? o.Tags : Pii.MaskPhonesIn(o.Tags), lines, history, ParcelProgress.Of(parcels),
            o.CustomerEmail is null ? null : fullPii ? o.CustomerEmail : Pii.MaskEmail(o.CustomerEmail));
    }

    /// <summary>
    /// Customer-service search: an order or tracking number, a phone, the last four digits of a phone (with a name
    /// to narrow it), or a receiver name. Every branch is an exact index seek (P1: ≤ 5 ms at 1M rows).
    /// </summary>
    public async Task<IReadOnlyList<OrderRow>> LookupAsync(string? text, bool fullPii, int take = 10, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orders = db.Set<Order>().AsNoTracking();
        var q = PhoneNumbers.ToHalfWidth(text).Trim();
        var parts = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var last4 = parts.FirstOrDefault(p => p.Length == 4 && p.All(char.IsAsciiDigit));
        IQueryable<Order> hits;
        if (last4 is not null)
        {
            var name = string.Join(' ', parts.Where(p => p != last4));
            hits = name.Length > 0 ? orders.Where(o => o.PhoneLast4 == last4 && o.ReceiverName == name) : orders.Where(o => o.PhoneLast4 == last4);
        }
        else if (PhoneNumbers.Normalize(q) is { } phone)
        {
            hits = orders.Where(o => o.ReceiverPhone == phone || o.OrderNo == q || o.TrackingNo == q);
        }
        else
        {
            hits = orders.Where(o => o.OrderNo == q || o.TrackingNo == q || o.ReceiverName == q);
        }
        var rows = await hits.OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id).Take(take).Select(Projection).ToListAsync(ct);
        return [.. rows.Select(r => Mask(r, fullPii))];
    }

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
            // Exact matches only: a LIKE '%x%' over a million rows cannot be served by an index.
            var q = PhoneNumbers.ToHalfWidth(f.Q).Trim();
            var phone = PhoneNumbers.Normalize(q);
            query = q.Length == 4 && q.All(char.IsAsciiDigit)
                ? query.Where(o => o.PhoneLast4 == q)
                : query.Where(o => o.OrderNo == q || o.TrackingNo == q || o.ReceiverName == q || (phone != null && o.ReceiverPhone == phone));
        }
        return query;
    }

    private static IQueryable<Order> Page(IQueryable<Order> query, OrderSort sort, string? cursor)
    {
        var after = DecodeCursor(cursor);
        if (sort == OrderSort.Oldest)
        {
            if (after is var (t, id))
            {
                // The first conjunct bounds the index range; the second breaks ties on Id.
                query = query.Where(o => o.CreatedAtUtc >= t && (o.CreatedAtUtc > t || o.Id > id));
            }
            return query.OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id);
        }
        if (after is var (t2, id2))
        {
            query = query.Where(o => o.CreatedAtUtc <= t2 && (o.CreatedAtUtc < t2 || o.Id < id2));
        }
        return query.OrderByDescending(o => o.CreatedAtUtc).ThenByDescending(o => o.Id);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Order, OrderRow>> Projection = x =>
        new OrderRow(x.Id, x.OrderNo, x.Channel, x.Status, x.ReceiverName, x.ReceiverPhone, x.Province, x.City, x.District, x.AddressDetail,
            x.TotalAmount, x.LineCount, x.TrackingNo, x.CarrierCode, x.WarehouseId, x.CreatedAtUtc, x.PaidAtUtc, x.Remark);

    /// <summary>The remark (the buyer's message or a note) is free text: a number typed into it is masked like the phone.</summary>
    public static OrderRow Mask(OrderRow r, bool fullPii) =>
        fullPii ? r : r with { Phone = Pii.MaskPhone(r.Phone), AddressDetail = Pii.MaskAddressDetail(r.AddressDetail), Remark = Pii.MaskPhonesIn(r.Remark) };

    public static string EncodeCursor(OrderRow last) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{last.CreatedAtUtc.Ticks}_{last.Id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (DateTime, long)? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrWhiteSpace(cursor))
        {
            return null;
        }
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(b64)).Split('_');
            return (new DateTime(long.Parse(parts[0], CultureInfo.InvariantCulture), DateTimeKind.Utc), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return null; // a mangled URL starts at the first page rather than failing
        }
    }
}
