using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// The "kpis:rollup" job. Each batch takes the next shipments that became final after the watermark
/// (FinalAtUtc, Id), recomputes every Beijing day they fall on from all of that day's shipments, replaces the
/// day's KpiDaily rows and moves the watermark — all in one transaction. Recomputing whole days (instead of adding
/// contributions) makes a second run, a lost run or a crash between runs harmless (ADR 0013). It then checks
/// the last <see cref="ReconcileDays"/> days' counts against the shipments and recomputes a day that disagrees:
/// that catches a parcel whose final scan arrived late, with a time already behind the watermark.
/// </summary>
public sealed class KpiRollup(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<KpiRollup> logger)
{
    public const int BatchSize = 10_000;
    public const int ReconcileDays = 7;

    private sealed record Key(string ShipperCode, string ServiceType, int WarehouseId, string Origin, string Destination);

    public async Task RunAsync(CancellationToken ct)
    {
        var folded = 0;
        int batch;
        while ((batch = await RunBatchAsync(ct)) > 0)
        {
            folded += batch;
        }
        var healed = await ReconcileRecentDaysAsync(ct);
        if (folded > 0 || healed > 0)
        {
            logger.LogInformation("KPI rollup folded {Shipments} newly final shipments, re-counted {Days} stale days", folded, healed);
        }
    }

    /// <summary>Folds in up to <see cref="BatchSize"/> newly final shipments; returns how many.</summary>
    public async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var state = await db.Set<KpiRollupState>().SingleOrDefaultAsync(s => s.Id == 1, ct);
        if (state is null)
        {
            state = new KpiRollupState { Id = 1, Version = Guid.NewGuid() };
            db.Add(state);
        }
        var q = db.Set<Shipment>().AsNoTracking().Where(s => s.Direction == ShipmentDirection.Forward && s.FinalAtUtc != null);
        if (state.WatermarkFinalAtUtc is { } mark)
        {
            var markId = state.WatermarkShipmentId;
            q = q.Where(s => s.FinalAtUtc > mark || (s.FinalAtUtc == mark && s.Id > markId));
        }
        var batch = await q.OrderBy(s => s.FinalAtUtc).ThenBy(s => s.Id).Take(BatchSize)
            .Select(s => new { s.Id, FinalAtUtc = s.FinalAtUtc!.Value }).ToListAsync(ct);

        var reverse = await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.Id > state.LastReverseShipmentId && s.Direction == ShipmentDirection.Reverse)
            .OrderBy(s => s.Id).Take(BatchSize).Select(s => new { s.Id, s.OrderId }).ToListAsync(ct);
        var returnedOrders = reverse.Where(r => r.OrderId != null).Select(r => r.OrderId!.Value).Distinct().ToList();
        var returnDays = returnedOrders.Count == 0 ? [] : await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.OrderId != null && returnedOrders.Contains(s.OrderId.Value) && s.Direction == ShipmentDirection.Forward && s.FinalAtUtc != null)
            .Select(s => s.FinalAtUtc!.Value).ToListAsync(ct);

        if (batch.Count == 0 && reverse.Count == 0)
        {
            return 0;
        }
        var days = batch.Select(b => KpiDefinitions.DayOf(b.FinalAtUtc)).Concat(returnDays.Select(KpiDefinitions.DayOf)).Distinct().Order().ToList();
        foreach (var day in days)
        {
            await RecomputeDayAsync(db, day, ct);
        }
        if (batch.Count > 0)
        {
            state.WatermarkFinalAtUtc = batch[^1].FinalAtUtc;
            state.WatermarkShipmentId = batch[^1].Id;
        }
        if (reverse.Count > 0)
        {
            state.LastReverseShipmentId = reverse[^1].Id;
        }
        state.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        state.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // A batch of only reverse parcels still made progress; report at least one so the loop goes on.
        return Math.Max(batch.Count, reverse.Count);
    }

    /// <summary>
    /// Full rebuild: drops every rollup row and the watermark in one transaction, then folds everything in again.
    /// Safe while the recurring run is going: the state row's concurrency token makes one of them fail and retry.
    /// </summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<KpiDaily>().ExecuteDeleteAsync(ct);
            var state = await db.Set<KpiRollupState>().SingleOrDefaultAsync(s => s.Id == 1, ct);
            if (state is null)
            {
                state = new KpiRollupState { Id = 1 };
                db.Add(state);
            }
            // Every final shipment's day is recomputed from scratch, returns included: no reverse parcel is pending.
            state.LastReverseShipmentId = await db.Set<Shipment>().MaxAsync(s => (long?)s.Id, ct) ?? 0;
            (state.WatermarkFinalAtUtc, state.WatermarkShipmentId) = (null, 0);
            state.RebuiltAtUtc = state.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
            state.Version = Guid.NewGuid();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await RunAsync(ct);
    }

    /// <summary>Recomputes the recent days whose final-shipment count differs from the rollup's; returns how many.</summary>
    public async Task<int> ReconcileRecentDaysAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.Set<KpiRollupState>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == 1, ct);
        if (state?.WatermarkFinalAtUtc is not { } mark)
        {
            return 0;
        }
        var today = KpiDefinitions.DayOf(clock.GetUtcNow().UtcDateTime);
        var healed = 0;
        for (var day = today.AddDays(-ReconcileDays + 1); day <= today && KpiDefinitions.DayStartUtc(day) <= mark; day = day.AddDays(1))
        {
            var start = KpiDefinitions.DayStartUtc(day);
            var end = KpiDefinitions.DayStartUtc(day.AddDays(1));
            // A day is always recomputed whole, so its rows count every final shipment of it when current.
            var shipments = await db.Set<Shipment>().CountAsync(s => s.Direction == ShipmentDirection.Forward && s.FinalAtUtc >= start && s.FinalAtUtc < end, ct);
            var rolled = await db.Set<KpiDaily>().Where(k => k.Day == day).SumAsync(k => k.Final, ct);
            if (shipments != rolled)
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await RecomputeDayAsync(db, day, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                healed++;
            }
        }
        return healed;
    }

    /// <summary>Replaces a day's rows with a fresh count of every final shipment of that day.</summary>
    private static async Task RecomputeDayAsync(PortalDbContext db, DateOnly day, CancellationToken ct)
    {
        await db.Set<KpiDaily>().Where(k => k.Day == day).ExecuteDeleteAsync(ct);
        var facts = await KpiDefinitions.Facts(db, db.Set<Shipment>().AsNoTracking().Where(KpiDefinitions.FinalBetween(day, day))).ToListAsync(ct);
        var rows = new Dictionary<Key, (KpiDaily Row, int[] Histogram)>();
        foreach (var f in facts)
        {
            var key = new Key(f.ShipperCode, f.ServiceType ?? "", f.WarehouseId ?? 0, f.OriginProvince ?? "", f.DestinationProvince ?? "");
            if (!rows.TryGetValue(key, out var entry))
            {
                entry = (new KpiDaily
                {
                    Day = day,
                    ShipperCode = key.ShipperCode,
                    ServiceType = key.ServiceType,
                    WarehouseId = key.WarehouseId,
                    OriginProvince = key.Origin,
                    DestinationProvince = key.Destination,
                }, new int[KpiDefinitions.Buckets + 1]);
                rows[key] = entry;
            }
            Add(entry.Row, entry.Histogram, f);
        }
        foreach (var (row, histogram) in rows.Values)
        {
            row.TransitHistogram = KpiDefinitions.EncodeHistogram(histogram);
            db.Add(row);
        }
    }

    private static void Add(KpiDaily row, int[] histogram, KpiFacts f)
    {
        row.Final++;
        row.Delivered += f.Delivered ? 1 : 0;
        row.WithPromise += f.HasPromise ? 1 : 0;
        row.OnTime += f.OnTime ? 1 : 0;
        row.FirstAttempt += f.FirstAttempt ? 1 : 0;
        row.Exceptions += f.Exception ? 1 : 0;
        row.Returned += f.Returned ? 1 : 0;
        if (f.Delivered && KpiDefinitions.TransitHours(f.FirstScanAtUtc, f.DeliveredAtUtc) is { } hours)
        {
            row.TransitCount++;
            row.TransitHoursSum += hours;
            histogram[KpiDefinitions.BucketOf(hours)]++;
        }
    }
}
