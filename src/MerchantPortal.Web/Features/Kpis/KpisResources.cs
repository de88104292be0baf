namespace MerchantPortal.Web.Features.Kpis;

public sealed class KpisResources;
