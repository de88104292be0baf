namespace MerchantPortal.Web.Infrastructure;

/// <summary>A business day in the merchant's time zone, as a UTC range (the database stores UTC).</summary>
public readonly record struct BusinessDay(DateOnly Date, DateTime StartUtc, DateTime EndUtc);

/// <summary>
/// The merchant works on Beijing time (China has one time zone and no DST), so "today" and "waybills today" are
/// Beijing days whatever the server's zone. Display converts with <see cref="ToBusinessTime"/>.
/// </summary>
public sealed class BusinessCalendar(TimeProvider clock)
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public BusinessDay Today()
    {
        var local = clock.GetUtcNow().UtcDateTime + Offset;
        var date = DateOnly.FromDateTime(local);
        var start = local.Date - Offset;
        return new BusinessDay(date, DateTime.SpecifyKind(start, DateTimeKind.Utc), DateTime.SpecifyKind(start.AddDays(1), DateTimeKind.Utc));
    }

    public static DateTime ToBusinessTime(DateTime utc) => DateTime.SpecifyKind(utc + Offset, DateTimeKind.Unspecified);
}
