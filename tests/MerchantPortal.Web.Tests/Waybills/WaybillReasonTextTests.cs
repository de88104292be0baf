using System.Globalization;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Tests.Waybills;

/// <summary>
/// The reason a waybill item was skipped or failed, as the new-batch dialog and the batch page show it (both call
/// <see cref="WaybillText.Reason"/>), with the portal's real localizer: the details stored in English for the API
/// (an order status's enum name, the gateway's transport text) never reach a Chinese reader.
/// </summary>
[Collection(SharedPortal.Name)]
public class WaybillReasonTextTests(SharedPortal portal)
{
    private IStringLocalizer<WaybillsResources> Localizer(string culture)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        return portal.Factory.GetService<IStringLocalizer<WaybillsResources>>();
    }

    [Fact]
    public void A_Chinese_reader_sees_an_unapproved_orders_status_in_Chinese()
    {
        var l = Localizer("zh-CN");
        Assert.Equal("订单未审核: 待审核", WaybillText.Reason(l, WaybillReasons.NotApproved, nameof(OrderStatus.PendingReview)));
        Assert.Equal("订单未审核: 已挂起", WaybillText.Reason(l, WaybillReasons.NotApproved, OrderStatus.OnHold.ToString()));
    }

    [Fact]
    public void An_English_reader_sees_it_in_English()
    {
        Assert.Equal("Not approved: pending review", WaybillText.Reason(Localizer("en"), WaybillReasons.NotApproved, nameof(OrderStatus.PendingReview)));
    }

    [Fact]
    public void A_Chinese_reader_is_not_shown_the_gateways_English_transport_text()
    {
        var shown = WaybillText.Reason(Localizer("zh-CN"), WaybillReasons.CarrierUnavailable, "The carrier did not answer in time.");
        Assert.Equal("快递接口暂不可用，请重试", shown);
    }

    [Fact]
    public void The_carriers_own_words_and_an_existing_waybills_number_are_still_quoted()
    {
        var l = Localizer("zh-CN");
        Assert.Equal("快递公司拒绝: 105 收件人地址不完整", WaybillText.Reason(l, WaybillReasons.CarrierRejected, "105 收件人地址不完整"));
        Assert.Equal("已有有效面单: ZT100200300", WaybillText.Reason(l, WaybillReasons.LiveWaybill, "ZT100200300"));
    }
}
