using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>The one rule set for a receiver and address (import, order API, address fix), without a portal.</summary>
public class OrderAddressRulesTests
{
    private static readonly RegionCatalog Regions = new();

    private static AddressInput Good() => new(" 李雷 ", "+86 139-0052-6001", "浙江", "杭州市", "西湖区", " 文三路 90 号 ", "310000");

    private static IEnumerable<(AddressField, string)> Problems(AddressInput input) =>
        OrderAddressRules.Check(input, Regions).Problems.Select(p => (p.Field, p.Reason));

    [Fact]
    public void A_good_address_comes_back_trimmed_with_the_phone_normalised_and_the_province_by_its_full_name()
    {
        var (address, problems) = OrderAddressRules.Check(Good(), Regions);

        Assert.Empty(problems);
        Assert.Equal(("李雷", "13900526001", "浙江省", "杭州市", "西湖区", "文三路 90 号", "310000"),
            (address!.ReceiverName, address.Phone, address.Province.Name, address.City, address.District, address.Detail, address.Postcode));
    }

    [Theory]
    [InlineData("北京", null, "北京市")]
    [InlineData("上海市", "  ", "上海市")]
    [InlineData("浙江省", null, "")]
    public void A_missing_city_is_the_municipality_itself_or_left_empty(string province, string? city, string expected)
    {
        var (address, _) = OrderAddressRules.Check(Good() with { Province = province, City = city }, Regions);

        Assert.Equal(expected, address!.City);
    }

    [Fact]
    public void Every_refused_field_is_reported_not_only_the_first()
    {
        var input = new AddressInput("", "12345", "火星", new string('市', 51), new string('区', 51), new string('路', 301), "12345678901");

        Assert.Equal(
            [
                (AddressField.ReceiverName, ImportReasons.Required),
                (AddressField.Phone, ImportReasons.PhoneInvalid),
                (AddressField.Province, ImportReasons.ProvinceUnknown),
                (AddressField.City, ImportReasons.TooLong),
                (AddressField.District, ImportReasons.TooLong),
                (AddressField.Detail, ImportReasons.TooLong),
                (AddressField.Postcode, ImportReasons.TooLong),
            ],
            Problems(input));
        Assert.Null(OrderAddressRules.Check(input, Regions).Address);
    }

    [Fact]
    public void An_empty_phone_or_province_is_missing_rather_than_invalid()
    {
        Assert.Equal([(AddressField.Phone, ImportReasons.Required), (AddressField.Province, ImportReasons.Required)],
            Problems(Good() with { Phone = " ", Province = null }));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void A_receiver_name_has_at_most_100_characters_after_trimming(int length, bool accepted)
    {
        var (address, problems) = OrderAddressRules.Check(Good() with { ReceiverName = "  " + new string('李', length) + "  " }, Regions);

        Assert.Equal(accepted, address is not null);
        if (!accepted)
        {
            var tooLong = Assert.Single(problems);
            Assert.Equal((AddressField.ReceiverName, ImportReasons.TooLong, 101, 100), (tooLong.Field, tooLong.Reason, tooLong.Length, tooLong.Max));
        }
    }

    [Fact]
    public void Only_mainland_provinces_are_addresses_an_order_can_ship_to()
    {
        Assert.Equal([(AddressField.Province, ImportReasons.ProvinceUnknown)], Problems(Good() with { Province = "香港" }));
        Assert.Empty(Problems(Good() with { Province = "Guangdong" }));
        Assert.Empty(Problems(Good() with { Province = "内蒙古" }));
    }

    [Fact]
    public void The_order_api_sees_each_problem_under_its_receiver_field_with_the_import_text()
    {
        var problems = new FieldProblems();

        var (phone, province) = OrderAddressRules.CheckForApi(Good() with { Phone = "12345", Detail = "" }, Regions, problems);
        var errors = problems.ToDictionary();

        Assert.Null(phone);
        Assert.Equal("浙江省", province?.Name);
        Assert.Equal(["receiver.address", "receiver.mobile"], errors.Keys.Order());
        Assert.Equal([ImportReasons.Describe(ImportReasons.PhoneInvalid)], errors["receiver.mobile"]);
    }
}
