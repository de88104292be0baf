using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>The parts of an order's receiver and address that <see cref="OrderAddressRules"/> checks.</summary>
public enum AddressField
{
    ReceiverName, Phone, Province, City, District, Detail, Postcode,
}

/// <summary>A receiver and address as typed, imported or posted: nothing normalised yet.</summary>
public sealed record AddressInput(string? ReceiverName, string? Phone, string? Province, string? City, string? District, string? Detail, string? Postcode = null);

/// <summary>One refused field; <paramref name="Reason"/> is an <see cref="ImportReasons"/> code (required, too_long, phone_invalid, province_unknown).</summary>
public sealed record AddressProblem(AddressField Field, string Reason, int? Length = null, int? Max = null);

/// <summary>An address that passed: trimmed, the phone normalised, the province from the catalogue, a municipality's city filled in.</summary>
public sealed record CheckedAddress(string ReceiverName, string Phone, Province Province, string City, string District, string Detail, string? Postcode);

/// <summary>
/// The one set of rules for an order's receiver and address, used by the file import, the order API and the
/// "fix address" of the waybill pages and API alike, so an address one of them accepts the others accept too.
/// Every field is checked (not only up to the first problem), so a form or an import report can show all at once.
/// </summary>
public static class OrderAddressRules
{
    public const int ReceiverNameMax = 100;
    public const int CityMax = 50;
    public const int DistrictMax = 50;
    public const int DetailMax = 300;
    public const int PostcodeMax = 10;

    public static (CheckedAddress? Address, IReadOnlyList<AddressProblem> Problems) Check(AddressInput input, RegionCatalog regions)
    {
        var problems = new List<AddressProblem>();
        var name = Text(AddressField.ReceiverName, input.ReceiverName, ReceiverNameMax, required: true, problems);

        var phone = PhoneNumbers.Normalize(input.Phone);
        if (string.IsNullOrWhiteSpace(input.Phone))
        {
            problems.Add(new(AddressField.Phone, ImportReasons.Required));
        }
        else if (phone is null)
        {
            problems.Add(new(AddressField.Phone, ImportReasons.PhoneInvalid));
        }

        var province = regions.FindProvince(input.Province);
        if (province is null)
        {
            problems.Add(new(AddressField.Province, string.IsNullOrWhiteSpace(input.Province) ? ImportReasons.Required : ImportReasons.ProvinceUnknown));
        }
        var city = Text(AddressField.City, input.City, CityMax, required: false, problems);
        var district = Text(AddressField.District, input.District, DistrictMax, required: false, problems);
        var detail = Text(AddressField.Detail, input.Detail, DetailMax, required: true, problems);
        var postcode = Text(AddressField.Postcode, input.Postcode, PostcodeMax, required: false, problems);

        if (problems.Count > 0)
        {
            return (null, problems);
        }
        // A municipality is its own city (北京市 北京市 朝阳区): carriers expect the city filled in.
        var checkedCity = city ?? (province!.IsMunicipality ? province.Name : "");
        return (new CheckedAddress(name!, phone!, province!, checkedCity, district ?? "", detail!, postcode), problems);
    }

    /// <summary>The order API's view: errors keyed receiver.name, receiver.mobile, … with the import's English texts.</summary>
    public static (string? Phone, Province? Province) CheckForApi(AddressInput input, RegionCatalog regions, FieldProblems errors)
    {
        var (address, problems) = Check(input, regions);
        foreach (var p in problems)
        {
            errors.Add(new FieldProblem("receiver." + ApiName(p.Field), p.Reason, ImportReasons.Describe(p.Reason)));
        }
        return (address?.Phone ?? PhoneNumbers.Normalize(input.Phone), address?.Province ?? regions.FindProvince(input.Province));
    }

    private static string ApiName(AddressField field) => field switch
    {
        AddressField.ReceiverName => "name",
        AddressField.Phone => "mobile",
        AddressField.Detail => "address",
        _ => field.ToString().ToLowerInvariant(),
    };

    private static string? Text(AddressField field, string? value, int max, bool required, List<AddressProblem> problems)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                problems.Add(new(field, ImportReasons.Required));
            }
            return null;
        }
        if (trimmed.Length > max)
        {
            problems.Add(new(field, ImportReasons.TooLong, trimmed.Length, max));
            return null;
        }
        return trimmed;
    }
}
