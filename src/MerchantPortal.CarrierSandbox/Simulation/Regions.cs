using System.Globalization;
using System.Text;

namespace MerchantPortal.CarrierSandbox.Simulation;

public sealed record RegionCity(
    string ProvinceCode,
    string ProvinceZh,
    string ProvinceEn,
    string CityZh,
    string CityEn,
    double Lat,
    double Lon,
    string Region,
    bool IsCapital)
{
    /// <summary>Municipalities (直辖市) are their own city: CityName = the municipality (carrier-protocol.md, 6001 rules).</summary>
    public bool IsMunicipality => ProvinceZh == CityZh + "市";

    /// <summary>"杭州市" — how carriers print a city in a trace ("【杭州市】…").</summary>
    public string CityFull => CityZh + "市";
}

/// <summary>The hub network: the embedded region table (never ../shared at run time).</summary>
public sealed class Regions
{
    private static readonly string[] ProvinceSuffixes = ["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"];

    // A few big cities act as national transfer hubs, one per macro-region.
    private static readonly Dictionary<string, string> NationalHubByRegion = new(StringComparer.Ordinal)
    {
        ["North"] = "北京",
        ["Northeast"] = "沈阳",
        ["East"] = "上海",
        ["Central"] = "武汉",
        ["South"] = "广州",
        ["Southwest"] = "成都",
        ["Northwest"] = "西安",
    };

    private readonly Dictionary<string, RegionCity> _byCity;

    public Regions(IReadOnlyList<RegionCity> cities)
    {
        Cities = cities;
        _byCity = cities.ToDictionary(c => c.CityZh, StringComparer.Ordinal);
    }

    public IReadOnlyList<RegionCity> Cities { get; }

    public static Regions LoadEmbedded()
    {
        using var stream = typeof(Regions).Assembly.GetManifestResourceStream("MerchantPortal.CarrierSandbox.Data.china-regions.csv")
            ?? throw new InvalidOperationException("The embedded region table is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var cities = new List<RegionCity>();
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var f = line.Split(',');
            cities.Add(new RegionCity(
                f[0], f[1], f[2], f[3], f[4],
                double.Parse(f[5], CultureInfo.InvariantCulture),
                double.Parse(f[6], CultureInfo.InvariantCulture),
                f[7],
                f[8].Trim() == "1"));
        }

        return new Regions(cities);
    }

    public RegionCity? ByName(string? cityZh) => cityZh is not null && _byCity.TryGetValue(cityZh, out var c) ? c : null;

    public static string ShortProvince(string provinceZh)
    {
        foreach (var suffix in ProvinceSuffixes)
        {
            if (provinceZh.Length > suffix.Length && provinceZh.EndsWith(suffix, StringComparison.Ordinal))
            {
                return provinceZh[..^suffix.Length];
            }
        }

        return provinceZh;
    }

    public static string ShortCity(string cityName)
    {
        var name = cityName.Trim();
        foreach (var suffix in new[] { "市辖区", "地区", "市", "盟" })
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    public RegionCity CapitalOf(RegionCity city) =>
        Cities.First(c => c.ProvinceCode == city.ProvinceCode && c.IsCapital);

    public RegionCity NationalHub(RegionCity city) =>
        _byCity[NationalHubByRegion.TryGetValue(city.Region, out var hub) ? hub : "武汉"];

    /// <summary>Resolves a Sender/Receiver (ProvinceName, CityName) to a network city; unknown cities fall back to the province capital.</summary>
    public RegionCity? Resolve(string? provinceName, string? cityName)
    {
        if (!string.IsNullOrWhiteSpace(cityName) && ByName(ShortCity(cityName)) is { } city)
        {
            return city;
        }

        if (!string.IsNullOrWhiteSpace(provinceName))
        {
            var shortProvince = ShortProvince(provinceName.Trim());
            return Cities.FirstOrDefault(c => c.IsCapital && ShortProvince(c.ProvinceZh) == shortProvince);
        }

        return null;
    }

    public RegionCity FromHash(ulong hash) => Cities[(int)(hash % (ulong)Cities.Count)];

    /// <summary>
    /// The hubs a parcel passes between origin and destination: origin provincial hub, national transfer hubs
    /// when it leaves its macro-region, destination provincial hub.
    /// </summary>
    public IReadOnlyList<RegionCity> Route(RegionCity origin, RegionCity destination)
    {
        var hubs = new List<RegionCity> { CapitalOf(origin) };
        if (origin.Region != destination.Region)
        {
            hubs.Add(NationalHub(origin));
            hubs.Add(NationalHub(destination));
        }

        hubs.Add(CapitalOf(destination));
        var distinct = new List<RegionCity>();
        foreach (var hub in hubs)
        {
            if (distinct.Count == 0 || distinct[^1].CityZh != hub.CityZh)
            {
                distinct.Add(hub);
            }
        }

        return distinct;
    }
}
