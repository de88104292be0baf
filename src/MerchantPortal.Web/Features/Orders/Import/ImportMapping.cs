using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>How sure a header's field is: shown as a chip on the mapping step.</summary>
public enum MatchConfidence
{
    /// <summary>The header is one of the aliases as written.</summary>
    Exact,
    /// <summary>An alias after width, case, spaces, brackets and units such as (件) or (元) are set aside.</summary>
    Normalised,
    /// <summary>A known word inside the header once prefixes like 收件人/收货人/Receiver and suffixes like 号码 are set aside.</summary>
    Fuzzy,
    /// <summary>From a built-in or saved template.</summary>
    Template,
    /// <summary>Chosen by the user (page or API).</summary>
    Manual,
}

/// <summary>
/// Guesses a header's field. Shop exports spell the same column many ways (手机号码, 收件人手机, 数量(件), 商品数量（件）,
/// Receiver Mobile): the fixed alias list alone failed whole files on a phone column it did not know.
/// </summary>
public static class HeaderGuesser
{
    // Leading words that say whose value it is, not what it is: 收件人手机 is a mobile, Receiver Mobile too.
    private static readonly string[] Prefixes = ["收货人", "收件人", "收货", "收件", "买家", "客户", "顾客", "会员", "商品", "宝贝", "订单", "receiver", "recipient", "consignee", "buyer", "customer", "shipping", "ship to", "item", "product", "order"];
    // Units in brackets are set aside by Key already; these are kind-of-value endings.
    private static readonly string[] Suffixes = ["号码", "信息", "名称", "内容"];

    // Words that, inside a header, name one field (the longest that matches wins).
    private static readonly (string Word, ImportField Field)[] Words =
    [
        ("手机", ImportField.Mobile), ("电话", ImportField.Mobile), ("联系方式", ImportField.Mobile), ("mobile", ImportField.Mobile), ("phone", ImportField.Mobile), ("tel", ImportField.Mobile),
        ("数量", ImportField.Quantity), ("件数", ImportField.Quantity), ("qty", ImportField.Quantity), ("quantity", ImportField.Quantity),
        ("姓名", ImportField.Receiver), ("收货人", ImportField.Receiver), ("收件人", ImportField.Receiver), ("consignee", ImportField.Receiver),
        ("订单号", ImportField.OrderNo), ("订单编号", ImportField.OrderNo), ("orderno", ImportField.OrderNo), ("orderid", ImportField.OrderNo), ("ordernumber", ImportField.OrderNo),
        ("付款时间", ImportField.PaidAt), ("支付时间", ImportField.PaidAt), ("paidat", ImportField.PaidAt), ("paymenttime", ImportField.PaidAt),
        ("单价", ImportField.UnitPrice), ("unitprice", ImportField.UnitPrice),
        ("实付", ImportField.LineAmount), ("金额", ImportField.LineAmount), ("amount", ImportField.LineAmount),
        ("邮编", ImportField.Postcode), ("postcode", ImportField.Postcode), ("zip", ImportField.Postcode),
        ("留言", ImportField.Remark), ("备注", ImportField.Remark), ("remark", ImportField.Remark), ("message", ImportField.Remark),
        ("商家编码", ImportField.Sku), ("sku", ImportField.Sku), ("货号", ImportField.Sku),
        ("标题", ImportField.Item), ("品名", ImportField.Item), ("商品名", ImportField.Item), ("product", ImportField.Item),
        ("省份", ImportField.Province), ("城市", ImportField.City), ("区县", ImportField.District),
        ("详细地址", ImportField.Address), ("收货地址", ImportField.FullAddress), ("收件地址", ImportField.FullAddress),
        ("重量", ImportField.WeightKg), ("weight", ImportField.WeightKg),
        ("邮箱", ImportField.Email), ("email", ImportField.Email),
    ];

    private static readonly Dictionary<string, ImportField> Exact = HeaderAliases.Aliases
        .SelectMany(kv => kv.Value.Select(a => (Alias: a, Field: kv.Key)))
        .ToDictionary(x => x.Alias, x => x.Field, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, ImportField> Normal = HeaderAliases.Aliases
        .SelectMany(kv => kv.Value.Select(a => (Alias: Key(a), Field: kv.Key)))
        .DistinctBy(x => x.Alias)
        .ToDictionary(x => x.Alias, x => x.Field);

    private static readonly (string Word, ImportField Field)[] WordsLongestFirst = [.. Words.OrderByDescending(w => w.Word.Length)];

    /// <summary>
    /// Width, case, spaces, punctuation and a bracketed unit set aside: "商品数量（件）", "商品数量 (件)" and "商品数量" are one key.
    /// </summary>
    public static string Key(string header)
    {
        var s = PhoneNumbers.ToHalfWidth(header).Trim().TrimStart('\uFEFF').ToLowerInvariant();
        var sb = new StringBuilder(s.Length);
        var depth = 0;
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '(' or '[' or '【' or '〔':
                    depth++;
                    break;
                case ')' or ']' or '】' or '〕':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ' ' or '_' or '-' or '/' or '.' or ':' or '\u3000':
                    break;
                default:
                    if (depth == 0)
                    {
                        sb.Append(ch);
                    }
                    break;
            }
        }
        // A header that is all brackets ("(元)") keeps its text rather than becoming empty.
        return sb.Length > 0 ? sb.ToString() : new string([.. s.Where(char.IsLetterOrDigit)]);
    }

    public static (ImportField Field, MatchConfidence Confidence)? Guess(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        var trimmed = header.Trim().TrimStart('\uFEFF');
        if (Exact.TryGetValue(trimmed, out var exact))
        {
            return (exact, MatchConfidence.Exact);
        }
        var key = Key(trimmed);
        if (Normal.TryGetValue(key, out var normal))
        {
            return (normal, MatchConfidence.Normalised);
        }
        var core = Core(key);
        if (core.Length > 0 && Normal.TryGetValue(core, out var stripped))
        {
            return (stripped, MatchConfidence.Fuzzy);
        }
        foreach (var (word, field) in WordsLongestFirst)
        {
            if ((core.Length > 0 ? core : key).Contains(word, StringComparison.Ordinal))
            {
                return (field, MatchConfidence.Fuzzy);
            }
        }
        return null;
    }

    /// <summary>The key without a whose-value prefix and a unit/kind suffix, when something is left.</summary>
    private static string Core(string key)
    {
        var core = key;
        foreach (var p in Prefixes)
        {
            var k = p.Replace(" ", "", StringComparison.Ordinal);
            if (core.StartsWith(k, StringComparison.Ordinal) && core.Length > k.Length)
            {
                core = core[k.Length..];
                break;
            }
        }
        foreach (var s in Suffixes)
        {
            if (core.EndsWith(s, StringComparison.Ordinal) && core.Length > s.Length)
            {
                core = core[..^s.Length];
                break;
            }
        }
        return core == key ? "" : core;
    }
}

/// <summary>One header of an uploaded file on the mapping step.</summary>
public sealed record MappedColumn(string Header, IReadOnlyList<string> Samples, ImportField? Field, MatchConfidence? Confidence);

/// <summary>A file's mapping: which header each field is read from, and where it came from.</summary>
public sealed record FileMapping(IReadOnlyList<MappedColumn> Columns, string? TemplateName, OrderChannel? Platform)
{
    public IReadOnlyDictionary<ImportField, string> Fields => Columns.Where(c => c.Field is not null)
        .GroupBy(c => c.Field!.Value).ToDictionary(g => g.Key, g => g.First().Header);
}

/// <summary>A mapping template that ships with the portal: plain data, checked before the saved ones.</summary>
/// <param name="Fields">Field → the platform export's header.</param>
public sealed record BuiltInImportTemplate(string Name, OrderChannel Platform, IReadOnlyDictionary<ImportField, string> Fields);

/// <summary>
/// The platform exports the portal knows. A built-in applies to a file that has every header it names (an export
/// with extra columns still matches). Data only: a platform is added by adding its record here, with its fixture in
/// wwwroot-assets/demo-imports and its source in that folder's README.
/// </summary>
public static class BuiltInImportTemplates
{
    public static readonly IReadOnlyList<BuiltInImportTemplate> All =
    [
        // The platform exports of wwwroot-assets/demo-imports/platforms (README there: each file's quirks and the source
        // of its column list). Channel comes from the template's platform unless the file names its shop's platform.
        new("淘宝/天猫 千牛订单报表", OrderChannel.Taobao, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单编号",
            [ImportField.Channel] = "店铺名称",
            [ImportField.Buyer] = "买家会员名",
            [ImportField.Receiver] = "收货人姓名",
            [ImportField.Mobile] = "联系手机",
            [ImportField.FullAddress] = "收货地址",
            [ImportField.Item] = "宝贝标题",
            [ImportField.Quantity] = "宝贝总数量",
            [ImportField.LineAmount] = "买家实际支付金额",
            [ImportField.PaidAt] = "订单付款时间",
            [ImportField.Remark] = "买家留言",
        }),
        new("京东 订单导出", OrderChannel.JD, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单号",
            [ImportField.Item] = "商品名称",
            [ImportField.Quantity] = "订购数量",
            [ImportField.UnitPrice] = "京东价",
            [ImportField.Buyer] = "下单帐号",
            [ImportField.Receiver] = "客户姓名",
            [ImportField.FullAddress] = "客户地址",
            [ImportField.Mobile] = "联系电话",
            [ImportField.Remark] = "订单备注",
            [ImportField.PaidAt] = "付款确认时间",
            [ImportField.Sku] = "货号",
        }),
        new("拼多多 订单导出", OrderChannel.Pinduoduo, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单号",
            [ImportField.Item] = "商品",
            [ImportField.LineAmount] = "用户实付金额(元)",
            [ImportField.Quantity] = "商品数量(件)",
            [ImportField.Receiver] = "收货人",
            [ImportField.Mobile] = "手机",
            [ImportField.Province] = "省",
            [ImportField.City] = "市",
            [ImportField.District] = "区",
            [ImportField.Address] = "街道",
            [ImportField.PaidAt] = "支付时间",
            [ImportField.Sku] = "商家编码-SKU维度",
            [ImportField.Remark] = "买家留言",
        }),
        new("抖店 订单报表（商品维度）", OrderChannel.Douyin, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "主订单编号",
            [ImportField.Item] = "选购商品",
            [ImportField.Quantity] = "商品数量",
            [ImportField.Sku] = "商家编码",
            [ImportField.UnitPrice] = "商品金额",
            [ImportField.Receiver] = "收件人",
            [ImportField.Mobile] = "收件人手机号",
            [ImportField.Province] = "省",
            [ImportField.City] = "市",
            [ImportField.District] = "区",
            [ImportField.Address] = "详细地址",
            [ImportField.Remark] = "买家留言",
            [ImportField.PaidAt] = "支付完成时间",
        }),
        new("快手小店 订单导出", OrderChannel.Kuaishou, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单号",
            [ImportField.PaidAt] = "订单支付时间",
            [ImportField.Item] = "商品名称",
            [ImportField.Sku] = "SKU编码",
            [ImportField.UnitPrice] = "商品单价",
            [ImportField.Quantity] = "商品数量",
            [ImportField.Receiver] = "收货人姓名",
            [ImportField.Mobile] = "收货人电话",
            [ImportField.FullAddress] = "收货地址",
            [ImportField.Remark] = "买家留言",
        }),
        new("有赞 订单导出（商品维度）", OrderChannel.Youzan, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单号",
            [ImportField.Item] = "商品名称",
            [ImportField.Sku] = "规格编码",
            [ImportField.UnitPrice] = "商品单价",
            [ImportField.Quantity] = "商品数量",
            [ImportField.Receiver] = "收货人/提货人",
            [ImportField.Mobile] = "收货人手机号/提货人手机号",
            [ImportField.Province] = "收货人省份",
            [ImportField.City] = "收货人城市",
            [ImportField.District] = "收货人地区",
            [ImportField.Address] = "详细收货地址/提货地址",
            [ImportField.Remark] = "买家备注",
        }),
        // The portal's own demo file (wwwroot-assets/demo-imports/orders-taobao-gbk.csv): a shortened Taobao-style export.
        new("淘宝/天猫 简版订单（示例文件）", OrderChannel.Taobao, new Dictionary<ImportField, string>
        {
            [ImportField.OrderNo] = "订单编号",
            [ImportField.Channel] = "店铺名称",
            [ImportField.Receiver] = "收货人姓名",
            [ImportField.Mobile] = "联系手机",
            [ImportField.FullAddress] = "收货地址",
            [ImportField.Item] = "宝贝标题",
            [ImportField.Quantity] = "宝贝数量",
            [ImportField.LineAmount] = "实付金额",
            [ImportField.PaidAt] = "付款时间",
            [ImportField.Remark] = "买家留言",
        }),
    ];

    public static BuiltInImportTemplate? Named(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The first built-in whose every header is in <paramref name="headers"/> (compared by <see cref="HeaderGuesser.Key"/>).</summary>
    public static BuiltInImportTemplate? For(IEnumerable<string?> headers)
    {
        var keys = headers.Where(h => h is not null).Select(h => HeaderGuesser.Key(h!)).ToHashSet(StringComparer.Ordinal);
        // The template naming the most of the file's headers wins: a fuller export is not read by a shorter template it contains.
        return All.OrderByDescending(t => t.Fields.Count).FirstOrDefault(t => t.Fields.Values.All(h => keys.Contains(HeaderGuesser.Key(h))));
    }
}

/// <summary>Mapping JSON (field name → header) and the header signature saved templates are found by.</summary>
public static class ImportMappings
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(IReadOnlyDictionary<ImportField, string> fields) =>
        JsonSerializer.Serialize(fields.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => kv.Value), Json);

    public static IReadOnlyDictionary<ImportField, string> FromJson(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
            .Where(kv => Enum.TryParse<ImportField>(kv.Key, true, out _))
            .ToDictionary(kv => Enum.Parse<ImportField>(kv.Key, true), kv => kv.Value);

    /// <summary>
    /// Checks a mapping named by the API or the page: field names must be fields, headers must be the file's.
    /// Returns the problems (empty when usable) and the parsed mapping.
    /// </summary>
    public static (IReadOnlyDictionary<ImportField, string> Fields, List<string> Problems) Parse(IReadOnlyDictionary<string, string?> raw, IReadOnlyCollection<string>? headers)
    {
        var fields = new Dictionary<ImportField, string>();
        var problems = new List<string>();
        foreach (var (name, header) in raw)
        {
            if (!Enum.TryParse<ImportField>(name, true, out var field) || int.TryParse(name, out _))
            {
                problems.Add($"'{name}' is not a field; fields are {string.Join(", ", Enum.GetNames<ImportField>())}.");
            }
            else if (string.IsNullOrWhiteSpace(header))
            {
                continue; // "not imported"
            }
            else if (headers is not null && !headers.Contains(header.Trim(), StringComparer.Ordinal))
            {
                problems.Add($"'{header}' (for {field}) is not a header of the file; its headers are {string.Join(", ", headers)}.");
            }
            else
            {
                fields[field] = header.Trim();
            }
        }
        return (fields, problems);
    }

    /// <summary>SHA-256 (hex) of the header row's keys in order: the same export gives the same signature.</summary>
    public static string Signature(IEnumerable<string?> headers) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001F", headers.Select(h => h is null ? "" : HeaderGuesser.Key(h))))));
}
