using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>The one province catalogue, held to the data files that are keyed by its codes.</summary>
public class ProvinceCatalogTests
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "data", name);

    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadLines(DataFile(file)).Skip(1).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','));

    [Fact]
    public void The_catalogue_has_the_34_provincial_divisions_31_of_them_mainland_each_code_and_name_once()
    {
        Assert.Equal(34, ProvinceCatalog.All.Count);
        Assert.Equal(31, ProvinceCatalog.Mainland.Count);
        Assert.Equal(["71", "81", "82"], ProvinceCatalog.All.Where(p => !p.IsMainland).Select(p => p.Code));
        Assert.Equal(34, ProvinceCatalog.All.Select(p => p.Code).Distinct().Count());
        Assert.Equal(34 * 3, ProvinceCatalog.All.SelectMany(p => new[] { p.Name, p.ShortName, p.NameEn }).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["11", "12", "31", "50"], ProvinceCatalog.All.Where(p => p.IsMunicipality).Select(p => p.Code));
    }

    [Fact]
    public void Every_province_of_the_district_file_is_a_mainland_province_of_the_catalogue()
    {
        var codes = Rows("china-districts.csv").Select(r => r[0]).Distinct().ToList();

        Assert.Equal(31, codes.Count);
        Assert.All(codes, code => Assert.True(ProvinceCatalog.ByCode(code) is { IsMainland: true }, code));
    }

    [Fact]
    public void The_region_files_province_columns_say_what_the_catalogue_says()
    {
        // code,province_zh,province_en,city_zh,city_en,lat,lon,region,is_capital
        foreach (var r in Rows("china-regions.csv"))
        {
            var p = ProvinceCatalog.ByCode(r[0]);
            Assert.NotNull(p);
            Assert.Equal((r[1], r[2], r[7]), (p.Name, p.NameEn, p.Region));
        }
        Assert.Equal(ProvinceCatalog.Mainland.Select(p => p.Code), Rows("china-regions.csv").Select(r => r[0]).Distinct());
    }

    [Theory]
    [InlineData("浙江省", "33")]
    [InlineData("浙江", "33")]
    [InlineData(" zhejiang ", "33")]
    [InlineData("内蒙古自治区", "15")]
    [InlineData("内蒙古", "15")]
    [InlineData("广西壮族自治区", "45")]
    [InlineData("广西", "45")]
    [InlineData("北京市", "11")]
    [InlineData("香港特别行政区", "81")]
    [InlineData("澳门", "82")]
    [InlineData("Taiwan", "71")]
    public void A_province_is_found_by_its_full_short_or_english_name(string name, string code) =>
        Assert.Equal(code, ProvinceCatalog.Find(name)?.Code);

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("火星")]
    [InlineData("浙")]
    public void Anything_else_is_no_province(string? name) => Assert.Null(ProvinceCatalog.Find(name));

    [Fact]
    public void Addresses_accept_the_mainland_provinces_only_and_every_one_has_its_cities()
    {
        var regions = new RegionCatalog();

        Assert.Equal(ProvinceCatalog.Mainland, regions.Provinces);
        Assert.Null(regions.FindProvince("香港"));
        Assert.Same(ProvinceCatalog.Find("浙江"), regions.FindProvince("浙江省"));
        Assert.All(regions.Provinces, p => Assert.NotEmpty(regions.CitiesOf(p)));
        Assert.Equal("杭州市", regions.CitiesOf(ProvinceCatalog.Find("浙江")!)[0]);
    }

    [Fact]
    public void The_kpi_map_places_every_mainland_province_inside_its_picture_and_scans_find_the_same_provinces()
    {
        var map = new ProvinceMap();

        Assert.Equal(ProvinceCatalog.Mainland.Select(p => p.Name), map.Points.Select(p => p.Province));
        Assert.All(map.Points, p => Assert.True(p.X is > 0 and < ProvinceMap.Width && p.Y is > 0 and < ProvinceMap.Height, p.Province));
        Assert.Same(ProvinceCatalog.Find("新疆"), ChinaProvinces.Locate("【乌鲁木齐】到达")!.Province);
        Assert.Same(ProvinceCatalog.Find("香港"), ChinaProvinces.Locate("香港转运中心")!.Province);
    }
}
