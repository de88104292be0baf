namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// One of China's 34 provincial-level divisions (GB/T 2260 code), with its full and short Chinese names, its English
/// name, its capital and the capital's coordinates (route pictures, lane distances, the KPI map), the region the KPI
/// filters group it in, and its approximate 2020 census population (demo destinations are weighted by it).
/// </summary>
public sealed record Province(
    string Code,
    string Name,
    string ShortName,
    string NameEn,
    string CapitalZh,
    string CapitalEn,
    double Lat,
    double Lon,
    string Region,
    bool IsMunicipality,
    bool IsMainland,
    double PopulationMillions)
{
    public long Population => (long)(PopulationMillions * 1_000_000);
}

/// <summary>
/// The portal's one list of provinces. Orders ship to the 31 mainland ones (<see cref="Mainland"/>, what
/// <see cref="RegionCatalog"/> accepts in an address); Hong Kong, Macau and Taiwan are here for scans and maps.
/// Cities and districts stay in wwwroot-assets/data (china-regions.csv, china-districts.csv), keyed by the code.
/// </summary>
public static class ProvinceCatalog
{
    public static readonly IReadOnlyList<Province> All =
    [
        new("11", "北京市", "北京", "Beijing", "北京", "Beijing", 39.90, 116.41, "North", IsMunicipality: true, IsMainland: true, PopulationMillions: 21.9),
        new("12", "天津市", "天津", "Tianjin", "天津", "Tianjin", 39.13, 117.20, "North", IsMunicipality: true, IsMainland: true, PopulationMillions: 13.9),
        new("13", "河北省", "河北", "Hebei", "石家庄", "Shijiazhuang", 38.04, 114.51, "North", IsMunicipality: false, IsMainland: true, PopulationMillions: 74.6),
        new("14", "山西省", "山西", "Shanxi", "太原", "Taiyuan", 37.87, 112.55, "North", IsMunicipality: false, IsMainland: true, PopulationMillions: 34.9),
        new("15", "内蒙古自治区", "内蒙古", "Inner Mongolia", "呼和浩特", "Hohhot", 40.84, 111.75, "North", IsMunicipality: false, IsMainland: true, PopulationMillions: 24.0),
        new("21", "辽宁省", "辽宁", "Liaoning", "沈阳", "Shenyang", 41.80, 123.43, "Northeast", IsMunicipality: false, IsMainland: true, PopulationMillions: 42.6),
        new("22", "吉林省", "吉林", "Jilin", "长春", "Changchun", 43.82, 125.32, "Northeast", IsMunicipality: false, IsMainland: true, PopulationMillions: 24.1),
        new("23", "黑龙江省", "黑龙江", "Heilongjiang", "哈尔滨", "Harbin", 45.80, 126.53, "Northeast", IsMunicipality: false, IsMainland: true, PopulationMillions: 31.9),
        new("31", "上海市", "上海", "Shanghai", "上海", "Shanghai", 31.23, 121.47, "East", IsMunicipality: true, IsMainland: true, PopulationMillions: 24.9),
        new("32", "江苏省", "江苏", "Jiangsu", "南京", "Nanjing", 32.06, 118.80, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 84.7),
        new("33", "浙江省", "浙江", "Zhejiang", "杭州", "Hangzhou", 30.27, 120.15, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 64.6),
        new("34", "安徽省", "安徽", "Anhui", "合肥", "Hefei", 31.82, 117.23, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 61.0),
        new("35", "福建省", "福建", "Fujian", "福州", "Fuzhou", 26.07, 119.30, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 41.5),
        new("36", "江西省", "江西", "Jiangxi", "南昌", "Nanchang", 28.68, 115.86, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 45.2),
        new("37", "山东省", "山东", "Shandong", "济南", "Jinan", 36.65, 117.12, "East", IsMunicipality: false, IsMainland: true, PopulationMillions: 101.5),
        new("41", "河南省", "河南", "Henan", "郑州", "Zhengzhou", 34.75, 113.63, "Central", IsMunicipality: false, IsMainland: true, PopulationMillions: 99.4),
        new("42", "湖北省", "湖北", "Hubei", "武汉", "Wuhan", 30.59, 114.31, "Central", IsMunicipality: false, IsMainland: true, PopulationMillions: 57.8),
        new("43", "湖南省", "湖南", "Hunan", "长沙", "Changsha", 28.23, 112.94, "Central", IsMunicipality: false, IsMainland: true, PopulationMillions: 66.4),
        new("44", "广东省", "广东", "Guangdong", "广州", "Guangzhou", 23.13, 113.26, "South", IsMunicipality: false, IsMainland: true, PopulationMillions: 126.0),
        new("45", "广西壮族自治区", "广西", "Guangxi", "南宁", "Nanning", 22.82, 108.37, "South", IsMunicipality: false, IsMainland: true, PopulationMillions: 50.1),
        new("46", "海南省", "海南", "Hainan", "海口", "Haikou", 20.04, 110.20, "South", IsMunicipality: false, IsMainland: true, PopulationMillions: 10.1),
        new("50", "重庆市", "重庆", "Chongqing", "重庆", "Chongqing", 29.56, 106.55, "Southwest", IsMunicipality: true, IsMainland: true, PopulationMillions: 32.1),
        new("51", "四川省", "四川", "Sichuan", "成都", "Chengdu", 30.57, 104.07, "Southwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 83.7),
        new("52", "贵州省", "贵州", "Guizhou", "贵阳", "Guiyang", 26.65, 106.63, "Southwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 38.6),
        new("53", "云南省", "云南", "Yunnan", "昆明", "Kunming", 25.04, 102.71, "Southwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 47.2),
        new("54", "西藏自治区", "西藏", "Tibet", "拉萨", "Lhasa", 29.65, 91.17, "Southwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 3.6),
        new("61", "陕西省", "陕西", "Shaanxi", "西安", "Xi'an", 34.34, 108.94, "Northwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 39.5),
        new("62", "甘肃省", "甘肃", "Gansu", "兰州", "Lanzhou", 36.06, 103.83, "Northwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 25.0),
        new("63", "青海省", "青海", "Qinghai", "西宁", "Xining", 36.62, 101.78, "Northwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 5.9),
        new("64", "宁夏回族自治区", "宁夏", "Ningxia", "银川", "Yinchuan", 38.49, 106.23, "Northwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 7.2),
        new("65", "新疆维吾尔自治区", "新疆", "Xinjiang", "乌鲁木齐", "Urumqi", 43.83, 87.62, "Northwest", IsMunicipality: false, IsMainland: true, PopulationMillions: 25.9),
        new("71", "台湾省", "台湾", "Taiwan", "台北", "Taipei", 25.03, 121.57, "East", IsMunicipality: false, IsMainland: false, PopulationMillions: 23.6),
        new("81", "香港特别行政区", "香港", "Hong Kong", "香港", "Hong Kong", 22.32, 114.17, "South", IsMunicipality: false, IsMainland: false, PopulationMillions: 7.5),
        new("82", "澳门特别行政区", "澳门", "Macau", "澳门", "Macau", 22.20, 113.54, "South", IsMunicipality: false, IsMainland: false, PopulationMillions: 0.7),
    ];

    public static readonly IReadOnlyList<Province> Mainland = [.. All.Where(p => p.IsMainland)];

    private static readonly Dictionary<string, Province> ByAnyName = All
        .SelectMany(p => new[] { p.Name, p.ShortName, p.NameEn }.Select(n => (Name: n, Province: p)))
        .ToDictionary(x => x.Name, x => x.Province, StringComparer.OrdinalIgnoreCase);

    public static Province? ByCode(string? code) => All.FirstOrDefault(p => p.Code == code);

    /// <summary>By full, short or English name (浙江省, 浙江, Zhejiang; 广西壮族自治区, 广西); null for anything else.</summary>
    public static Province? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : ByAnyName.GetValueOrDefault(name.Trim());
}
