namespace MerchantPortal.Web.Features.Kpis.Hubs;

public sealed class HubResources;
