using System.Globalization;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>A carrier product: the ExpType code sent with 1007 and the resource key that words it.</summary>
public sealed record CarrierProduct(string Code, string WordKey);

/// <summary>
/// The products (ExpType, carrier-protocol.md §2.6) the waybill dialog offers per carrier, in one place. The protocol
/// fixes only "1 = 标准快件" for every carrier and leaves the rest to a per-carrier product table it does not reproduce:
/// the further codes here are the ones merchants book most (特快, 经济快递) and are to be checked against the
/// merchant's carrier contract before use with a real account. A code an account uses that is not listed is kept,
/// shown by its number (<see cref="WithAccountDefault"/>).
/// </summary>
public static class CarrierProducts
{
    public const string Standard = "1";

    private static readonly CarrierProduct StandardProduct = new(Standard, "Product.Standard");
    private static readonly CarrierProduct ExpressProduct = new("2", "Product.Express");
    private static readonly CarrierProduct EconomyProduct = new("3", "Product.Economy");

    private static readonly Dictionary<string, CarrierProduct[]> ByCarrier = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SF"] = [StandardProduct, ExpressProduct, EconomyProduct],
        ["JD"] = [StandardProduct, ExpressProduct],
        ["EMS"] = [StandardProduct, ExpressProduct, EconomyProduct],
        ["YZPY"] = [StandardProduct, EconomyProduct],
    };

    /// <summary>The carrier's products, standard first; every carrier has at least the standard product.</summary>
    public static IReadOnlyList<CarrierProduct> For(string? shipperCode) =>
        shipperCode is not null && ByCarrier.TryGetValue(shipperCode.Trim(), out var products) ? products : [StandardProduct];

    /// <summary>The carrier's products plus the account's default code when the list lacks it (worded by its number).</summary>
    public static IReadOnlyList<CarrierProduct> WithAccountDefault(string? shipperCode, string? accountDefault)
    {
        var products = For(shipperCode);
        return string.IsNullOrWhiteSpace(accountDefault) || products.Any(p => p.Code == accountDefault)
            ? products
            : [.. products, new CarrierProduct(accountDefault, "Product.Code")];
    }

    /// <summary>"标准快递" / "Standard express"; a code the carrier's list does not name reads "产品代码 7".</summary>
    public static string Name(IStringLocalizer<WaybillsResources> l, string? shipperCode, string code)
    {
        var product = For(shipperCode).FirstOrDefault(p => p.Code == code);
        return product is null ? string.Format(CultureInfo.CurrentCulture, l["Product.Code"], code) : l[product.WordKey];
    }

    public static string Name(IStringLocalizer<WaybillsResources> l, CarrierProduct product) =>
        string.Format(CultureInfo.CurrentCulture, l[product.WordKey], product.Code);
}
