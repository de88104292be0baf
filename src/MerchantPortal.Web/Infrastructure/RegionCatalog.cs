using System.Text.RegularExpressions;

namespace MerchantPortal.Web.Infrastructure;

public sealed record SplitAddress(Province Province, string City, string District, string Detail);

/// <summary>
/// The 31 mainland provinces of <see cref="ProvinceCatalog"/> with their cities from wwwroot-assets/data/china-regions.csv,
/// looked up by full or short name (浙江省/浙江, 内蒙古自治区/内蒙古, 广西壮族自治区/广西). Used by import validation, address splitting and
/// demo data, so all three agree on what a province is.
/// </summary>
public sealed partial class RegionCatalog
{
    private readonly Dictionary<string, IReadOnlyList<string>> cities;
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
        // The file's rows are cities; the province columns repeat the catalogue's (a test holds them to it).
        cities = rows.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r[3].EndsWith('市') ? r[3] : r[3] + "市")]);
        var provinces = ProvinceCatalog.Mainland;
        Provinces = provinces;
        foreach (var p in provinces)
        {
            byName[p.Name] = p;
            byName[p.ShortName] = p;
            byName[p.NameEn] = p;
        }
        prefixes = [.. byName.Where(kv => kv.Key.Length >= 2).OrderByDescending(kv => kv.Key.Length)];
    }

    /// <summary>The mainland provinces: those an order can ship to.</summary>
    public IReadOnlyList<Province> Provinces { get; }

    /// <summary>The province's cities in china-regions.csv (capital first), each ending in 市.</summary>
    public IReadOnlyList<string> CitiesOf(Province province) => cities.GetValueOrDefault(province.Code) ?? [];

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
            var knownCity = CitiesOf(province).FirstOrDefault(c => rest.StartsWith(c, StringComparison.Ordinal) || rest.StartsWith(c[..^1], StringComparison.Ordinal));
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
