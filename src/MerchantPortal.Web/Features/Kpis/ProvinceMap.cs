using System.Globalization;

namespace MerchantPortal.Web.Features.Kpis;

public sealed record ProvincePoint(string Province, string NameEn, double X, double Y);

/// <summary>
/// Where each province sits on the KPI map: its capital's coordinates from china-regions.csv, projected
/// equirectangularly onto an SVG view box. A schematic (circles, no borders): enough to see a region go red.
/// </summary>
public sealed class ProvinceMap
{
    public const double Width = 640, Height = 460;
    private const double West = 73, East = 135, North = 54, South = 17;

    public ProvinceMap() : this(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "data", "china-regions.csv"))
    {
    }

    public ProvinceMap(string csvPath)
    {
        // code,province_zh,province_en,city_zh,city_en,lat,lon,region,is_capital
        Points = [.. File.ReadLines(csvPath).Skip(1)
            .Select(l => l.Split(','))
            .Where(c => c.Length >= 9 && c[8].Trim() == "1")
            .Select(c => new ProvincePoint(c[1], c[2],
                (double.Parse(c[6], CultureInfo.InvariantCulture) - West) / (East - West) * Width,
                (North - double.Parse(c[5], CultureInfo.InvariantCulture)) / (North - South) * Height))];
        ByProvince = Points.ToDictionary(p => p.Province, StringComparer.Ordinal);
    }

    public IReadOnlyList<ProvincePoint> Points { get; }

    public IReadOnlyDictionary<string, ProvincePoint> ByProvince { get; }
}
