namespace MerchantPortal.Web.Features.Orders;

public sealed class OrdersResources;
