namespace MerchantPortal.Web.Features.Notifications;

/// <summary>The templates every database starts with (seeded by the migration); Admin edits them on /admin/notifications.</summary>
public static class DefaultTemplates
{
    private static readonly DateTime Seeded = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);

    public static readonly NotificationTemplate[] All =
    [
        T(1, NotificationMilestone.Shipped, "zh-CN", "您的订单已发货", "您的订单{orderNo}已发货,{carrier}运单号{trackingNo},查询:{trackingUrl}"),
        T(2, NotificationMilestone.Shipped, "en", "Your order has shipped", "Your order {orderNo} has shipped with {carrier}, tracking number {trackingNo}: {trackingUrl}"),
        T(3, NotificationMilestone.OutForDelivery, "zh-CN", "您的包裹正在派送", "您的包裹{trackingNo}正在派送中,请保持电话畅通。"),
        T(4, NotificationMilestone.OutForDelivery, "en", "Out for delivery", "Your parcel {trackingNo} is out for delivery today."),
        T(5, NotificationMilestone.Delivered, "zh-CN", "您的包裹已签收", "您的订单{orderNo}(运单号{trackingNo})已签收,感谢您的购买。"),
        T(6, NotificationMilestone.Delivered, "en", "Delivered", "Your order {orderNo} (tracking number {trackingNo}) has been delivered. Thank you."),
        T(7, NotificationMilestone.Exception, "zh-CN", "您的包裹配送遇到问题", "您的包裹{trackingNo}配送遇到问题,我们正在处理,如有疑问请联系客服。"),
        T(8, NotificationMilestone.Exception, "en", "A problem with your delivery", "Your parcel {trackingNo} has a delivery problem; we are on it and will keep you posted."),
        T(9, NotificationMilestone.PickupBooked, "zh-CN", "上门取件已预约", "您的退货已预约上门取件,时间{window},取件码{pickupCode}。"),
        T(10, NotificationMilestone.PickupBooked, "en", "Pickup booked", "Your return pickup is booked for {window}; pickup code {pickupCode}."),
        T(11, NotificationMilestone.PickedUp, "zh-CN", "退货已取件", "您的退货包裹已被快递取走,运单号{trackingNo}。"),
        T(12, NotificationMilestone.PickedUp, "en", "Return picked up", "Your return parcel was picked up, tracking number {trackingNo}."),
        T(13, NotificationMilestone.Refunded, "zh-CN", "退款已处理", "您的订单{orderNo}退款{amount}已处理。"),
        T(14, NotificationMilestone.Refunded, "en", "Refund issued", "Your refund of {amount} for order {orderNo} has been issued."),
        T(15, NotificationMilestone.DeliveryDateExpected, "zh-CN", "您的包裹预计送达日期", "您的包裹{trackingNo}已揽收,{expectedDate}。查询:{trackingUrl}"),
        T(16, NotificationMilestone.DeliveryDateExpected, "en", "When your parcel arrives", "Your parcel {trackingNo} has been picked up. {expectedDate}. Track it: {trackingUrl}"),
        T(17, NotificationMilestone.DeliveryDateMoved, "zh-CN", "您的包裹送达日期有变化", "您的包裹{trackingNo}送达日期有变化:{expectedDate}(此前预计{previousDate})。查询:{trackingUrl}"),
        T(18, NotificationMilestone.DeliveryDateMoved, "en", "Your delivery date has changed", "The delivery date of your parcel {trackingNo} has changed: {expectedDate} (before: {previousDate}). Track it: {trackingUrl}"),
    ];

    private static NotificationTemplate T(int id, NotificationMilestone milestone, string culture, string subject, string body) => new()
    {
        Id = id, Milestone = milestone, Culture = culture, Subject = subject, Body = body, Enabled = true, UpdatedAtUtc = Seeded,
    };
}
