using System.Globalization;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// The one drawing of China's outline (<see cref="ChinaProvinces.Outline"/>, Hainan, Taiwan) and its projection, shared by
/// the route picture and the KPI province map so both show the same country at the same place.
/// </summary>
public static class ChinaOutline
{
    // Equirectangular, scaled by cos(35°) so the country keeps its shape at its middle latitude.
    private const double MinLon = 73, MaxLat = 54, Scale = 8, LonScale = Scale * 0.819;

    public static readonly double Width = (135.5 - MinLon) * LonScale;
    public static readonly double Height = (MaxLat - 17.5) * Scale;

    /// <summary>SVG path data of the mainland, Hainan and Taiwan in the <see cref="Width"/> × <see cref="Height"/> box.</summary>
    public static readonly string Path = string.Concat(Ring(ChinaProvinces.Outline), Ring(ChinaProvinces.Hainan), Ring(ChinaProvinces.Taiwan));

    public static (double X, double Y) Project(double lon, double lat) => ((lon - MinLon) * LonScale, (MaxLat - lat) * Scale);

    private static string Ring(IReadOnlyList<(double Lon, double Lat)> ring) =>
        string.Concat(ring.Select((p, i) =>
        {
            var (x, y) = Project(p.Lon, p.Lat);
            return (i == 0 ? "M" : "L") + F(x) + "," + F(y) + " ";
        })) + "Z ";

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
