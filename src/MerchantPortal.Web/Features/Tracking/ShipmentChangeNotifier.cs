using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq.Expressions;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Tells the circuits of this instance that a shipment got new scans (docs/targets.md P6). Fed from the database, not
/// from the ingest in this process, so a scan stored by a push or poll on another instance reaches these browsers too.
/// <para>
/// Every <see cref="Interval"/> one statement of primary-key range reads returns the events not seen yet: ids above the
/// highest seen, and ids inside the gaps left below it (<see cref="EventIdGaps"/>). Event ids grow in the order they are
/// taken, not in the order they become visible: on PostgreSQL or SQL Server transaction A takes id 10, B takes 11 and
/// commits, A commits later. A watermark (<c>Id &gt; last</c>) reads 11 and never sees 10; here 10 is an open gap until
/// it turns up.
/// </para>
/// <para>
/// The bound. A gap at id x is opened by the tick that reads a higher id y, at time g. Ids are handed out as rows are
/// inserted (SQLite rowid, SQL Server IDENTITY, a PostgreSQL identity column with its default CACHE 1), so x was taken
/// before y, before g, and x's transaction commits by g + D, D being the longest an inserted event stays uncommitted.
/// The first tick that starts after that commit reads x if its gap is still open: <see cref="Window"/> ≥ D +
/// <see cref="Interval"/> + one read suffices. Ingest stores scans and commits in one SaveChanges (milliseconds; a
/// command gives up after the 30 s default timeout), so 5 min is a wide margin, and only this process's monotonic clock
/// is used: clocks of other instances do not enter. A transaction stuck longer loses only its live refresh: the scan is
/// stored, and the page shows it when next loaded. Cost: a gap is a range of ids, most close within a tick; those that
/// never close (rolled-back inserts, SQL Server's identity jump after a restart) are few and dropped after the window,
/// or oldest first beyond <see cref="MaxGaps"/>, so a tick stays one statement: the new rows plus a few small ranges.
/// </para>
/// </summary>
public sealed class ShipmentChangeNotifier(IDbContextFactory<PortalDbContext> dbFactory, ILogger<ShipmentChangeNotifier> logger) : BackgroundService
{
    /// <summary>Well inside P6's 1 s budget.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an id missing below a seen one is still looked for: the bound argued above.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Open gaps kept at most: two query parameters each, well under SQL Server's 2,100.</summary>
    public const int MaxGaps = 200;

    private const int PageSize = 5000;
    private const int StartLookback = 1000;

    private readonly ConcurrentDictionary<Guid, (string TrackingNo, Func<Task> OnChange)> subscribers = new();
    private readonly EventIdGaps gaps = new(Window, MaxGaps);
    private readonly long clockStart = Stopwatch.GetTimestamp();
    private bool started;

    private TimeSpan Now => Stopwatch.GetElapsedTime(clockStart);

    /// <summary>Calls <paramref name="onChange"/> after new scans of <paramref name="trackingNo"/> are stored; dispose to stop.</summary>
    public IDisposable Subscribe(string trackingNo, Func<Task> onChange)
    {
        var id = Guid.NewGuid();
        subscribers[id] = (trackingNo, onChange);
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    /// <summary>
    /// Takes the starting point before the portal serves (the app's hosted services start before the server), so no
    /// circuit can load a shipment before it and then miss a scan stored before the first tick.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await StartFromNowAsync(db, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Shipment change notifier could not read its starting point; the first tick will");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unavailable; nothing is marked seen before it is read, so the next tick catches up.
                logger.LogWarning(ex, "Shipment change notifier could not read new events");
            }
        }
    }

    /// <summary>Start from now: circuits load the current state themselves. Holes among the newest ids may still fill.</summary>
    private async Task StartFromNowAsync(PortalDbContext db, CancellationToken ct)
    {
        var recent = await db.Set<TrackingEvent>().OrderByDescending(e => e.Id).Take(StartLookback).Select(e => e.Id).ToListAsync(ct);
        gaps.Start(recent, Now);
        started = true;
    }

    private async Task TickAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!started)
        {
            await StartFromNowAsync(db, ct);
            return;
        }
        gaps.Expire(Now);
        var fresh = await UnseenScans(db, gaps.High, gaps.Open).ToListAsync(ct);
        fresh.Sort((x, y) => x.Id.CompareTo(y.Id));
        var unseen = gaps.Accept(fresh.ConvertAll(e => e.Id), Now, out var givenUp).ToHashSet();
        if (givenUp > 0)
        {
            logger.LogWarning("Shipment change notifier gave up {Count} id gap(s) over its limit of {Max}", givenUp, MaxGaps);
        }
        if (unseen.Count == 0 || subscribers.IsEmpty)
        {
            return;
        }
        var numbers = fresh.Where(e => unseen.Contains(e.Id)).Select(e => e.TrackingNo).ToHashSet(StringComparer.Ordinal);
        foreach (var (_, (trackingNo, onChange)) in subscribers)
        {
            if (numbers.Contains(trackingNo))
            {
                await NotifyAsync(trackingNo, onChange);
            }
        }
    }

    /// <summary>A scan not seen yet and the number of its shipment.</summary>
    internal sealed record UnseenScan(long Id, string TrackingNo);

    /// <summary>
    /// The next page above <paramref name="high"/>, then (UNION ALL) whatever has turned up in the gaps. Two parts,
    /// each a primary-key range read, because an OR of the ranges under one ORDER BY … LIMIT makes SQLite scan the table.
    /// </summary>
    internal static IQueryable<UnseenScan> UnseenScans(PortalDbContext db, long high, IReadOnlyList<EventIdGaps.Gap> open)
    {
        var events = db.Set<TrackingEvent>().AsNoTracking();
        var unseen = events.Where(e => e.Id > high).OrderBy(e => e.Id).Take(PageSize).Select(e => new { e.Id, e.ShipmentId });
        if (open.Count > 0)
        {
            unseen = unseen.Concat(events.Where(InAnyGap(open)).Select(e => new { e.Id, e.ShipmentId }));
        }
        return unseen.Join(db.Set<Shipment>(), e => e.ShipmentId, s => s.Id, (e, s) => new UnseenScan(e.Id, s.TrackingNo));
    }

    /// <summary>
    /// <c>(e.Id &gt;= gap.From &amp;&amp; e.Id &lt;= gap.To) || …</c>. Every bound is a member of a constant, which EF
    /// sends as a query parameter, so ticks with as many gaps share one SQL text and plan.
    /// </summary>
    private static Expression<Func<TrackingEvent, bool>> InAnyGap(IReadOnlyList<EventIdGaps.Gap> open)
    {
        var e = Expression.Parameter(typeof(TrackingEvent), "e");
        var id = Expression.Property(e, nameof(TrackingEvent.Id));
        Expression? body = null;
        foreach (var gap in open)
        {
            var bounds = Expression.Constant(gap);
            var inGap = Expression.AndAlso(
                Expression.GreaterThanOrEqual(id, Expression.Property(bounds, nameof(EventIdGaps.Gap.From))),
                Expression.LessThanOrEqual(id, Expression.Property(bounds, nameof(EventIdGaps.Gap.To))));
            body = body is null ? inGap : Expression.OrElse(body, inGap);
        }
        return Expression.Lambda<Func<TrackingEvent, bool>>(body ?? Expression.Constant(false), e);
    }

    private async Task NotifyAsync(string trackingNo, Func<Task> onChange)
    {
        try
        {
            await onChange();
        }
        catch (Exception ex)
        {
            // One broken circuit must not stop the others from hearing about it.
            logger.LogInformation(ex, "A subscriber to {TrackingNo} failed", trackingNo);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
