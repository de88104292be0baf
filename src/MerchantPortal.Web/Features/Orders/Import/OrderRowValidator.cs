using System.Globalization;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders.Import;

/// <summary>The fields an order file can have; each file column maps to at most one (see <see cref="HeaderAliases"/>).</summary>
public enum ImportField
{
    OrderNo, Channel, Buyer, Receiver, Mobile, Province, City, District, Address, FullAddress, Postcode,
    Sku, Item, Quantity, UnitPrice, LineAmount, WeightKg, PaidAt, Remark, Email,
}

/// <summary>Why a row was not imported. The code is stored; text comes from <see cref="Text"/> (API, CSV) or the resx (pages).</summary>
public static class ImportReasons
{
    public const string Required = "required";
    public const string PhoneInvalid = "phone_invalid";
    public const string ProvinceUnknown = "province_unknown";
    public const string QuantityNotNumber = "quantity_not_number";
    public const string QuantityOutOfRange = "quantity_out_of_range";
    public const string NumberInvalid = "number_invalid";
    public const string DateInvalid = "date_invalid";
    public const string TooLong = "too_long";
    public const string OrderMismatch = "order_mismatch";
    public const string OrderExists = "order_exists";
    public const string EmailInvalid = "email_invalid";

    public static readonly IReadOnlyDictionary<string, string> Text = new Dictionary<string, string>
    {
        [Required] = "A value is required.",
        [PhoneInvalid] = "Not a valid mobile (11 digits starting with 1) or landline (area code + number).",
        [ProvinceUnknown] = "Unknown province.",
        [QuantityNotNumber] = "The quantity is not a whole number.",
        [QuantityOutOfRange] = "The quantity must be between 1 and 10000.",
        [NumberInvalid] = "Not a valid non-negative number.",
        [DateInvalid] = "Not a date (expected e.g. 2026-11-20 10:15:00).",
        [TooLong] = "The value is too long.",
        [OrderMismatch] = "An earlier row of this order number has a different value here; rows of one order must agree on channel, receiver, phone, address and payment time.",
        [OrderExists] = "The order already exists; this row changed nothing.",
        [EmailInvalid] = "Not an e-mail address.",
    };

    public static string Describe(string code) => Text.GetValueOrDefault(code, code);
}

public sealed record ImportError(int Row, string Column, string? Value, string Reason, string? OrderNo);

/// <summary>One valid row: the order's header fields (which every row of the order must repeat) and one line.</summary>
public sealed record ImportRow(
    int Row, string OrderNo, OrderChannel Channel, string? BuyerName, string ReceiverName, string Phone,
    string Province, string City, string District, string Detail, string? Postcode,
    string? Sku, string ItemName, int Quantity, decimal UnitPrice, decimal WeightKg, DateTime? PaidAtUtc, string? Remark, string? Email = null,
    bool ReceiverMasked = false)
{
    /// <summary>The first header field that differs from <paramref name="other"/>, or null when they agree.</summary>
    public ImportField? FirstHeaderDifference(ImportRow other) =>
        Channel != other.Channel ? ImportField.Channel
        : ReceiverName != other.ReceiverName ? ImportField.Receiver
        : Phone != other.Phone ? ImportField.Mobile
        : Province != other.Province ? ImportField.Province
        : City != other.City ? ImportField.City
        : District != other.District ? ImportField.District
        : Detail != other.Detail ? ImportField.Address
        : (Postcode ?? "") != (other.Postcode ?? "") ? ImportField.Postcode
        : PaidAtUtc != other.PaidAtUtc ? ImportField.PaidAt
        : !string.Equals(Email ?? "", other.Email ?? "", StringComparison.OrdinalIgnoreCase) ? ImportField.Email
        : null;
}

/// <summary>
/// Header aliases in English and Chinese (docs/order-import.md has the table). <see cref="Match"/> ignores case, spaces,
/// brackets, underscores and dashes, so "Weight (kg)", "weight_kg" and "重量（kg）" are one column; the import guesses
/// further with <see cref="HeaderGuesser"/>.
/// </summary>
public static class HeaderAliases
{
    public static readonly IReadOnlyDictionary<ImportField, string[]> Aliases = new Dictionary<ImportField, string[]>
    {
        [ImportField.OrderNo] = ["order no", "order number", "order id", "订单编号", "订单号", "主订单编号", "外部订单号"],
        [ImportField.Channel] = ["channel", "shop", "store", "渠道", "店铺名称", "店铺", "平台", "来源"],
        [ImportField.Buyer] = ["buyer", "buyer nick", "买家会员名", "买家昵称", "买家"],
        [ImportField.Receiver] = ["receiver", "receiver name", "consignee", "name", "收货人", "收货人姓名", "收件人", "收件人姓名"],
        [ImportField.Mobile] = ["mobile", "phone", "receiver phone", "telephone", "联系手机", "手机", "手机号", "联系电话", "收货人手机", "收件人电话"],
        [ImportField.Province] = ["province", "省", "省份"],
        [ImportField.City] = ["city", "市", "城市"],
        [ImportField.District] = ["district", "county", "区", "区县"],
        [ImportField.Address] = ["address", "street", "address detail", "详细地址", "街道地址"],
        [ImportField.FullAddress] = ["full address", "收货地址", "完整地址", "收件地址"],
        [ImportField.Postcode] = ["postcode", "zip", "zip code", "postal code", "邮编", "邮政编码"],
        [ImportField.Sku] = ["sku", "商家编码", "商品编码", "货号"],
        [ImportField.Item] = ["item", "item name", "product", "product name", "宝贝标题", "商品名称", "商品标题", "商品"],
        [ImportField.Quantity] = ["qty", "quantity", "宝贝数量", "数量", "购买数量", "商品数量"],
        [ImportField.UnitPrice] = ["unit price", "price", "单价", "商品单价"],
        [ImportField.LineAmount] = ["amount", "line amount", "paid amount", "实付金额", "金额", "买家实付"],
        [ImportField.WeightKg] = ["weight", "weight kg", "重量", "重量kg"],
        [ImportField.PaidAt] = ["paid at", "payment time", "paid time", "付款时间", "支付时间"],
        [ImportField.Remark] = ["remark", "note", "buyer message", "买家留言", "备注", "订单备注"],
        // "e-mail", "E_mail" and "email" are one header after Normalize.
        [ImportField.Email] = ["email", "buyer email", "customer email", "邮箱", "电子邮箱", "电子邮件", "买家邮箱", "收货人邮箱"],
    };

    private static readonly Dictionary<string, ImportField> Lookup = Aliases
        .SelectMany(kv => kv.Value.Select(a => (Key: Normalize(a), Field: kv.Key)))
        .ToDictionary(x => x.Key, x => x.Field);

    public static string Normalize(string header) =>
        new(PhoneNumbers.ToHalfWidth(header).Trim().TrimStart('\uFEFF').ToLowerInvariant()
            .Where(c => c is not (' ' or '(' or ')' or '（' or '）' or '_' or '-' or '/')).ToArray());

    public static ImportField? Match(string? header) =>
        header is not null && Lookup.TryGetValue(Normalize(header), out var f) ? f : null;
}

/// <summary>The mapping of one file's header row: which cell each field is read from.</summary>
public sealed class ImportColumns
{
    private readonly Dictionary<ImportField, int> index = [];
    private readonly Dictionary<ImportField, string> names = [];

    /// <summary>Each header's field guessed (<see cref="HeaderGuesser"/>); the first header of a field wins.</summary>
    public ImportColumns(string?[] header)
    {
        Headers = [.. header.Select(h => h?.Trim().TrimStart('\uFEFF') ?? "")];
        for (var i = 0; i < header.Length; i++)
        {
            if (HeaderGuesser.Guess(header[i]) is { } guess && !index.ContainsKey(guess.Field))
            {
                index[guess.Field] = i;
                names[guess.Field] = Headers[i];
            }
        }
    }

    /// <summary>
    /// The fields a mapping names (field → header, from the page, the API or a template), and no others: a header the
    /// mapping leaves out is not imported even when its name would have been guessed.
    /// </summary>
    public ImportColumns(string?[] header, IReadOnlyDictionary<ImportField, string> mapping, OrderChannel? platform = null)
    {
        Headers = [.. header.Select(h => h?.Trim().TrimStart('\uFEFF') ?? "")];
        Platform = platform;
        foreach (var (field, name) in mapping)
        {
            var i = Array.IndexOf(Headers, name.Trim());
            if (i < 0)
            {
                // A template's header as the platform spells it, in this file with another width or spacing.
                var key = HeaderGuesser.Key(name);
                i = Array.FindIndex(Headers, h => HeaderGuesser.Key(h) == key);
            }
            if (i >= 0)
            {
                index[field] = i;
                names[field] = Headers[i];
            }
        }
    }

    /// <summary>The file's header row as read (trimmed).</summary>
    public string[] Headers { get; }

    /// <summary>The template's platform: the channel of rows without a channel column.</summary>
    public OrderChannel? Platform { get; }

    public IReadOnlyDictionary<ImportField, string> Names => names;

    public bool Has(ImportField field) => index.ContainsKey(field);

    /// <summary>The cell a field is read from, or -1.</summary>
    public int IndexOf(ImportField field) => index.TryGetValue(field, out var i) ? i : -1;

    public string? Get(string?[] cells, ImportField field) =>
        index.TryGetValue(field, out var i) && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? Clean(field, cells[i]!.Trim()) : null;

    /// <summary>The cell as the shop meant it, without the guards its export added for Excel (<see cref="ExportCells"/>).</summary>
    private static string? Clean(ImportField field, string value)
    {
        var clean = field switch
        {
            ImportField.OrderNo or ImportField.Mobile or ImportField.Sku or ImportField.Postcode => ExportCells.Identifier(value),
            ImportField.UnitPrice or ImportField.LineAmount => ExportCells.Amount(value),
            _ => value,
        };
        return clean.Length == 0 ? null : clean;
    }

    /// <summary>The file's own name for a field; the split address fields report the full-address column.</summary>
    public string NameOf(ImportField field) =>
        names.TryGetValue(field, out var n) ? n
        : field is ImportField.Province or ImportField.City or ImportField.District or ImportField.Address && names.TryGetValue(ImportField.FullAddress, out var full) ? full
        : field.ToString();

    /// <summary>Columns a file cannot do without; empty when the file is usable.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        foreach (var f in new[] { ImportField.OrderNo, ImportField.Receiver, ImportField.Mobile, ImportField.Quantity })
        {
            if (!Has(f))
            {
                missing.Add(HeaderAliases.Aliases[f][0]);
            }
        }
        if (!Has(ImportField.Province) && !Has(ImportField.FullAddress))
        {
            missing.Add("province / full address");
        }
        if (!Has(ImportField.Item) && !Has(ImportField.Sku))
        {
            missing.Add("item / sku");
        }
        return missing;
    }
}

/// <summary>Full validation of one row (P2 counts this in its 15 s): every problem is reported with its column.</summary>
public sealed class OrderRowValidator(RegionCatalog regions)
{
    private static readonly string[] DateFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-MM-dd", "yyyy/M/d", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK"];

    public (ImportRow? Row, List<ImportError> Errors) Validate(ImportColumns columns, int row, string?[] cells)
    {
        var errors = new List<ImportError>();
        var orderNo = Text(columns, cells, row, ImportField.OrderNo, 64, errors, required: true);
        void Fail(ImportField field, string? value, string reason) =>
            errors.Add(new ImportError(row, columns.NameOf(field), Clip(value), reason, orderNo));

        var channel = columns.Get(cells, ImportField.Channel) is { } rawChannel ? ParseChannel(rawChannel) : columns.Platform ?? OrderChannel.Other;
        var buyer = Text(columns, cells, row, ImportField.Buyer, 100, errors, orderNo: orderNo);
        var (address, masked) = CheckAddress(columns, cells, regions, Fail);
        var sku = Text(columns, cells, row, ImportField.Sku, 64, errors, orderNo: orderNo);
        var item = Text(columns, cells, row, ImportField.Item, 300, errors, orderNo: orderNo);
        if (item is null && sku is null && !errors.Any(e => e.Column == columns.NameOf(ImportField.Item)))
        {
            Fail(columns.Has(ImportField.Item) ? ImportField.Item : ImportField.Sku, null, ImportReasons.Required);
        }

        var rawQty = columns.Get(cells, ImportField.Quantity);
        var quantity = 0;
        if (rawQty is null)
        {
            Fail(ImportField.Quantity, null, ImportReasons.Required);
        }
        else if (!int.TryParse(PhoneNumbers.ToHalfWidth(rawQty), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out quantity))
        {
            Fail(ImportField.Quantity, rawQty, ImportReasons.QuantityNotNumber);
        }
        else if (quantity is < 1 or > 10_000)
        {
            Fail(ImportField.Quantity, rawQty, ImportReasons.QuantityOutOfRange);
        }

        var unitPrice = Number(columns, cells, ImportField.UnitPrice, Fail);
        var lineAmount = Number(columns, cells, ImportField.LineAmount, Fail);
        var weight = Number(columns, cells, ImportField.WeightKg, Fail) ?? 0m;
        if (unitPrice is null && lineAmount is not null && quantity > 0)
        {
            unitPrice = Math.Round(lineAmount.Value / quantity, 4);
        }

        DateTime? paidAt = null;
        var rawPaid = columns.Get(cells, ImportField.PaidAt);
        if (rawPaid is not null)
        {
            if (DateTime.TryParseExact(PhoneNumbers.ToHalfWidth(rawPaid), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            {
                // Shop exports are in Beijing time (BusinessCalendar); the database stores UTC.
                paidAt = DateTime.SpecifyKind(local - BusinessCalendar.Offset, DateTimeKind.Utc);
            }
            else
            {
                Fail(ImportField.PaidAt, rawPaid, ImportReasons.DateInvalid);
            }
        }
        var remark = Text(columns, cells, row, ImportField.Remark, 500, errors, orderNo: orderNo);
        // Optional: customer messages then also go by e-mail.
        var email = Text(columns, cells, row, ImportField.Email, 256, errors, orderNo: orderNo);
        if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            Fail(ImportField.Email, email, ImportReasons.EmailInvalid);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new ImportRow(row, orderNo!, channel, buyer, address!.ReceiverName, address.Phone, address.Province.Name, address.City, address.District, address.Detail, address.Postcode,
            sku, item ?? sku!, quantity, unitPrice ?? 0m, weight, paidAt, remark, email, masked), errors);
    }

    /// <summary>
    /// Receiver, phone and address by <see cref="OrderAddressRules"/>, from split columns or one full-address column
    /// (split by the region catalogue first; its parts' problems are reported on that column, with its value).
    /// </summary>
    /// <remarks>
    /// A receiver the platform masked or encrypted (<see cref="ReceiverMasking"/>) is kept as the file has it: only the
    /// province must be known; name, phone, city, district and street are not judged, since the mask may hide them. The
    /// order then waits for the real values before it can get a waybill.
    /// </remarks>
    private static (CheckedAddress? Address, bool Masked) CheckAddress(ImportColumns columns, string?[] cells, RegionCatalog regions, Action<ImportField, string?, string> fail)
    {
        AddressInput input;
        string? full = null;
        var fullReported = false;
        if (columns.Has(ImportField.Province))
        {
            input = new AddressInput(columns.Get(cells, ImportField.Receiver), columns.Get(cells, ImportField.Mobile), columns.Get(cells, ImportField.Province),
                columns.Get(cells, ImportField.City), columns.Get(cells, ImportField.District), columns.Get(cells, ImportField.Address), columns.Get(cells, ImportField.Postcode));
        }
        else
        {
            full = columns.Get(cells, ImportField.FullAddress);
            string? bracketedPostcode = null;
            if (full is not null)
            {
                // 淘宝 ends the address with its postcode in brackets.
                (full, bracketedPostcode) = ExportCells.TrailingPostcode(full);
            }
            if (full is { Length: > 400 })
            {
                fail(ImportField.FullAddress, full, ImportReasons.TooLong);
                (full, fullReported) = ("", true);
            }
            var split = string.IsNullOrEmpty(full) ? null : regions.Split(full);
            // An address whose start is no province: the rules report the province as unknown (or missing when empty);
            // its detail is not judged then ("-" stands in), since without a province there is no telling where it starts.
            input = new AddressInput(columns.Get(cells, ImportField.Receiver), columns.Get(cells, ImportField.Mobile),
                split?.Province.Name ?? (string.IsNullOrEmpty(full) ? null : full), split?.City, split?.District,
                split is null ? (string.IsNullOrEmpty(full) ? null : "-") : split.Detail, columns.Get(cells, ImportField.Postcode) ?? bracketedPostcode);
        }
        var masked = ReceiverMasking.IsMasked(input.ReceiverName) || ReceiverMasking.IsMasked(input.Phone) || ReceiverMasking.IsMasked(input.Detail)
            || ReceiverMasking.IsMasked(full);
        if (masked)
        {
            return (MaskedAddress(input, regions, fail), true);
        }
        var (address, problems) = OrderAddressRules.Check(input, regions);
        foreach (var p in problems)
        {
            var field = p.Field switch
            {
                AddressField.ReceiverName => ImportField.Receiver,
                AddressField.Phone => ImportField.Mobile,
                AddressField.Province => ImportField.Province,
                AddressField.City => ImportField.City,
                AddressField.District => ImportField.District,
                AddressField.Detail => ImportField.Address,
                _ => ImportField.Postcode,
            };
            var onFull = !columns.Has(ImportField.Province) && field is ImportField.Province or ImportField.City or ImportField.District or ImportField.Address;
            if (onFull && fullReported)
            {
                // One column, one reason: the first of the split parts' problems says what is wrong with it.
                continue;
            }
            fullReported |= onFull;
            fail(field, onFull ? NullIfEmpty(full) : p.Reason == ImportReasons.Required ? null : columns.Get(cells, field), p.Reason);
        }
        return (address, false);
    }

    /// <summary>The masked receiver as the file has it (clipped to the columns' sizes); only an unknown province refuses it.</summary>
    private static CheckedAddress? MaskedAddress(AddressInput input, RegionCatalog regions, Action<ImportField, string?, string> fail)
    {
        if (regions.FindProvince(input.Province) is not { } province)
        {
            fail(ImportField.Province, input.Province, input.Province is null ? ImportReasons.Required : ImportReasons.ProvinceUnknown);
            return null;
        }
        static string Clip(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max];
        return new CheckedAddress(Clip(input.ReceiverName, 100), Clip(input.Phone, 20), province, Clip(input.City, 50), Clip(input.District, 50),
            Clip(input.Detail, 300), input.Postcode is { Length: <= 10 } postcode ? postcode : null);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static OrderChannel ParseChannel(string? raw)
    {
        if (raw is null)
        {
            return OrderChannel.Other;
        }
        var s = raw.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        return s switch
        {
            _ when s.Contains("天猫", StringComparison.Ordinal) || s.Contains("tmall", StringComparison.Ordinal) => OrderChannel.Tmall,
            _ when s.Contains("淘宝", StringComparison.Ordinal) || s.Contains("taobao", StringComparison.Ordinal) => OrderChannel.Taobao,
            _ when s.Contains("京东", StringComparison.Ordinal) || s is "jd" or "jd.com" => OrderChannel.JD,
            _ when s.Contains("抖音", StringComparison.Ordinal) || s.Contains("douyin", StringComparison.Ordinal) => OrderChannel.Douyin,
            _ when s.Contains("快手", StringComparison.Ordinal) || s.Contains("kuaishou", StringComparison.Ordinal) => OrderChannel.Kuaishou,
            _ when s.Contains("有赞", StringComparison.Ordinal) || s.Contains("youzan", StringComparison.Ordinal) => OrderChannel.Youzan,
            _ when s.Contains("拼多多", StringComparison.Ordinal) || s.Contains("pinduoduo", StringComparison.Ordinal) || s == "pdd" => OrderChannel.Pinduoduo,
            _ when s is "ownstore" or "自营" or "官网" or "自有商城" or "官方商城" => OrderChannel.OwnStore,
            _ when s == "api" => OrderChannel.Api,
            _ => Enum.TryParse<OrderChannel>(s, ignoreCase: true, out var c) ? c : OrderChannel.Other,
        };
    }

    private static string? Text(ImportColumns columns, string?[] cells, int row, ImportField field, int max, List<ImportError> errors, bool required = false, string? orderNo = null)
    {
        var value = columns.Get(cells, field);
        if (value is null)
        {
            if (required)
            {
                errors.Add(new ImportError(row, columns.NameOf(field), null, ImportReasons.Required, orderNo));
            }
            return null;
        }
        if (value.Length > max)
        {
            // A 10 MB cell is reported, not stored: the value in the report is clipped.
            errors.Add(new ImportError(row, columns.NameOf(field), Clip(value), ImportReasons.TooLong, orderNo ?? (field == ImportField.OrderNo ? null : orderNo)));
            return null;
        }
        return value;
    }

    private static decimal? Number(ImportColumns columns, string?[] cells, ImportField field, Action<ImportField, string?, string> fail)
    {
        var raw = columns.Get(cells, field);
        if (raw is null)
        {
            return null;
        }
        if (decimal.TryParse(PhoneNumbers.ToHalfWidth(raw).Replace("¥", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) && n >= 0 && n < 100_000_000)
        {
            return n;
        }
        fail(field, raw, ImportReasons.NumberInvalid);
        return null;
    }

    private static string? Clip(string? value) => value is { Length: > 100 } ? value[..100] + "…" : value;
}
