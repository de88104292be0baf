using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Keyset paging for every sort of the orders list (P1: any page costs what the first costs). A sort is a key column
/// and Id as the tie-break; the cursor carries the last row's key value and Id, and the next page is read as two
/// ranges of the (key, Id) index: <c>key = v AND Id &gt; id</c>, then <c>key &gt; v</c> (or the mirror for descending
/// sorts). Keys that may be empty (paid time, carrier) are read in
/// two ranges of the same index: orders with a value in the sort's direction, then the orders without one by Id, so
/// no provider's own NULL ordering (first in SQLite and SQL Server, last in PostgreSQL) decides where they go.
/// </summary>
public static class OrderKeyset
{
    private sealed record Key(LambdaExpression Selector, bool Descending, bool Nullable, Func<OrderRow, object?> ValueOf, Func<string, object> Parse);

    private static Key For(OrderSort sort, bool sqlite) => sort switch
    {
        OrderSort.Newest or OrderSort.Oldest => new(Select(o => o.CreatedAtUtc), sort == OrderSort.Newest, false, r => r.CreatedAtUtc, v => Ticks(v)),
        OrderSort.PaidAsc or OrderSort.PaidDesc => new(Select(o => o.PaidAtUtc), sort == OrderSort.PaidDesc, true, r => r.PaidAtUtc, v => (DateTime?)Ticks(v)),
        // SQLite keeps decimals as text and EF sorts them with a collating function no index can serve; the SQLite
        // migration indexes CAST(TotalAmount AS REAL) instead, and the query sorts by the same expression there.
        OrderSort.AmountAsc or OrderSort.AmountDesc => sqlite
            ? new(Select(o => (double)o.TotalAmount), sort == OrderSort.AmountDesc, false, r => (double)r.TotalAmount, v => (double)decimal.Parse(v, CultureInfo.InvariantCulture))
            : new(Select(o => o.TotalAmount), sort == OrderSort.AmountDesc, false, r => r.TotalAmount, v => decimal.Parse(v, CultureInfo.InvariantCulture)),
        OrderSort.ProvinceAsc or OrderSort.ProvinceDesc => new(Select(o => o.Province), sort == OrderSort.ProvinceDesc, false, r => r.Province, v => v),
        // Status sorts by the lifecycle's order (review, approved, waybill, shipped, …), the enum's order.
        OrderSort.StatusAsc or OrderSort.StatusDesc => new(Select(o => o.Status), sort == OrderSort.StatusDesc, false, r => r.Status,
            v => (OrderStatus)int.Parse(v, CultureInfo.InvariantCulture)),
        OrderSort.CarrierAsc or OrderSort.CarrierDesc => new(Select(o => o.CarrierCode), sort == OrderSort.CarrierDesc, true, r => r.CarrierCode, v => v),
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
    };

    private static LambdaExpression Select<T>(Expression<Func<Order, T>> selector) => selector;

    private static DateTime Ticks(string v) => new(long.Parse(v, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    /// <summary>One page after <paramref name="cursor"/> (the first page without one) and the cursor of the page after it.</summary>
    public static async Task<(List<OrderRow> Items, string? Next)> PageAsync(PortalDbContext db, IQueryable<Order> query, OrderSort sort, string? cursor, int pageSize,
        Expression<Func<Order, OrderRow>> projection, CancellationToken ct)
    {
        var key = For(sort, db.Database.IsSqlite());
        var after = Decode(cursor, sort, key);
        var rows = new List<OrderRow>();
        if (after is { Empty: false, Value: { } value })
        {
            // Two ranges of the (key, Id) index: the rest of the cursor's key value by Id, then the values beyond it.
            // One "key >= v AND (key > v OR Id > id)" range reads every row of v before the cursor first, which for a
            // key of few values (status) is most of the table half-way down.
            rows.AddRange(await Tied(query, key, value, after.Id).Take(pageSize + 1).Select(projection).ToListAsync(ct));
            if (rows.Count <= pageSize)
            {
                rows.AddRange(await Valued(query, key, value).Take(pageSize + 1 - rows.Count).Select(projection).ToListAsync(ct));
            }
        }
        else if (after is null)
        {
            rows.AddRange(await Valued(query, key, null).Take(pageSize + 1).Select(projection).ToListAsync(ct));
        }
        if (key.Nullable && rows.Count <= pageSize)
        {
            rows.AddRange(await Empty(query, key, after is { Empty: true } ? after.Id : null).Take(pageSize + 1 - rows.Count).Select(projection).ToListAsync(ct));
        }
        string? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(pageSize);
            next = Encode(rows[^1], sort);
        }
        return (rows, next);
    }

    /// <summary>The page at a row offset in the same order (what keyset paging avoids; for comparison only).</summary>
    public static async Task<List<OrderRow>> OffsetPageAsync(PortalDbContext db, IQueryable<Order> query, OrderSort sort, int offset, int pageSize,
        Expression<Func<Order, OrderRow>> projection, CancellationToken ct)
    {
        var key = For(sort, db.Database.IsSqlite());
        var valued = Valued(query, key, null);
        var rows = await valued.Skip(offset).Take(pageSize).Select(projection).ToListAsync(ct);
        if (key.Nullable && rows.Count < pageSize)
        {
            var skipped = rows.Count > 0 ? 0 : Math.Max(0, offset - await valued.CountAsync(ct));
            rows.AddRange(await Empty(query, key, null).Skip(skipped).Take(pageSize - rows.Count).Select(projection).ToListAsync(ct));
        }
        return rows;
    }

    private sealed record After(bool Empty, object? Value, long Id);

    /// <summary>Orders with the cursor's key value after its row, by Id in the sort's direction.</summary>
    private static IQueryable<Order> Tied(IQueryable<Order> query, Key key, object value, long afterId)
    {
        var o = key.Selector.Parameters[0];
        var k = key.Selector.Body;
        query = query.Where(Expression.Lambda<Func<Order, bool>>(Compare(k, Parameter(value, k.Type), ExpressionType.Equal), o));
        return key.Descending ? query.Where(x => x.Id < afterId).OrderByDescending(x => x.Id) : query.Where(x => x.Id > afterId).OrderBy(x => x.Id);
    }

    /// <summary>Orders with a key value, in the sort's order, beyond <paramref name="beyond"/> (all of them without one).</summary>
    private static IQueryable<Order> Valued(IQueryable<Order> query, Key key, object? beyond)
    {
        var o = key.Selector.Parameters[0];
        var k = key.Selector.Body;
        if (key.Nullable)
        {
            query = query.Where(Expression.Lambda<Func<Order, bool>>(Expression.NotEqual(k, Expression.Constant(null, k.Type)), o));
        }
        if (beyond is not null)
        {
            var past = Compare(k, Parameter(beyond, k.Type), key.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
            query = query.Where(Expression.Lambda<Func<Order, bool>>(past, o));
        }
        var ordered = Sorted(query, key.Selector, key.Descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy));
        return key.Descending ? ordered.ThenByDescending(x => x.Id) : ordered.ThenBy(x => x.Id);
    }

    /// <summary>Orders without a key value (not paid, no carrier yet), by Id in the sort's direction, after <paramref name="afterId"/>.</summary>
    private static IQueryable<Order> Empty(IQueryable<Order> query, Key key, long? afterId)
    {
        var o = key.Selector.Parameters[0];
        query = query.Where(Expression.Lambda<Func<Order, bool>>(Expression.Equal(key.Selector.Body, Expression.Constant(null, key.Selector.Body.Type)), o));
        if (afterId is { } id)
        {
            query = key.Descending ? query.Where(x => x.Id < id) : query.Where(x => x.Id > id);
        }
        return key.Descending ? query.OrderByDescending(x => x.Id) : query.OrderBy(x => x.Id);
    }

    private static IOrderedQueryable<Order> Sorted(IQueryable<Order> query, LambdaExpression selector, string method) =>
        (IOrderedQueryable<Order>)query.Provider.CreateQuery<Order>(Expression.Call(typeof(Queryable), method, [typeof(Order), selector.ReturnType], query.Expression, Expression.Quote(selector)));

    /// <summary>A comparison EF translates to the column's own operator (strings through string.Compare, enums as their numbers).</summary>
    private static Expression Compare(Expression left, Expression right, ExpressionType op)
    {
        if (left.Type == typeof(string))
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, left, right);
            return Expression.MakeBinary(op, compare, Expression.Constant(0));
        }
        if (left.Type.IsEnum)
        {
            var underlying = Enum.GetUnderlyingType(left.Type);
            return Expression.MakeBinary(op, Expression.Convert(left, underlying), Expression.Convert(right, underlying));
        }
        return Expression.MakeBinary(op, left, right);
    }

    /// <summary>A value read through a closure, so EF sends it as a parameter and reuses one compiled query for every page.</summary>
    private static Expression Parameter(object value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), "Value");
    }

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    /// <summary>"sort|v|value|id" (or "sort|e||id" among the orders without a value), base64url: opaque to callers, stable in URLs.</summary>
    public static string Encode(OrderRow last, OrderSort sort)
    {
        var value = For(sort, sqlite: false).ValueOf(last);
        var text = value switch
        {
            null => "",
            DateTime t => t.Ticks.ToString(CultureInfo.InvariantCulture),
            OrderStatus s => ((int)s).ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        var raw = string.Create(CultureInfo.InvariantCulture, $"{sort}|{(value is null ? "e" : "v")}|{text}|{last.Id}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static After? Decode(string? cursor, OrderSort sort, Key key)
    {
        if (string.IsNullOrWhiteSpace(cursor))
        {
            return null;
        }
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var raw = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var first = raw.IndexOf('|', StringComparison.Ordinal);
            var second = raw.IndexOf('|', first + 1);
            var last = raw.LastIndexOf('|');
            if (first < 0 || second < 0 || last <= second || raw[..first] != sort.ToString())
            {
                return null; // another sort's cursor: start at the first page of this one
            }
            var id = long.Parse(raw[(last + 1)..], CultureInfo.InvariantCulture);
            var empty = raw[(first + 1)..second] == "e";
            if (empty && !key.Nullable)
            {
                return null;
            }
            return new After(empty, empty ? null : key.Parse(raw[(second + 1)..last]), id);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return null; // a mangled URL starts at the first page rather than failing
        }
    }
}
