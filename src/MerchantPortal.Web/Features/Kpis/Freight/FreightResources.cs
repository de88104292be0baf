namespace MerchantPortal.Web.Features.Kpis.Freight;

public sealed class FreightResources;
