using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Packing;

/// <summary>A waybill's parcel as the packing station checks it: the items to scan (a split parcel's own lines, a merged lead's every order's lines).</summary>
public sealed record PackParcel(long WaybillId, long OrderId, string TrackingNo, string OrderNo, string ShipperCode, int ParcelNo, int ParcelCount, IReadOnlyList<PackItem> Items)
{
    public int ItemCount => Items.Sum(i => i.Quantity);
}

public sealed record PackRecordView(
    long Id, string TrackingNo, long OrderId, string Station, string PackedBy, DateTime StartedAtUtc, DateTime PackedAtUtc,
    decimal WeightKg, PackWeightSource WeightSource, int ItemCount, int RefusedScans);

public enum PackOpenOutcome
{
    Ready,
    /// <summary>No waybill has the number.</summary>
    NotFound,
    /// <summary>The number's waybill was voided: the parcel must not leave with that label.</summary>
    Voided,
    /// <summary>Packed before: the parcel is there to pack again (which replaces the record) or to leave alone.</summary>
    AlreadyPacked,
}

public sealed record PackOpenResult(PackOpenOutcome Outcome, PackParcel? Parcel, PackRecordView? Packed);

/// <param name="Scans">The codes the station accepted, in order; the server replays them (it does not trust the page).</param>
/// <param name="RefusedScans">How many scans the station refused (wrong item, one too many), kept with the record.</param>
/// <param name="StartedAtUtc">When the waybill was scanned at the station; now when absent or not believable.</param>
/// <param name="Replace">Pack a packed parcel again: the record is replaced and the replacement audited.</param>
public sealed record PackInput(
    string? TrackingNo, string? Station, IReadOnlyList<string>? Scans, decimal WeightKg, PackWeightSource WeightSource,
    int RefusedScans = 0, DateTime? StartedAtUtc = null, bool Replace = false);

public enum PackOutcome
{
    Packed,
    Invalid,
    NotFound,
    Voided,
    AlreadyPacked,
    /// <summary>The scans do not verify the parcel: a wrong or extra code, or an item not (fully) scanned.</summary>
    NotVerified,
}

public sealed record PackResult(PackOutcome Outcome, PackRecordView? Record = null, FieldProblems? Problems = null);

/// <summary>Parcels packed per hour of a Beijing day at one station; <see cref="Hours"/> has 24 entries (0:00–23:00 Beijing).</summary>
public sealed record StationThroughput(string Station, int Total, IReadOnlyList<int> Hours);

public sealed record PackThroughput(DateOnly Day, int Total, IReadOnlyList<StationThroughput> Stations);

/// <summary>The packing station (扫描验货): open a waybill's parcel, verify its items by scanning, weigh it, record it.</summary>
public sealed class PackingService(IDbContextFactory<PortalDbContext> dbFactory, BusinessCalendar calendar, TimeProvider clock)
{
    public const int MaxStationLength = 32, MaxCodeLength = 64, MaxScans = 5000;
    /// <summary>A parcel heavier than this is a typing slip (820 for 0.820), not a parcel: express parcels stop well below it.</summary>
    public const decimal MaxWeightKg = 100m;
    /// <summary>A start older than this (or in the future) is the page's clock, not the packer's work: the server's now is used.</summary>
    private static readonly TimeSpan MaxPackDuration = TimeSpan.FromHours(12);

    public async Task<PackOpenResult> OpenAsync(string? trackingNo, CancellationToken ct = default)
    {
        var number = (trackingNo ?? "").Trim();
        if (number.Length is 0 or > 40)
        {
            return new PackOpenResult(PackOpenOutcome.NotFound, null, null);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A number voided and issued again is the live one; a voided one alone is refused by name.
        var waybills = await db.Set<Waybill>().AsNoTracking().Where(w => w.TrackingNo == number).OrderByDescending(w => w.Id).ToListAsync(ct);
        if (waybills.Count == 0)
        {
            return new PackOpenResult(PackOpenOutcome.NotFound, null, null);
        }
        if (waybills.FirstOrDefault(w => w.VoidedAtUtc == null) is not { } waybill)
        {
            return new PackOpenResult(PackOpenOutcome.Voided, null, null);
        }
        var parcel = await ParcelAsync(db, waybill, ct);
        var packed = await db.Set<PackRecord>().AsNoTracking().Where(p => p.WaybillId == waybill.Id).Select(View).FirstOrDefaultAsync(ct);
        return new PackOpenResult(packed is null ? PackOpenOutcome.Ready : PackOpenOutcome.AlreadyPacked, parcel, packed);
    }

    /// <summary>Whether a code is the number of a live waybill (the station offers to switch to it).</summary>
    public async Task<bool> IsWaybillAsync(string? code, CancellationToken ct = default)
    {
        var number = (code ?? "").Trim();
        if (number.Length is 0 or > 40)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Waybill>().AnyAsync(w => w.TrackingNo == number && w.VoidedAtUtc == null, ct);
    }

    /// <summary>
    /// The parcel's lines as the label's item summary has them (<see cref="ParcelRules.Content"/>), one item per SKU
    /// (a merged parcel may hold one SKU on two orders' lines), with the SKU's catalogue barcode as a second code.
    /// </summary>
    private static async Task<PackParcel> ParcelAsync(PortalDbContext db, Waybill waybill, CancellationToken ct)
    {
        var order = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).AsSplitQuery().SingleAsync(o => o.Id == waybill.OrderId, ct);
        var set = await WaybillPreflight.ParcelSetAsync(db, [order.Id], ct);
        var content = ParcelRules.Content(order, set.Followers[order.Id].ToList(), set.ParcelLines[order.Id].ToList(), waybill.ParcelNo);
        var lines = content.Lines.Where(l => l.Quantity > 0).OrderBy(l => l.LineNo).ToList();
        var skus = lines.Select(l => (l.Sku ?? "").Trim()).Where(s => s.Length > 0).Distinct().ToList();
        var barcodes = await db.Set<CatalogueSku>().AsNoTracking().Where(c => skus.Contains(c.Sku) && c.Barcode != null)
            .Select(c => new { c.Sku, c.Barcode }).ToListAsync(ct);
        var items = lines
            // A line without a SKU (some platforms' exports) is known by its name only: the packer types it.
            .GroupBy(l => PackVerifier.Normalize(string.IsNullOrWhiteSpace(l.Sku) ? l.Name : l.Sku))
            .Select(g =>
            {
                var sku = string.IsNullOrWhiteSpace(g.First().Sku) ? "" : g.First().Sku!.Trim();
                var codes = new List<string> { sku.Length > 0 ? sku : g.First().Name.Trim() };
                codes.AddRange(barcodes.Where(b => PackVerifier.Normalize(b.Sku) == g.Key && !string.IsNullOrWhiteSpace(b.Barcode)).Select(b => b.Barcode!.Trim()));
                return new PackItem(sku, g.First().Name, g.Sum(l => l.Quantity), [.. codes.Distinct(StringComparer.OrdinalIgnoreCase)]);
            })
            .ToList();
        return new PackParcel(waybill.Id, order.Id, waybill.TrackingNo, order.OrderNo, waybill.ShipperCode, waybill.ParcelNo, order.ParcelCount, items);
    }

    public async Task<PackResult> PackAsync(PackInput input, string actor, CancellationToken ct = default)
    {
        var problems = Validate(input);
        if (problems.Any)
        {
            return new PackResult(PackOutcome.Invalid, Problems: problems);
        }
        var opened = await OpenAsync(input.TrackingNo, ct);
        switch (opened.Outcome)
        {
            case PackOpenOutcome.NotFound:
                return new PackResult(PackOutcome.NotFound);
            case PackOpenOutcome.Voided:
                return new PackResult(PackOutcome.Voided);
            case PackOpenOutcome.AlreadyPacked when !input.Replace:
                return new PackResult(PackOutcome.AlreadyPacked, opened.Packed);
        }
        var parcel = opened.Parcel!;
        if (Verify(parcel, input.Scans!) is { Any: true } unverified)
        {
            return new PackResult(PackOutcome.NotVerified, Problems: unverified);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var started = input.StartedAtUtc is { } s && s.ToUniversalTime() <= now && now - s.ToUniversalTime() <= MaxPackDuration ? s.ToUniversalTime() : now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Set<PackRecord>().SingleOrDefaultAsync(p => p.WaybillId == parcel.WaybillId, ct);
        if (record is not null && !input.Replace)
        {
            // Packed by another station between opening and now.
            return new PackResult(PackOutcome.AlreadyPacked, ToView(record));
        }
        if (record is null)
        {
            record = new PackRecord { WaybillId = parcel.WaybillId, OrderId = parcel.OrderId, TrackingNo = parcel.TrackingNo, Station = "", PackedBy = "" };
            db.Add(record);
        }
        else
        {
            db.Audit(now, actor, "packing.repack", "PackRecord", record.Id.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture,
                $"{parcel.TrackingNo}: was {record.WeightKg:0.###} kg at {record.Station} by {record.PackedBy}, now {input.WeightKg:0.###} kg at {input.Station!.Trim()}"));
        }
        record.Station = input.Station!.Trim();
        record.PackedBy = actor.Length > 256 ? actor[..256] : actor;
        record.StartedAtUtc = started;
        record.PackedAtUtc = now;
        record.WeightKg = Math.Round(input.WeightKg, 3);
        record.WeightSource = input.WeightSource;
        record.ItemCount = parcel.ItemCount;
        record.RefusedScans = input.RefusedScans;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (!input.Replace)
        {
            // The unique waybill index: another station stored it first.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return new PackResult(PackOutcome.AlreadyPacked, await again.Set<PackRecord>().AsNoTracking().Where(p => p.WaybillId == parcel.WaybillId).Select(View).FirstOrDefaultAsync(ct));
        }
        return new PackResult(PackOutcome.Packed, ToView(record));
    }

    private static FieldProblems Validate(PackInput input)
    {
        var problems = new FieldProblems();
        if (string.IsNullOrWhiteSpace(input.TrackingNo) || input.TrackingNo.Trim().Length > 40)
        {
            problems.Add("trackingNo", "The waybill number (1–40 characters) is required.");
        }
        if (string.IsNullOrWhiteSpace(input.Station) || input.Station.Trim().Length > MaxStationLength)
        {
            problems.Add("station", $"The packing station's name (1–{MaxStationLength} characters) is required.");
        }
        if (input.WeightKg <= 0 || input.WeightKg > MaxWeightKg)
        {
            problems.Add("weightKg", $"The weight must be above 0 and at most {MaxWeightKg} kg.");
        }
        if (!Enum.IsDefined(input.WeightSource))
        {
            problems.Add("weightSource", "The weight source is Typed or Scale.");
        }
        if (input.RefusedScans is < 0 or > MaxScans)
        {
            problems.Add("refusedScans", $"Refused scans are counted 0–{MaxScans}.");
        }
        if (input.Scans is null || input.Scans.Count == 0)
        {
            problems.Add("scans", "The scanned item codes are required.");
        }
        else if (input.Scans.Count > MaxScans || input.Scans.Any(s => s is null || s.Trim().Length is 0 or > MaxCodeLength))
        {
            problems.Add("scans", $"At most {MaxScans} scans, each 1–{MaxCodeLength} characters.");
        }
        return problems;
    }

    /// <summary>Replays the scans: a wrong or extra code, or an item short of its quantity, is named.</summary>
    public static FieldProblems Verify(PackParcel parcel, IReadOnlyList<string> scans)
    {
        var verifier = new PackVerifier(parcel.Items);
        var problems = new FieldProblems();
        for (var i = 0; i < scans.Count; i++)
        {
            var result = verifier.Scan(scans[i]);
            if (result.Verdict == ScanVerdict.Wrong)
            {
                problems.Add($"scans[{i}]", $"\"{result.Code}\" is not an item of parcel {parcel.TrackingNo}.");
            }
            else if (result.Verdict == ScanVerdict.Extra)
            {
                var item = parcel.Items[result.Item!.Value];
                problems.Add($"scans[{i}]", string.Create(CultureInfo.InvariantCulture, $"\"{result.Code}\" is one too many: {item.Sku} ({item.Name}) is {item.Quantity} in the parcel."));
            }
        }
        for (var i = 0; i < parcel.Items.Count; i++)
        {
            var item = parcel.Items[i];
            if (verifier.Scanned[i] < item.Quantity)
            {
                problems.Add("scans", string.Create(CultureInfo.InvariantCulture, $"{item.Sku} ({item.Name}) is missing: {verifier.Scanned[i]} of {item.Quantity} scanned."));
            }
        }
        return problems;
    }

    /// <summary>Parcels packed per station and Beijing hour of a day (default today).</summary>
    public async Task<PackThroughput> ThroughputAsync(DateOnly? day = null, CancellationToken ct = default)
    {
        var date = day ?? calendar.Today().Date;
        var from = DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue) - BusinessCalendar.Offset, DateTimeKind.Utc);
        var to = from.AddDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var packed = await db.Set<PackRecord>().AsNoTracking().Where(p => p.PackedAtUtc >= from && p.PackedAtUtc < to)
            .Select(p => new { p.Station, p.PackedAtUtc }).ToListAsync(ct);
        var stations = packed.GroupBy(p => p.Station, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var hours = new int[24];
                foreach (var p in g)
                {
                    hours[BusinessCalendar.ToBusinessTime(p.PackedAtUtc).Hour]++;
                }
                return new StationThroughput(g.Key, g.Count(), hours);
            })
            .OrderBy(s => s.Station, StringComparer.OrdinalIgnoreCase).ToList();
        return new PackThroughput(date, packed.Count, stations);
    }

    private static readonly System.Linq.Expressions.Expression<Func<PackRecord, PackRecordView>> View = p =>
        new PackRecordView(p.Id, p.TrackingNo, p.OrderId, p.Station, p.PackedBy, p.StartedAtUtc, p.PackedAtUtc, p.WeightKg, p.WeightSource, p.ItemCount, p.RefusedScans);

    private static readonly Func<PackRecord, PackRecordView> ToView = View.Compile();
}
