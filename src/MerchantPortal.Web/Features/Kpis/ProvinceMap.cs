using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Kpis;

public sealed record ProvincePoint(string Province, string NameEn, double X, double Y);

/// <summary>
/// Where each mainland province sits on the KPI map: its capital's coordinates from <see cref="ProvinceCatalog"/>, projected
/// equirectangularly onto an SVG view box. A schematic (circles, no borders): enough to see a region go red.
/// </summary>
public sealed class ProvinceMap
{
    public const double Width = 640, Height = 460;
    private const double West = 73, East = 135, North = 54, South = 17;

    public ProvinceMap()
    {
        Points = [.. ProvinceCatalog.Mainland.Select(p => new ProvincePoint(p.Name, p.NameEn,
            (p.Lon - West) / (East - West) * Width,
            (North - p.Lat) / (North - South) * Height))];
        ByProvince = Points.ToDictionary(p => p.Province, StringComparer.Ordinal);
    }

    public IReadOnlyList<ProvincePoint> Points { get; }

    public IReadOnlyDictionary<string, ProvincePoint> ByProvince { get; }
}
