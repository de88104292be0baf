using System.Globalization;
using Bunit;
using MerchantPortal.Web.Components.Shared;
using MerchantPortal.Web.Features.CarrierAccounts;

namespace MerchantPortal.Web.Tests.Components;

public class CarrierNameTests : BunitTestBase
{
    [Theory]
    [InlineData("zh-CN", "SF", "顺丰速运")]
    [InlineData("zh-CN", "ZTO", "中通快递")]
    [InlineData("zh-CN", "JTSD", "极兔速递")]
    [InlineData("en", "SF", "SF Express")]
    [InlineData("en", "YD", "Yunda Express")]
    [InlineData("en", "JTSD", "J&T Express")]
    public void A_carrier_shows_its_name_in_the_readers_language_and_its_code_as_the_tooltip(string culture, string code, string name)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);

        var span = Context.Render<CarrierName>(p => p.Add(c => c.Code, code)).Find("span.carrier-name");

        Assert.Equal(name, span.TextContent);
        Assert.Equal(code, span.GetAttribute("title"));
    }

    [Fact]
    public void A_code_the_table_does_not_know_is_shown_as_it_is()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");

        Assert.Equal("XYZ", Context.Render<CarrierName>(p => p.Add(c => c.Code, "XYZ")).Find("span").TextContent);
        Assert.Equal("", CarrierNames.Of(null));
    }

    [Fact]
    public void Every_carrier_an_account_can_be_opened_for_has_a_name_in_both_languages()
    {
        foreach (var code in CarrierAccountService.KnownShipperCodes)
        {
            Assert.True(CarrierNames.IsKnown(code), code);
            Assert.Matches(@"[\u3400-\u9fff]|^EMS$", CarrierNames.Of(code, new CultureInfo("zh-CN")));
            Assert.DoesNotMatch(@"[\u3400-\u9fff]", CarrierNames.Of(code, CultureInfo.InvariantCulture));
            if (code != "EMS")
            {
                Assert.NotEqual(code, CarrierNames.Of(code, CultureInfo.InvariantCulture));
            }
        }
    }
}
