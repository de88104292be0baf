namespace MerchantPortal.Web.Features.Waybills;

public sealed class WaybillsResources;
