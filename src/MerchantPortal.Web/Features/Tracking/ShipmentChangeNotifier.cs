using System.Collections.Concurrent;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Tells the circuits of this instance that a shipment got new scans (docs/targets.md P6). Fed from the database, not
/// from the ingest in this process, so a scan stored by a push or poll on another instance reaches these browsers too:
/// every <see cref="Interval"/> it reads the events added since the last look (event ids only grow).
/// </summary>
public sealed class ShipmentChangeNotifier(IDbContextFactory<PortalDbContext> dbFactory, ILogger<ShipmentChangeNotifier> logger) : BackgroundService
{
    /// <summary>Well inside P6's 1 s budget, and one indexed range read per tick.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<Guid, (string TrackingNo, Func<Task> OnChange)> subscribers = new();

    /// <summary>Calls <paramref name="onChange"/> after new scans of <paramref name="trackingNo"/> are stored; dispose to stop.</summary>
    public IDisposable Subscribe(string trackingNo, Func<Task> onChange)
    {
        var id = Guid.NewGuid();
        subscribers[id] = (trackingNo, onChange);
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long lastId = -1;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                lastId = await TickAsync(lastId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly unavailable; the next tick catches up from the same id.
                logger.LogWarning(ex, "Shipment change notifier could not read new events");
            }
        }
    }

    private async Task<long> TickAsync(long lastId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (lastId < 0)
        {
            // Start from now: circuits load the current state themselves.
            return await db.Set<TrackingEvent>().MaxAsync(e => (long?)e.Id, ct) ?? 0;
        }
        var fresh = await db.Set<TrackingEvent>().AsNoTracking()
            .Where(e => e.Id > lastId)
            .OrderBy(e => e.Id)
            .Take(5000)
            .Select(e => new { e.Id, e.ShipmentId })
            .ToListAsync(ct);
        if (fresh.Count == 0)
        {
            return lastId;
        }
        if (!subscribers.IsEmpty)
        {
            var shipmentIds = fresh.Select(e => e.ShipmentId).Distinct().ToList();
            var numbers = (await db.Set<Shipment>().Where(s => shipmentIds.Contains(s.Id)).Select(s => s.TrackingNo).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            foreach (var (_, (trackingNo, onChange)) in subscribers)
            {
                if (numbers.Contains(trackingNo))
                {
                    await NotifyAsync(trackingNo, onChange);
                }
            }
        }
        return fresh[^1].Id;
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
