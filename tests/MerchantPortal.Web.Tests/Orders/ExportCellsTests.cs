using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Orders.Import;

namespace MerchantPortal.Web.Tests.Orders;

public class ExportCellsTests
{
    [Theory]
    [InlineData("=\"3712026120100000001\"", "3712026120100000001")]
    [InlineData("'13800001111", "13800001111")]
    [InlineData("\t6931202612010000001", "6931202612010000001")]
    [InlineData("TB20261120001", "TB20261120001")]
    // A formula that is not Excel's "keep this number as text" stays exactly as typed.
    [InlineData("=HYPERLINK(\"http://example.invalid\",\"click\")", "=HYPERLINK(\"http://example.invalid\",\"click\")")]
    [InlineData("'", "'")]
    public void Identifiers_lose_the_marks_exports_add_for_Excel_and_nothing_else(string cell, string expected) =>
        Assert.Equal(expected, ExportCells.Identifier(cell));

    [Theory]
    [InlineData("¥128.00", "128.00")]
    [InlineData("￥39.90", "39.90")]
    [InlineData("25元", "25")]
    [InlineData(" 1,280.00 ", "1,280.00")]
    public void Amounts_lose_their_currency_sign_or_unit(string cell, string expected) => Assert.Equal(expected, ExportCells.Amount(cell));

    [Theory]
    [InlineData("浙江省 杭州市 余杭区 文一西路 969 号(311121)", "浙江省 杭州市 余杭区 文一西路 969 号", "311121")]
    [InlineData("上海 上海市 徐汇区 漕溪北路 88 号（200030）", "上海 上海市 徐汇区 漕溪北路 88 号", "200030")]
    [InlineData("北京市 朝阳区 建国路 1 号(东门)", "北京市 朝阳区 建国路 1 号(东门)", null)]
    public void A_postcode_in_brackets_at_the_end_of_an_address_is_taken_out(string cell, string address, string? postcode) =>
        Assert.Equal((address, postcode), ExportCells.TrailingPostcode(cell));

    [Theory]
    [InlineData("刘**", true)]
    [InlineData("138****0004", true)]
    [InlineData("1**********", true)]
    [InlineData("186******05", true)]
    [InlineData("#Zk3xQ1a9#", true)]
    [InlineData("~AgAAAPRkM2E=~", true)]
    [InlineData("$kZgIwkQL5Q0O6$1$", true)]
    [InlineData("张伟", false)]
    [InlineData("13800001111", false)]
    [InlineData("#12 栋", false)]
    [InlineData("文一西路 969 号", false)]
    public void Masked_and_encrypted_receiver_values_are_told_from_real_ones(string value, bool masked) =>
        Assert.Equal(masked, ReceiverMasking.IsMasked(value));
}
