namespace MerchantPortal.Web.Features.Notifications;

public sealed class NotificationsResources;
