using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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
        Assert.Equal("订单未审核：待审核", WaybillText.Reason(l, WaybillReasons.NotApproved, nameof(OrderStatus.PendingReview)));
        Assert.Equal("订单未审核：已挂起", WaybillText.Reason(l, WaybillReasons.NotApproved, OrderStatus.OnHold.ToString()));
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
        Assert.Equal("快递公司拒绝：105 收件人地址不完整", WaybillText.Reason(l, WaybillReasons.CarrierRejected, "105 收件人地址不完整"));
        Assert.Equal("已有有效面单：ZT100200300", WaybillText.Reason(l, WaybillReasons.LiveWaybill, "ZT100200300"));
    }

    [Fact]
    public async Task Voiding_through_a_carrier_that_cannot_be_reached_is_told_in_Chinese_and_keeps_the_gateways_text_for_the_API()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var account = await portal.Factory.GetService<CarrierAccountService>().CreateAsync(new CarrierAccountInput(
            "作废不可达 " + Guid.NewGuid().ToString("N")[..6], CarrierEnvironment.Custom, $"http://127.0.0.1:{port}/", "test1617571", "sandbox-appkey-0001-demo", "ZTO",
            null, null, null, null, null), "test");
        using var api = portal.Factory.CreateApiClient();
        var orderNo = await Returns.ReturnTestData.ShippedOrderAsync(portal.Factory, api, shipped: false);
        var trackingNo = "VOIDNET" + Guid.NewGuid().ToString("N")[..10];
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var orderId = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
            db.Add(new Waybill
            {
                OrderId = orderId, LiveOrderId = orderId, OrderNo = orderNo, CarrierAccountId = account.Id, ShipperCode = "ZTO", TrackingNo = trackingNo,
                OrderCode = orderNo + "-1", PickKey = "x", LabelJson = "{}", IssuedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var result = await portal.Factory.GetService<WaybillService>().VoidAsync(trackingNo, "test");

        Assert.Equal(VoidOutcome.CarrierUnavailable, result.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.Equal("无法连接快递公司，面单未作废，请重试。", WaybillText.VoidMessage(Localizer("zh-CN"), result));
        Assert.Equal("The carrier could not be reached; nothing was voided. Try again.", WaybillText.VoidMessage(Localizer("en"), result));
    }

    [Fact]
    public void A_carriers_refusal_to_void_still_quotes_its_words() =>
        Assert.Equal("快递公司拒绝作废：1147 已揽收，不能取消", WaybillText.VoidMessage(Localizer("zh-CN"), new VoidResult(VoidOutcome.Refused, "1147 已揽收，不能取消")));
}
