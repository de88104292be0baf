using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Infrastructure;

public sealed record Province(string Code, string Name, string ShortName, string NameEn, string Region, bool IsMunicipality, long Population, IReadOnlyList<string> Cities);

public sealed record SplitAddress(Province Province, string City, string District, string Detail);

/// <summary>
/// The 31 mainland provinces from wwwroot-assets/data/china-regions.csv (GB/T 2260 codes), looked up by full or
/// short name (浙江省/浙江, 内蒙古自治区/内蒙古, 广西壮族自治区/广西). Used by import validation, address splitting and
/// demo data, so all three agree on what a province is.
/// </summary>
public sealed partial class RegionCatalog
{
    // Approximate 2020 census populations (millions): demo destinations are weighted by them.
    private static readonly Dictionary<string, double> PopulationMillions = new()
    {
        ["11"] = 21.9, ["12"] = 13.9, ["13"] = 74.6, ["14"] = 34.9, ["15"] = 24.0, ["21"] = 42.6, ["22"] = 24.1,
        ["23"] = 31.9, ["31"] = 24.9, ["32"] = 84.7, ["33"] = 64.6, ["34"] = 61.0, ["35"] = 41.5, ["36"] = 45.2,
        ["37"] = 101.5, ["41"] = 99.4, ["42"] = 57.8, ["43"] = 66.4, ["44"] = 126.0, ["45"] = 50.1, ["46"] = 10.1,
        ["50"] = 32.1, ["51"] = 83.7, ["52"] = 38.6, ["53"] = 47.2, ["54"] = 3.6, ["61"] = 39.5, ["62"] = 25.0,
        ["63"] = 5.9, ["64"] = 7.2, ["65"] = 25.9,
    };

    private static readonly string[] Suffixes = ["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"];

    private readonly Dictionary<string, Province> byName = new(StringComparer.OrdinalIgnoreCase);
    // Longest name first, so 内蒙古自治区 wins over 内蒙古 when splitting an address.
    private readonly KeyValuePair<string, Province>[] prefixes;

    public RegionCatalog() : this(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "data", "china-regions.csv"))
    {
    }

    public RegionCatalog(string csvPath)
    {
        var rows = File.ReadLines(csvPath).Skip(1)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => l.Split(','))
            .ToList();
        var provinces = new List<Province>();
        foreach (var group in rows.GroupBy(r => r[0]))
        {
            var first = group.First();
            var name = first[1];
            var shortName = Suffixes.Aggregate(name, (n, s) => n.EndsWith(s, StringComparison.Ordinal) && n.Length > s.Length ? n[..^s.Length] : n);
            var municipality = name.EndsWith('市');
            var population = (long)(PopulationMillions.GetValueOrDefault(group.Key, 1) * 1_000_000);
            var cities = group.Select(r => r[3].EndsWith('市') ? r[3] : r[3] + "市").ToList();
            provinces.Add(new Province(group.Key, name, shortName, first[2], first[7], municipality, population, cities));
        }
        Provinces = provinces;
        foreach (var p in provinces)
        {
            byName[p.Name] = p;
            byName[p.ShortName] = p;
            byName[p.NameEn] = p;
        }
        prefixes = [.. byName.Where(kv => kv.Key.Length >= 2).OrderByDescending(kv => kv.Key.Length)];
    }

    public IReadOnlyList<Province> Provinces { get; }

    public Province? FindProvince(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : byName.GetValueOrDefault(name.Trim());

    /// <summary>
    /// Splits "浙江省 杭州市 余杭区 五常街道 …", "北京 朝阳区 望京街 10 号" (a municipality: city = province) or the same
    /// without spaces. Null when no province is recognised at the start.
    /// </summary>
    public SplitAddress? Split(string? fullAddress)
    {
        if (string.IsNullOrWhiteSpace(fullAddress))
        {
            return null;
        }
        var rest = fullAddress.Trim();
        Province? province = null;
        foreach (var (name, p) in prefixes)
        {
            if (rest.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                province = p;
                rest = rest[name.Length..].TrimStart();
                break;
            }
        }
        if (province is null)
        {
            return null;
        }
        string city;
        if (province.IsMunicipality)
        {
            city = province.Name;
            rest = StripPrefix(rest, province.Name) ?? StripPrefix(rest, province.ShortName) ?? rest;
        }
        else
        {
            var knownCity = province.Cities.FirstOrDefault(c => rest.StartsWith(c, StringComparison.Ordinal) || rest.StartsWith(c[..^1], StringComparison.Ordinal));
            if (knownCity is not null)
            {
                city = knownCity;
                rest = StripPrefix(rest, knownCity) ?? rest[(knownCity.Length - 1)..].TrimStart();
            }
            else if (CityPattern().Match(rest) is { Success: true } m)
            {
                city = m.Value;
                rest = rest[m.Length..].TrimStart();
            }
            else
            {
                city = "";
            }
        }
        var district = "";
        if (DistrictPattern().Match(rest) is { Success: true } d)
        {
            district = d.Value;
            rest = rest[d.Length..].TrimStart();
        }
        return new SplitAddress(province, city, district, rest);
    }

    private static string? StripPrefix(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..].TrimStart() : null;

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{1,10}?(自治州|地区|盟|市)")]
    private static partial Regex CityPattern();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}{1,10}?(区|县|旗|市)")]
    private static partial Regex DistrictPattern();
}
