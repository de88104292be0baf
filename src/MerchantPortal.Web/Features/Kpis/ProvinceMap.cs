using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Kpis;

public sealed record ProvincePoint(string Province, string ShortName, string NameEn, double X, double Y);

/// <summary>A label's box on the map (top-left corner, size), in view-box units.</summary>
public readonly record struct LabelBox(double X, double Y, double Width, double Height)
{
    public bool Intersects(LabelBox o) => X < o.X + o.Width && o.X < X + Width && Y < o.Y + o.Height && o.Y < Y + Height;
}

/// <summary>A province's circle on the map, and its label if one fits.</summary>
public sealed record PlacedProvince(ProvincePoint Point, double Radius, string Text, LabelBox? Label);

/// <summary>
/// Where each mainland province sits on the KPI map: its capital projected like the route picture's China outline
/// (<see cref="ChinaOutline"/>), so the circles land inside the same country drawing. Labels are placed greedily,
/// biggest province first, at the first of four spots around its circle that overlaps no label already placed and
/// stays inside the picture; a province whose label fits nowhere (or beyond <see cref="MaxLabels"/>) keeps its name
/// in the circle's tooltip only.
/// </summary>
public sealed class ProvinceMap
{
    public const double Width = (135.5 - 73) * 8 * 0.819, Height = (54 - 17.5) * 8;
    public const double FontSize = 10;
    public const int MaxLabels = 12;

    public ProvinceMap()
    {
        Points = [.. ProvinceCatalog.Mainland.Select(p =>
        {
            var (x, y) = ChinaOutline.Project(p.Lon, p.Lat);
            return new ProvincePoint(p.Name, p.ShortName, p.NameEn, x, y);
        })];
        ByProvince = Points.ToDictionary(p => p.Province, StringComparer.Ordinal);
    }

    public IReadOnlyList<ProvincePoint> Points { get; }

    public IReadOnlyDictionary<string, ProvincePoint> ByProvince { get; }

    /// <summary>
    /// Labels for the provinces given as (point, circle radius, text, weight): heavier first; none overlaps another
    /// label or leaves the picture.
    /// </summary>
    public static IReadOnlyList<PlacedProvince> Layout(IEnumerable<(ProvincePoint Point, double Radius, string Text, double Weight)> provinces, int maxLabels = MaxLabels)
    {
        var placed = new List<LabelBox>();
        var result = new List<PlacedProvince>();
        foreach (var (point, radius, text, weight) in provinces.OrderByDescending(p => p.Weight).ThenBy(p => p.Point.Province, StringComparer.Ordinal))
        {
            LabelBox? label = null;
            if (weight > 0 && placed.Count < maxLabels && text.Length > 0)
            {
                var (w, h) = (TextWidth(text), FontSize + 2);
                LabelBox[] spots =
                [
                    new(point.X - (w / 2), point.Y + radius + 1, w, h),           // below
                    new(point.X - (w / 2), point.Y - radius - 1 - h, w, h),       // above
                    new(point.X + radius + 2, point.Y - (h / 2), w, h),           // right
                    new(point.X - radius - 2 - w, point.Y - (h / 2), w, h),       // left
                ];
                label = spots.Cast<LabelBox?>().FirstOrDefault(s => s is { } b && b.X >= 0 && b.Y >= 0 && b.X + b.Width <= Width && b.Y + b.Height <= Height
                    && !placed.Any(b.Intersects));
                if (label is { } box)
                {
                    placed.Add(box);
                }
            }
            result.Add(new(point, radius, text, label));
        }
        return result;
    }

    /// <summary>A generous width estimate: a CJK character is one em, a Latin one about 0.62 em.</summary>
    public static double TextWidth(string text) => text.Sum(c => c > 0x2E80 ? FontSize : FontSize * 0.62);
}

/// <summary>A province with shipments on the KPI map: its circle's size, colour, tooltip and link.</summary>
public sealed record KpiMapProvince(string Province, int Volume, string Color, string Tooltip, string? Href);
