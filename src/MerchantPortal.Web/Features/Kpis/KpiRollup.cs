using System.Data.Common;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantPortal.Web.Features.Kpis;

/// <summary>
/// The "kpis:rollup" job. Each batch takes the next shipments that became final after the watermark
/// (FinalAtUtc, Id), recomputes every Beijing day they fall on from all of that day's shipments, replaces the
/// day's KpiDaily rows, then the rows of the week and the 28-day block holding the day (summed from their days and
/// weeks), and moves the watermark — all in one transaction, written with prepared raw INSERTs (no change tracking).
/// Recomputing whole periods (instead of adding
/// contributions) makes a second run, a lost run or a crash between runs harmless (ADR 0013). It then checks
/// the last <see cref="ReconcileDays"/> days' counts against the shipments and recomputes a day that disagrees:
/// that catches a parcel whose final scan arrived late, with a time already behind the watermark.
/// </summary>
public sealed class KpiRollup(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<KpiRollup> logger)
{
    public const int BatchSize = 10_000;
    public const int ReconcileDays = 7;

    /// <summary>
    /// The one statement of the rollup written by hand, the same on every provider (<see cref="RawSql"/>);
    /// KpiRollupSqlTests parses it as T-SQL, and the rollup tests run it on SQLite and PostgreSQL.
    /// </summary>
    internal static string InsertSql { get; } =
        $"INSERT INTO {RawSql.Quote("KpiDaily")} ({RawSql.ColumnList(RowWriter.Columns)}) VALUES ({string.Join(", ", RowWriter.Columns.Select((_, i) => "@p" + i))})";

    private sealed record Key(string ShipperCode, string ServiceType, int WarehouseId, string Origin, string Destination);

    /// <summary>A rebuild folds a year in bigger batches: fewer days sit on a batch edge and get counted twice.</summary>
    public const int RebuildBatchSize = 100_000;

    public Task RunAsync(CancellationToken ct) => RunAsync(BatchSize, ct);

    private async Task RunAsync(int batchSize, CancellationToken ct)
    {
        if (batchSize == BatchSize && await DaysWithoutPeriodsAsync(ct))
        {
            // A rollup written before weeks and blocks existed (migration KpiPerf): the page reads those now.
            await RebuildAsync(ct);
            return;
        }
        var folded = 0;
        int batch;
        while ((batch = await RunBatchAsync(batchSize, ct)) > 0)
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
    public Task<int> RunBatchAsync(CancellationToken ct) => RunBatchAsync(BatchSize, ct);

    private async Task<int> RunBatchAsync(int batchSize, CancellationToken ct)
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
        var batch = await q.OrderBy(s => s.FinalAtUtc).ThenBy(s => s.Id).Take(batchSize)
            .Select(s => new { s.Id, FinalAtUtc = s.FinalAtUtc!.Value }).ToListAsync(ct);

        var reverse = await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.Id > state.LastReverseShipmentId && s.Direction == ShipmentDirection.Reverse)
            .OrderBy(s => s.Id).Take(batchSize).Select(s => new { s.Id, s.OrderId }).ToListAsync(ct);
        var returnedOrders = reverse.Where(r => r.OrderId != null).Select(r => r.OrderId!.Value).Distinct().ToList();
        var returnDays = returnedOrders.Count == 0 ? [] : await db.Set<Shipment>().AsNoTracking()
            .Where(s => s.OrderId != null && returnedOrders.Contains(s.OrderId.Value) && s.Direction == ShipmentDirection.Forward && s.FinalAtUtc != null)
            .Select(s => s.FinalAtUtc!.Value).ToListAsync(ct);

        if (batch.Count == 0 && reverse.Count == 0)
        {
            return 0;
        }
        var days = batch.Select(b => KpiDefinitions.DayOf(b.FinalAtUtc)).Concat(returnDays.Select(KpiDefinitions.DayOf)).Distinct().Order().ToList();
        await RecomputeDaysAsync(db, days, ct);
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
        await RunAsync(RebuildBatchSize, ct);
    }

    private async Task<bool> DaysWithoutPeriodsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<KpiDaily>().AnyAsync(k => k.Span == KpiDaily.DaySpan, ct) && !await db.Set<KpiDaily>().AnyAsync(k => k.Span == KpiDaily.BlockSpan, ct);
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
            var rolled = await db.Set<KpiDaily>().Where(k => k.Span == KpiDaily.DaySpan && k.Day == day && k.ServiceType != KpiDaily.AllServices).SumAsync(k => k.Final, ct);
            if (shipments != rolled)
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await RecomputeDaysAsync(db, [day], ct);
                await tx.CommitAsync(ct);
                healed++;
            }
        }
        return healed;
    }

    /// <summary>
    /// Replaces the rows of <paramref name="days"/> with a fresh count of every final shipment of each day, then
    /// the weeks and 28-day blocks holding them with the sums of their days (weeks) and weeks (blocks).
    /// </summary>
    private static async Task RecomputeDaysAsync(PortalDbContext db, IReadOnlyCollection<DateOnly> days, CancellationToken ct)
    {
        if (days.Count == 0)
        {
            return;
        }
        await using var writer = new RowWriter(db);
        // Consecutive days are read with one query (a rebuild batch spans several days); the facts come from the
        // shipments' own columns plus two indexed EXISTS, never by loading scans.
        foreach (var (from, to) in Ranges(days))
        {
            var rows = new SortedDictionary<DateOnly, Dictionary<Key, Counts>>();
            foreach (var day in Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => from.AddDays(i)))
            {
                rows[day] = [];
            }
            var facts = KpiDefinitions.Facts(db, db.Set<Shipment>().AsNoTracking().Where(KpiDefinitions.FinalBetween(from, to)));
            await foreach (var f in facts.AsAsyncEnumerable().WithCancellation(ct))
            {
                var key = new Key(f.ShipperCode, f.ServiceType ?? "", f.WarehouseId ?? 0, f.OriginProvince ?? "", f.DestinationProvince ?? "");
                var cells = rows[KpiDefinitions.DayOf(f.FinalAtUtc)];
                if (!cells.TryGetValue(key, out var cell))
                {
                    cells[key] = cell = new Counts();
                }
                cell.Add(f);
            }
            foreach (var (day, cells) in rows)
            {
                AddAllServicesAndWarehouses(cells);
                await writer.ReplaceAsync(KpiDaily.DaySpan, day, cells, ct);
            }
        }
        foreach (var week in days.Select(d => PeriodStart(d, KpiDaily.WeekSpan)).Distinct().Order())
        {
            await writer.ReplaceAsync(KpiDaily.WeekSpan, week, await SumAsync(db, KpiDaily.DaySpan, week, week.AddDays(KpiDaily.WeekSpan - 1), ct), ct);
        }
        foreach (var block in days.Select(d => PeriodStart(d, KpiDaily.BlockSpan)).Distinct().Order())
        {
            await writer.ReplaceAsync(KpiDaily.BlockSpan, block, await SumAsync(db, KpiDaily.WeekSpan, block, block.AddDays(KpiDaily.BlockSpan - KpiDaily.WeekSpan), ct), ct);
        }
    }

    /// <summary>
    /// Adds the "all services, all warehouses" rows (<see cref="KpiDaily.AllServices"/>, <see cref="KpiDaily.AllWarehouses"/>)
    /// summed from a day's rows: a page without a service or warehouse filter reads those, half as many rows or fewer.
    /// Weeks and blocks sum them from their days like any other key.
    /// </summary>
    private static void AddAllServicesAndWarehouses(Dictionary<Key, Counts> cells)
    {
        foreach (var (key, cell) in cells.ToList())
        {
            var all = key with { ServiceType = KpiDaily.AllServices, WarehouseId = KpiDaily.AllWarehouses };
            if (!cells.TryGetValue(all, out var sum))
            {
                cells[all] = sum = new Counts();
            }
            sum.Add(cell);
        }
    }

    /// <summary>The first day of the period of length <paramref name="span"/> holding <paramref name="day"/> (DayNumber 0 is a Monday).</summary>
    public static DateOnly PeriodStart(DateOnly day, int span) => DateOnly.FromDayNumber(day.DayNumber - (day.DayNumber % span));

    private static IEnumerable<(DateOnly From, DateOnly To)> Ranges(IEnumerable<DateOnly> days)
    {
        DateOnly? from = null, to = null;
        foreach (var day in days.Distinct().Order())
        {
            if (to is { } last && day.DayNumber == last.DayNumber + 1)
            {
                to = day;
                continue;
            }
            if (from is { } f && to is { } t)
            {
                yield return (f, t);
            }
            (from, to) = (day, day);
        }
        if (from is { } ff && to is { } tt)
        {
            yield return (ff, tt);
        }
    }

    /// <summary>The rows of one span starting in [from, to], summed per key.</summary>
    private static async Task<Dictionary<Key, Counts>> SumAsync(PortalDbContext db, int span, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sums = new Dictionary<Key, Counts>();
        var pairs = new List<(int Bucket, int Count)>();
        var rows = db.Set<KpiDaily>().AsNoTracking().Where(k => k.Span == span && k.Day >= from && k.Day <= to);
        await foreach (var k in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = new Key(k.ShipperCode, k.ServiceType, k.WarehouseId, k.OriginProvince, k.DestinationProvince);
            if (!sums.TryGetValue(key, out var cell))
            {
                sums[key] = cell = new Counts();
            }
            KpiDefinitions.ParseHistogram(k.TransitHistogram, pairs);
            cell.Add(k, pairs);
        }
        return sums;
    }

    /// <summary>One cell's counts while it is computed.</summary>
    private sealed class Counts
    {
        public int Final, Delivered, WithPromise, OnTime, FirstAttempt, Exceptions, Returned, TransitCount;
        public double TransitHoursSum;
        public readonly int[] Histogram = new int[KpiDefinitions.Buckets + 1];

        public void Add(KpiFacts f)
        {
            Final++;
            Delivered += f.Delivered ? 1 : 0;
            WithPromise += f.HasPromise ? 1 : 0;
            OnTime += f.OnTime ? 1 : 0;
            FirstAttempt += f.FirstAttempt ? 1 : 0;
            Exceptions += f.Exception ? 1 : 0;
            Returned += f.Returned ? 1 : 0;
            if (f.Delivered && KpiDefinitions.TransitHours(f.FirstScanAtUtc, f.DeliveredAtUtc) is { } hours)
            {
                TransitCount++;
                TransitHoursSum += hours;
                Histogram[KpiDefinitions.BucketOf(hours)]++;
            }
        }

        public void Add(Counts c)
        {
            Final += c.Final;
            Delivered += c.Delivered;
            WithPromise += c.WithPromise;
            OnTime += c.OnTime;
            FirstAttempt += c.FirstAttempt;
            Exceptions += c.Exceptions;
            Returned += c.Returned;
            TransitCount += c.TransitCount;
            TransitHoursSum += c.TransitHoursSum;
            for (var i = 0; i < Histogram.Length; i++)
            {
                Histogram[i] += c.Histogram[i];
            }
        }

        public void Add(KpiDaily k, List<(int Bucket, int Count)> histogram)
        {
            Final += k.Final;
            Delivered += k.Delivered;
            WithPromise += k.WithPromise;
            OnTime += k.OnTime;
            FirstAttempt += k.FirstAttempt;
            Exceptions += k.Exceptions;
            Returned += k.Returned;
            TransitCount += k.TransitCount;
            TransitHoursSum += k.TransitHoursSum;
            foreach (var (bucket, count) in histogram)
            {
                Histogram[bucket] += count;
            }
        }
    }

    /// <summary>
    /// Writes a period's rows with one prepared INSERT on the context's own connection and transaction: EF's change
    /// tracker made the rollup of 10,000 shipments take 15 s (docs/benchmarks.md P8). A period is replaced whole
    /// (delete, then insert its fresh rows), which is what makes a second run harmless; plain DELETE and INSERT read
    /// the same on every provider, so there is no provider switch here.
    /// </summary>
    private sealed class RowWriter(PortalDbContext db) : IAsyncDisposable
    {
        internal static readonly string[] Columns =
        [
            "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince", "Final", "Delivered",
            "WithPromise", "OnTime", "FirstAttempt", "Exceptions", "Returned", "TransitCount", "TransitHoursSum", "TransitHistogram",
        ];


        private DbCommand? insert;

        public async Task ReplaceAsync(int span, DateOnly start, Dictionary<Key, Counts> cells, CancellationToken ct)
        {
            await db.Set<KpiDaily>().Where(k => k.Span == span && k.Day == start).ExecuteDeleteAsync(ct);
            var command = Insert();
            var p = command.Parameters;
            foreach (var (key, c) in cells)
            {
                if (c.Final == 0)
                {
                    continue;
                }
                object[] values =
                [
                    span, start, key.ShipperCode, key.ServiceType, key.WarehouseId, key.Origin, key.Destination, c.Final, c.Delivered,
                    c.WithPromise, c.OnTime, c.FirstAttempt, c.Exceptions, c.Returned, c.TransitCount, c.TransitHoursSum,
                    KpiDefinitions.EncodeHistogram(c.Histogram),
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    p[i].Value = values[i];
                }
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        private DbCommand Insert()
        {
            if (insert is not null)
            {
                return insert;
            }
            var connection = db.Database.GetDbConnection();
            insert = connection.CreateCommand();
            insert.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            // One command for every row: Microsoft.Data.Sqlite keeps its compiled statement between executions.
            // Not Prepare(): SqlClient's would want a Size on every string parameter.
            insert.CommandText = InsertSql;
            for (var i = 0; i < Columns.Length; i++)
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "@p" + i;
                insert.Parameters.Add(parameter);
            }
            return insert;
        }

        public async ValueTask DisposeAsync()
        {
            if (insert is not null)
            {
                await insert.DisposeAsync();
            }
        }
    }
}
