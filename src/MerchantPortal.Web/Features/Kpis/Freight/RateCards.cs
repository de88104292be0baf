using System.Globalization;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Kpis.Freight;

/// <summary>Freight settings (configuration section "Kpis:Freight").</summary>
public sealed class FreightOptions
{
    public const string Section = "Kpis:Freight";

    /// <summary>Yuan an amount may exceed the rate card's price before it counts as overcharged (rounding, surcharges).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(decimal), "0", "1000000", ErrorMessage = "Kpis:Freight:AmountTolerance must be between 0 and 1000000.")]
    public decimal AmountTolerance { get; set; } = 0.5m;

    /// <summary>The weight a lane's cost is quoted at for the recommendation score (a typical parcel).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(decimal), "0.001", "100000", ErrorMessage = "Kpis:Freight:ReferenceWeightKg must be between 0.001 and 100000.")]
    public decimal ReferenceWeightKg { get; set; } = 1m;
}

/// <param name="DestinationProvince">Null = the default row.</param>
public sealed record RateCardRowView(int Id, int CarrierAccountId, string? DestinationProvince, decimal FirstWeightKg, decimal FirstPrice, decimal AdditionalPerKg, DateTime UpdatedAtUtc, string UpdatedBy);

/// <param name="DestinationProvince">Null or empty = the default row.</param>
public sealed record RateCardRowInput(string? DestinationProvince, decimal FirstWeightKg, decimal FirstPrice, decimal AdditionalPerKg);

public sealed record RateCardAccount(int CarrierAccountId, string Name, string ShipperCode, IReadOnlyList<RateCardRowView> Rows);

/// <summary>The expected cost of one waybill (<see cref="Cost"/> null when no rate applies).</summary>
public sealed record WaybillCost(string TrackingNo, int CarrierAccountId, string? DestinationProvince, decimal WeightKg, decimal? Cost);

public sealed class RateCardValidationException(IEnumerable<FieldProblem> problems) : Exception("The rate card is not valid.")
{
    public FieldProblems Problems { get; } = new(problems);

    /// <summary>Field → messages, as the API's validation problem carries them.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problems.ToDictionary();
}

/// <summary>
/// Rate cards (Admin edits a whole account's card at once) and the arithmetic of a price: the first weight's
/// price, plus each started kilogram above it (续重, rounded up as couriers bill) (docs/kpis.md).
/// </summary>
public sealed class RateCardService(IDbContextFactory<PortalDbContext> dbFactory, RegionCatalog regions, TimeProvider clock)
{
    public const decimal MaxPrice = 10_000m, MaxWeightKg = 1_000m;

    /// <summary>The chargeable weight: at least the first weight, then whole started kilograms above it.</summary>
    public static decimal ChargeableKg(RateCardRow rate, decimal weightKg) =>
        rate.FirstWeightKg + Math.Max(0m, Math.Ceiling(weightKg - rate.FirstWeightKg));

    public static decimal Price(RateCardRow rate, decimal weightKg) =>
        rate.FirstPrice + (Math.Max(0m, Math.Ceiling(weightKg - rate.FirstWeightKg)) * rate.AdditionalPerKg);

    /// <summary>The province's own row, else the default row, else null.</summary>
    public static RateCardRow? RateFor(IEnumerable<RateCardRow> card, string? province) =>
        card.FirstOrDefault(r => province is { Length: > 0 } && r.DestinationProvince == province)
        ?? card.FirstOrDefault(r => r.DestinationProvince.Length == 0);

    public string NormalizeProvince(string? province) =>
        string.IsNullOrWhiteSpace(province) ? "" : regions.FindProvince(province)?.Name ?? province.Trim();

    public async Task<IReadOnlyList<RateCardAccount>> ListAsync(int? carrierAccountId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking()
            .Where(a => carrierAccountId == null || a.Id == carrierAccountId)
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.Name, a.ShipperCode }).ToListAsync(ct);
        var rows = await db.Set<RateCardRow>().AsNoTracking()
            .Where(r => carrierAccountId == null || r.CarrierAccountId == carrierAccountId).ToListAsync(ct);
        return [.. accounts.Select(a => new RateCardAccount(a.Id, a.Name, a.ShipperCode,
            [.. rows.Where(r => r.CarrierAccountId == a.Id).OrderBy(r => r.DestinationProvince.Length > 0).ThenBy(r => r.DestinationProvince, StringComparer.Ordinal).Select(View)]))];
    }

    /// <summary>Replaces the account's whole card; errors are keyed "rows[i].field".</summary>
    public async Task<RateCardAccount> SaveAsync(int carrierAccountId, IReadOnlyList<RateCardRowInput> input, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<CarrierAccount>().AnyAsync(a => a.Id == carrierAccountId, ct))
        {
            throw new KeyNotFoundException();
        }
        var errors = new List<FieldProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<RateCardRow>();
        for (var i = 0; i < input.Count; i++)
        {
            var r = input[i];
            var key = $"rows[{i}]";
            var province = "";
            var known = true;
            if (!string.IsNullOrWhiteSpace(r.DestinationProvince))
            {
                if (regions.FindProvince(r.DestinationProvince) is { } p)
                {
                    province = p.Name;
                }
                else
                {
                    known = false;
                    errors.Add(new(key + ".destinationProvince", "UnknownProvince", $"Unknown province '{r.DestinationProvince}'.", r.DestinationProvince.Trim()));
                }
            }
            // An unknown province is not also "a second default row": one reason per mistake.
            if (known && !seen.Add(province))
            {
                errors.Add(province.Length == 0
                    ? new(key + ".destinationProvince", "DuplicateDefault", "Only one default row per card.")
                    : new(key + ".destinationProvince", "DuplicateProvince", $"{province} appears twice.", province));
            }
            if (r.FirstWeightKg is <= 0 or > MaxWeightKg)
            {
                errors.Add(new(key + ".firstWeightKg", "FirstWeightOutOfRange", $"The first weight must be above 0 and at most {MaxWeightKg} kg.", MaxWeightKg));
            }
            if (r.FirstPrice is < 0 or > MaxPrice)
            {
                errors.Add(new(key + ".firstPrice", "FirstPriceOutOfRange", $"The first weight price must be between 0 and {MaxPrice}.", MaxPrice));
            }
            if (r.AdditionalPerKg is < 0 or > MaxPrice)
            {
                errors.Add(new(key + ".additionalPerKg", "AdditionalPerKgOutOfRange", $"The price per additional kg must be between 0 and {MaxPrice}.", MaxPrice));
            }
            rows.Add(new RateCardRow { CarrierAccountId = carrierAccountId, DestinationProvince = province, FirstWeightKg = r.FirstWeightKg, FirstPrice = r.FirstPrice, AdditionalPerKg = r.AdditionalPerKg });
        }
        if (errors.Count > 0)
        {
            throw new RateCardValidationException(errors);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var row in rows)
        {
            (row.UpdatedAtUtc, row.UpdatedBy) = (now, actor);
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Set<RateCardRow>().Where(r => r.CarrierAccountId == carrierAccountId).ExecuteDeleteAsync(ct);
            db.AddRange(rows);
            db.Audit(now, actor, "freight.ratecard.save", nameof(CarrierAccount), carrierAccountId.ToString(CultureInfo.InvariantCulture), $"{rows.Count} rows");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return (await ListAsync(carrierAccountId, ct))[0];
    }

    /// <summary>The expected cost of a waybill: its order's total weight and province against its account's card.</summary>
    public async Task<WaybillCost?> ForWaybillAsync(string trackingNo, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var w = await db.Set<Waybill>().AsNoTracking()
            .Where(x => x.TrackingNo == trackingNo && x.VoidedAtUtc == null)
            .Join(db.Set<Order>(), x => x.OrderId, o => o.Id, (x, o) => new { x.TrackingNo, x.CarrierAccountId, o.Province, o.TotalWeightKg })
            .FirstOrDefaultAsync(ct);
        if (w is null)
        {
            return null;
        }
        var card = await db.Set<RateCardRow>().AsNoTracking().Where(r => r.CarrierAccountId == w.CarrierAccountId).ToListAsync(ct);
        var province = NormalizeProvince(w.Province);
        var rate = RateFor(card, province);
        return new WaybillCost(w.TrackingNo, w.CarrierAccountId, province, w.TotalWeightKg, rate is null ? null : Price(rate, w.TotalWeightKg));
    }

    /// <summary>
    /// The cost of a reference parcel per carrier to a destination, for the recommendation: the carrier's default
    /// (else first enabled) account's card. Carriers without a card are absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, decimal>> LaneCostsAsync(string destinationProvince, decimal weightKg, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Set<CarrierAccount>().AsNoTracking().Where(a => !a.IsDisabled)
            .OrderByDescending(a => a.IsDefault).ThenBy(a => a.Id).Select(a => new { a.Id, a.ShipperCode }).ToListAsync(ct);
        var ids = accounts.Select(a => a.Id).ToList();
        var cards = (await db.Set<RateCardRow>().AsNoTracking().Where(r => ids.Contains(r.CarrierAccountId)).ToListAsync(ct))
            .ToLookup(r => r.CarrierAccountId);
        var costs = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var a in accounts)
        {
            if (!costs.ContainsKey(a.ShipperCode) && RateFor(cards[a.Id], destinationProvince) is { } rate)
            {
                costs[a.ShipperCode] = Price(rate, weightKg);
            }
        }
        return costs;
    }

    private static RateCardRowView View(RateCardRow r) =>
        new(r.Id, r.CarrierAccountId, r.DestinationProvince.Length == 0 ? null : r.DestinationProvince, r.FirstWeightKg, r.FirstPrice, r.AdditionalPerKg,
            DateTime.SpecifyKind(r.UpdatedAtUtc, DateTimeKind.Utc), r.UpdatedBy);
}
