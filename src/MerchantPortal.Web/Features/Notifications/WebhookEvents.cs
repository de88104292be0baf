namespace MerchantPortal.Web.Features.Notifications;

/// <summary>The event types a webhook subscription can ask for (the outbox row's EventType).</summary>
public static class WebhookEvents
{
    public const string ShipmentStatusChanged = "shipment.status_changed";
    public const string ExceptionOpened = "exception.opened";
    public const string ExceptionResolved = "exception.resolved";
    public const string RefundRequested = "refund.requested";
    public const string ReturnStatusChanged = "return.status_changed";

    public static readonly string[] All = [ShipmentStatusChanged, ExceptionOpened, ExceptionResolved, RefundRequested, ReturnStatusChanged];
}
