using System.Globalization;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Features.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Tests.Orders;

/// <summary>An order's history rows read as sentences in the reader's language, never as the stored form.</summary>
public class OrderStoryWordsTests
{
    private static readonly IStringLocalizer<OrdersResources> L = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
        .GetRequiredService<IStringLocalizer<OrdersResources>>();

    [Theory]
    [InlineData("zh-CN", "已出面单（批次 12）", "顺丰速运 SF1234567890")]
    [InlineData("en", "Waybill issued (batch 12)", "SF Express SF1234567890")]
    public void A_waybill_of_a_batch_reads_as_a_sentence_with_the_carrier_by_name(string culture, string title, string detail)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        var line = OrderStoryWords.Word("WaybillIssued", "SF SF1234567890 · #12", OrderStatus.WaybillIssued, L);

        Assert.Equal(new StoryLine(title, detail), line);
    }

    [Theory]
    [InlineData("zh-CN", "订单状态随包裹更新（订单状态：已签收）", "中通快递 731000 · 快件已签收 · 2026-11-20 10:15")]
    [InlineData("en", "Order status follows its parcel (order now Delivered)", "ZTO Express 731000 · 快件已签收 · 2026-11-20 10:15")]
    public void A_scan_that_moved_the_order_names_the_new_status_and_keeps_the_carriers_own_words(string culture, string title, string detail)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        var line = OrderStoryWords.Word("ParcelScanned", "ZTO 731000 · 快件已签收 · 2026-11-20 10:15", OrderStatus.Delivered, L);

        Assert.Equal(new StoryLine(title, detail), line);
    }

    [Theory]
    [InlineData("zh-CN", "Imported", "import #3, row 7", "导入批次 3，第 7 行")]
    [InlineData("en", "Imported", "import #3, row 7", "File import 3, row 7")]
    [InlineData("zh-CN", "Reship", "Replacement A-1-R1: 包裹丢失", "补发订单 A-1-R1：包裹丢失")]
    [InlineData("en", "Reship", "补发 reship of A-1: lost", "Replacement for order A-1: lost")]
    [InlineData("zh-CN", "Reship", "Replacement A-1-R1: exception case #12 (LostInTransit): 客户未收到", "补发订单 A-1-R1：异常件 12：客户未收到")]
    [InlineData("en", "Reship", "补发 reship of A-1: exception case #12 (LostInTransit)", "Replacement for order A-1: exception 12")]
    [InlineData("zh-CN", "Created", "API", "通过 API 接收")]
    [InlineData("en", "Edited", OrderStoryWords.AddressCorrected, null)]
    [InlineData("en", "Hold", "customer asked to wait", "customer asked to wait")]
    public void Stored_details_are_worded_and_peoples_own_words_are_kept(string culture, string action, string details, string? detail)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        Assert.Equal(detail, OrderStoryWords.Word(action, details, null, L).Detail);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void No_history_line_shows_an_action_name(string culture)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        string[] actions = ["Created", "Imported", "Approve", "Hold", "Cancel", "Edited", "Reship", "WaybillIssued", "WaybillVoided",
            "ParcelRegistered", "ParcelScanned", "CaseOpened", "CaseResolved", "EmailChanged", "SomethingNew"];

        foreach (var action in actions)
        {
            var title = OrderStoryWords.Word(action, null, OrderStatus.Shipped, L).Title;
            Assert.NotEqual(action, title);
            Assert.DoesNotContain("→", title, StringComparison.Ordinal);
            if (Regex.Matches(action, "[A-Z][a-z]+").Count >= 2)
            {
                Assert.DoesNotContain(action, title, StringComparison.Ordinal);
            }
        }
    }
}
