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
        var mobile = Take(MobilePattern(), ref text);
        var tel = Take(TelPattern(), ref text);
        var tokens = Separators().Split(text).Where(s => s.Length > 0).ToList();
        var name = TakeName(tokens);
        var rest = string.Concat(tokens);
        var (province, municipality) = TakeProvince(ref rest);
        var cityName = municipality?.ProvinceZh ?? TakeCity(ref rest, ref province);
        var area = TakeArea(ref rest);
        var street = StreetPattern().Match(rest) is { Success: true } s ? s.Groups[1].Value : "";
        return new ParsedAddress(province, cityName, area, street, rest, name, mobile, tel);
    }

    /// <summary>The first match of <paramref name="pattern"/>, cut out of <paramref name="text"/>.</summary>
    private static string Take(Regex pattern, ref string text)
    {
        var found = pattern.Match(text) is { Success: true } m ? m.Value : "";
        if (found.Length > 0)
        {
            text = text.Replace(found, " ", StringComparison.Ordinal);
        }
        return found;
    }

    /// <summary>The name is a short all-Chinese token with no address words; prefer the last such token (names usually trail).</summary>
    private string TakeName(List<string> tokens)
    {
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            var token = tokens[i];
            if (NamePattern().IsMatch(token) && !AddressMarkers.Any(token.Contains) && !IsPlace(token))
            {
                tokens.RemoveAt(i);
                return token;
            }
        }
        return "";
    }

    /// <summary>The leading province (full or short name); for a municipality also its city row.</summary>
    private (string Province, RegionCity? Municipality) TakeProvince(ref string rest)
    {
        foreach (var candidate in regions.Cities.Where(c => c.IsCapital))
        {
            var shortName = Regions.ShortProvince(candidate.ProvinceZh);
            if (!rest.StartsWith(shortName, StringComparison.Ordinal))
            {
                continue;
            }
            rest = StripLeading(rest[shortName.Length..], candidate.ProvinceZh[shortName.Length..]);
            if (!candidate.IsMunicipality)
            {
                return (candidate.ProvinceZh, null);
            }
            // "北京市北京市朝阳区" or "上海市市辖区…" — drop the repeated city part.
            rest = StripLeading(StripLeading(StripLeading(rest, candidate.CityZh), "市"), "市辖区");
            return (candidate.ProvinceZh, candidate);
        }
        return ("", null);
    }

    /// <summary>The city from the table (which also names the province when none was written), else up to 市/州/盟.</summary>
    private string TakeCity(ref string rest, ref string province)
    {
        var text = rest;
        var known = province;
        var matched = regions.Cities
            .Where(c => known.Length == 0 || c.ProvinceZh == known)
            .OrderByDescending(c => c.CityZh.Length)
            .FirstOrDefault(c => text.StartsWith(c.CityZh, StringComparison.Ordinal));
        if (matched is not null)
        {
            rest = StripLeading(rest[matched.CityZh.Length..], "市");
            if (province.Length == 0)
            {
                province = matched.ProvinceZh;
            }
            return matched.CityFull;
        }
        // A city outside the table: take everything up to the first 市/州/盟 (e.g. 绍兴市, 恩施州).
        var end = rest.IndexOfAny(['市', '州', '盟']);
        if (end is > 0 and <= 7)
        {
            var city = rest[..(end + 1)];
            rest = rest[(end + 1)..];
            return city;
        }
        return "";
    }

    /// <summary>A district ends in 区/县/市/旗 within the next few characters.</summary>
    private static string TakeArea(ref string rest)
    {
        for (var i = 1; i < Math.Min(rest.Length, 10); i++)
        {
            if (rest[i] is '区' or '县' or '市' or '旗')
            {
                var area = rest[..(i + 1)];
                rest = rest[(i + 1)..];
                return area;
            }
        }
        return "";
    }

    private bool IsPlace(string token) => regions.Cities.Any(c =>
        token.StartsWith(c.CityZh, StringComparison.Ordinal) || token.StartsWith(Regions.ShortProvince(c.ProvinceZh), StringComparison.Ordinal));

    private static string StripLeading(string text, string prefix) =>
        prefix.Length > 0 && text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
