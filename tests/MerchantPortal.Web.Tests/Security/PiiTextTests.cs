using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>Masking mobile numbers inside free text (case comments, carrier notes, resolutions).</summary>
public class PiiTextTests
{
    [Theory]
    [InlineData("客户电话 13800138000 请回拨", "客户电话 138****8000 请回拨")]
    [InlineData("改送 138 0013 8000。", "改送 138****8000。")]
    [InlineData("138-0013-8000/15912345678", "138****8000/159****5678")]
    [InlineData("运单 73100000000123 与座机 0571-88886666 不变", "运单 73100000000123 与座机 0571-88886666 不变")]
    [InlineData("订单 DM2611200015468", "订单 DM2611200015468")]
    [InlineData("", "")]
    public void Mobile_numbers_in_text_are_masked_and_other_numbers_stay(string text, string expected)
    {
        Assert.Equal(expected, Pii.MaskPhonesIn(text));
    }
}
