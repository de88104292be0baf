using System.Text.RegularExpressions;

namespace MerchantPortal.CarrierSandbox.Simulation;

public sealed record ParsedAddress(
    string ProvinceName,
    string CityName,
    string ExpAreaName,
    string StreetName,
    string Address,
    string Name,
    string Mobile,
    string Tel);

/// <summary>
/// 6001 智能地址解析 (carrier-protocol.md §2.9): the region table plus simple suffix rules — a district ends in
/// 区/县/市/旗, a street in 街道/镇/乡. Municipalities give CityName = the municipality (北京市).
/// </summary>
public sealed partial class AddressParser(Regions regions)
{
    private static readonly string[] AddressMarkers = ["省", "市", "区", "县", "路", "街", "号", "镇", "村", "道", "巷", "弄", "楼", "室", "栋", "旗", "乡", "园", "苑", "大厦"];

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")]
    private static partial Regex TelPattern();

    [GeneratedRegex(@"^[\u4e00-\u9fa5·]{2,5}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(.{1,8}?(?:街道|镇|乡))")]
    private static partial Regex StreetPattern();

    [GeneratedRegex(@"[\s,，;；:：/|]+")]
    private static partial Regex Separators();

    public ParsedAddress? Parse(string content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        var text = content.Trim();
        var mobile = MobilePattern().Match(text) is { Success: true } m ? m.Value : "";
        if (mobile.Length > 0)
        {
            text = text.Replace(mobile, " ", StringComparison.Ordinal);
        }

        var tel = TelPattern().Match(text) is { Success: true } t ? t.Value : "";
        if (tel.Length > 0)
        {
            text = text.Replace(tel, " ", StringComparison.Ordinal);
        }

        var tokens = Separators().Split(text).Where(s => s.Length > 0).ToList();
        var name = "";
        // The name is a short all-Chinese token with no address words; prefer the last such token (names usually trail).
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            var token = tokens[i];
            if (NamePattern().IsMatch(token) && !AddressMarkers.Any(token.Contains) && !IsPlace(token))
            {
                name = token;
                tokens.RemoveAt(i);
                break;
            }
        }

        var rest = string.Concat(tokens);
        var province = "";
        RegionCity? city = null;
        foreach (var candidate in regions.Cities.Where(c => c.IsCapital))
        {
            var shortName = Regions.ShortProvince(candidate.ProvinceZh);
            if (rest.StartsWith(shortName, StringComparison.Ordinal))
            {
                province = candidate.ProvinceZh;
                rest = rest[shortName.Length..];
                rest = StripLeading(rest, candidate.ProvinceZh[shortName.Length..]);
                if (candidate.IsMunicipality)
                {
                    city = candidate;
                    // "北京市北京市朝阳区" or "上海市市辖区…" — drop the repeated city part.
                    rest = StripLeading(StripLeading(StripLeading(rest, candidate.CityZh), "市"), "市辖区");
                }

                break;
            }
        }

        var cityName = "";
        if (city is { IsMunicipality: true })
        {
            cityName = city.ProvinceZh;
        }
        else
        {
            var matched = regions.Cities
                .Where(c => province.Length == 0 || c.ProvinceZh == province)
                .OrderByDescending(c => c.CityZh.Length)
                .FirstOrDefault(c => rest.StartsWith(c.CityZh, StringComparison.Ordinal));
            if (matched is not null)
            {
                cityName = matched.CityFull;
                rest = StripLeading(rest[matched.CityZh.Length..], "市");
                if (province.Length == 0)
                {
                    province = matched.ProvinceZh;
                }
            }
            else
            {
                // A city outside the table: take everything up to the first 市/州/盟 (e.g. 绍兴市, 恩施州).
                var end = rest.IndexOfAny(['市', '州', '盟']);
                if (end is > 0 and <= 7)
                {
                    cityName = rest[..(end + 1)];
                    rest = rest[(end + 1)..];
                }
            }
        }

        var area = "";
        for (var i = 1; i < Math.Min(rest.Length, 10); i++)
        {
            if (rest[i] is '区' or '县' or '市' or '旗')
            {
                area = rest[..(i + 1)];
                rest = rest[(i + 1)..];
                break;
            }
        }

        var street = StreetPattern().Match(rest) is { Success: true } s ? s.Groups[1].Value : "";
        return new ParsedAddress(province, cityName, area, street, rest, name, mobile, tel);
    }

    private bool IsPlace(string token) => regions.Cities.Any(c =>
        token.StartsWith(c.CityZh, StringComparison.Ordinal) || token.StartsWith(Regions.ShortProvince(c.ProvinceZh), StringComparison.Ordinal));

    private static string StripLeading(string text, string prefix) =>
        prefix.Length > 0 && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
