using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Data.DemoData;

/// <summary>
/// Real districts of the cities in china-regions.csv (wwwroot-assets/data/china-districts.csv, sources in the assets
/// README): demo addresses take a district of their own city, never one of another (滨江区 is in 杭州市, not 沈阳市).
/// </summary>
public sealed class DemoAddresses
{
    private readonly Dictionary<string, string[]> byCity;

    public DemoAddresses() : this(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "data", "china-districts.csv"))
    {
    }

    public DemoAddresses(string csvPath)
    {
        byCity = File.ReadLines(csvPath).Skip(1)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => l.Split(','))
            .GroupBy(r => CityName(r[1]), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r[2].Trim()).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The districts listed for a city ("杭州市" or "杭州"); empty for a city the list does not know.</summary>
    public IReadOnlyList<string> DistrictsOf(string city) => byCity.GetValueOrDefault(CityName(city)) ?? [];

    /// <summary>The portal spells cities with 市 (RegionCatalog); the list without.</summary>
    public static string CityName(string city) => city.Trim().EndsWith('市') ? city.Trim() : city.Trim() + "市";

    /// <summary>A province weighted by population, one of its cities and a district of that city.</summary>
    public (Province Province, string City, string District) Pick(RegionCatalog regions, Random random)
    {
        var total = regions.Provinces.Sum(p => p.Population);
        var ticket = random.NextInt64(total);
        var province = regions.Provinces[^1];
        foreach (var p in regions.Provinces)
        {
            if (ticket < p.Population)
            {
                province = p;
                break;
            }
            ticket -= p.Population;
        }
        var cities = regions.CitiesOf(province);
        var city = cities[random.Next(cities.Count)];
        var districts = DistrictsOf(city);
        return (province, city, districts.Count == 0 ? "" : districts[random.Next(districts.Count)]);
    }
}
