using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Tracking;

public sealed record City(string NameZh, string NameEn, string ProvinceCode, double Lat, double Lon);

/// <summary>A place found in a scan: its province and the point to draw (a city, or the province's capital).</summary>
public sealed record Place(Province Province, string NameZh, string NameEn, double Lat, double Lon)
{
    public string Name(System.Globalization.CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh" ? NameZh : NameEn;
}

/// <summary>
/// The 34 provincial units (<see cref="ProvinceCatalog"/>) with big parcel cities, and a hand-simplified outline of the country, so route
/// pictures and lane estimates need no map tiles or data files from the internet.
/// </summary>
public static class ChinaProvinces
{
    public static IReadOnlyList<Province> All => ProvinceCatalog.All;

    /// <summary>Mainland border and coast, clockwise from the northern tip; (lon, lat), simplified by hand to ~100 km.</summary>
    public static readonly IReadOnlyList<(double Lon, double Lat)> Outline =
    [
        (123.5, 53.5), (127.5, 49.8), (130.8, 48.9), (134.7, 48.3), (133.1, 45.1), (131.0, 44.8), (131.3, 43.0), (130.5, 42.4),
        (128.0, 41.6), (126.5, 41.7), (124.3, 40.0), (121.6, 38.9), (122.2, 40.5), (121.0, 40.8), (119.6, 39.9), (117.7, 39.0),
        (117.8, 38.3), (119.0, 37.2), (120.8, 37.8), (122.5, 37.4), (120.4, 36.0), (119.4, 34.6), (120.9, 33.0), (121.9, 31.7),
        (121.9, 30.9), (121.0, 30.3), (122.0, 29.8), (121.6, 28.6), (120.8, 27.9), (119.7, 26.0), (118.1, 24.5), (116.7, 23.3),
        (114.2, 22.3), (113.5, 22.1), (110.4, 21.2), (110.2, 20.3), (109.7, 21.5), (108.0, 21.6), (106.7, 22.8), (105.4, 23.3),
        (103.9, 22.5), (102.2, 22.4), (101.6, 21.2), (100.1, 21.5), (99.2, 22.1), (98.9, 23.2), (97.5, 23.9), (98.7, 25.9),
        (98.7, 27.6), (97.5, 28.3), (96.0, 29.2), (94.0, 28.0), (92.0, 27.8), (89.0, 27.9), (88.0, 27.9), (86.0, 28.0),
        (84.0, 28.7), (82.0, 30.0), (81.0, 30.2), (79.0, 31.0), (78.7, 32.5), (78.4, 34.5), (77.8, 35.5), (75.9, 36.7),
        (74.5, 37.2), (73.6, 39.5), (75.0, 40.4), (76.8, 41.0), (78.5, 41.6), (80.2, 42.2), (80.5, 44.0), (82.5, 45.2),
        (82.8, 47.2), (85.5, 47.1), (87.3, 49.1), (88.0, 48.6), (90.7, 46.0), (90.9, 45.3), (93.5, 44.9), (95.3, 44.3),
        (96.4, 42.7), (100.8, 42.6), (105.0, 41.6), (107.0, 42.0), (110.4, 42.8), (111.9, 43.7), (111.4, 44.4), (113.6, 44.8),
        (116.0, 45.7), (117.4, 46.6), (119.9, 46.7), (118.5, 47.9), (115.5, 47.9), (117.8, 49.5), (119.3, 50.2), (120.8, 52.5),
        (122.2, 52.9),
    ];

    public static readonly IReadOnlyList<(double Lon, double Lat)> Hainan =
        [(108.6, 19.2), (110.0, 20.1), (111.0, 19.7), (110.5, 18.6), (109.5, 18.2), (108.7, 18.5)];

    public static readonly IReadOnlyList<(double Lon, double Lat)> Taiwan =
        [(121.0, 25.2), (122.0, 25.0), (121.5, 23.0), (120.8, 21.9), (120.1, 23.0), (120.3, 24.5)];

    /// <summary>Big parcel cities that are not a capital (the carrier sandbox's origins among them), to place hubs better.</summary>
    public static readonly IReadOnlyList<City> Cities =
    [
        new("大连", "Dalian", "21", 38.91, 121.61), new("苏州", "Suzhou", "32", 31.30, 120.59), new("无锡", "Wuxi", "32", 31.49, 120.31),
        new("宁波", "Ningbo", "33", 29.87, 121.55), new("义乌", "Yiwu", "33", 29.31, 120.08), new("金华", "Jinhua", "33", 29.08, 119.65),
        new("嘉兴", "Jiaxing", "33", 30.75, 120.76), new("温州", "Wenzhou", "33", 28.00, 120.70), new("厦门", "Xiamen", "35", 24.48, 118.09),
        new("泉州", "Quanzhou", "35", 24.87, 118.68), new("青岛", "Qingdao", "37", 36.07, 120.38), new("临沂", "Linyi", "37", 35.10, 118.36),
        new("深圳", "Shenzhen", "44", 22.54, 114.06), new("东莞", "Dongguan", "44", 23.02, 113.75), new("佛山", "Foshan", "44", 23.02, 113.12),
    ];

    /// <summary>
    /// Where a scan's place is: a known city ("【苏州市】…"), else a province or its capital ("浙江省杭州市", "Zhejiang",
    /// "广西壮族自治区"). Null when the text names no place we know.
    /// </summary>
    public static Place? Locate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        foreach (var c in Cities)
        {
            if (text.Contains(c.NameZh, StringComparison.Ordinal) || text.Contains(c.NameEn, StringComparison.OrdinalIgnoreCase))
            {
                return new(ByCode(c.ProvinceCode)!, c.NameZh, c.NameEn, c.Lat, c.Lon);
            }
        }
        // Capitals before provinces: "吉林" is both, and a city name is the more precise reading.
        foreach (var p in All)
        {
            if (text.Contains(p.CapitalZh, StringComparison.Ordinal) || text.Contains(p.CapitalEn, StringComparison.OrdinalIgnoreCase))
            {
                return new(p, p.CapitalZh, p.CapitalEn, p.Lat, p.Lon);
            }
        }
        foreach (var p in All)
        {
            if (text.Contains(p.ShortName, StringComparison.Ordinal) || text.Contains(p.NameEn, StringComparison.OrdinalIgnoreCase))
            {
                return new(p, p.ShortName, p.NameEn, p.Lat, p.Lon);
            }
        }
        return null;
    }

    public static Province? ByCode(string? code) => ProvinceCatalog.ByCode(code);

    /// <summary>Great-circle distance between two capitals, km.</summary>
    public static double DistanceKm(Province a, Province b)
    {
        const double R = 6371;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(b.Lat - a.Lat);
        var dLon = Rad(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(a.Lat)) * Math.Cos(Rad(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * R * Math.Asin(Math.Sqrt(h));
    }
}
